"""The population table: one row per person, numpy columns.

All person state lives here. :class:`agents.Person` objects are thin views onto
a row, so Mesa tooling sees real agents while the weekly update stays
vectorised. The model adds everyone who will ever enter at the start
(:meth:`Population.add`); they wait in the pre-entry phase until their entry week.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from scipy.special import ndtr, ndtri

from .bundles import Domains, bundle
from .parameters import PRISON_SERVICES, SERVICES, Parameters
from .rng import KeyedRNG, Purpose

# phases: exactly one per person (LEFT: out of the simulated system for good)
PRE_ENTRY, DETAINED, RELEASED, LEFT = 0, 1, 2, 3
PHASES = ("pre_entry", "detained", "released", "left")
# housing
NO_HOUSING, SHELTER, FAMILY, INDEPENDENT = 0, 1, 2, 3
# income
NO_INCOME, BENEFIT, WORK = 0, 1, 2
# regime inside
BASIC, PLUS = 0, 1
# service status (outside and inside); FINISHED: an in-prison trajectory of this stay
# has ended (completed or stopped), and a stay has at most one of each service
IDLE, WAITING, IN_SERVICE, FINISHED = 0, 1, 2, 3
# help grade for applications
ALONE, WITH_BUDDY, WITH_PROFESSIONAL = 0, 1, 2

TYPOLOGY = ("shy", "unsure", "rational", "demanding")
"""Derived for reporting only (BrugBinnenBuiten2023 §2.3: "geen rigide kader")."""
LENGTH_GROUPS = ("<1m", "1-3m", ">3m")
"""Detention-length groups of Leiden2024 Fig. 1.1."""

N_SERVICES = len(SERVICES)
N_PRISON = len(PRISON_SERVICES)
NO_WEEK = -(2**30)

# name -> (dtype, fill value for new rows); shape (n,), or (k, n) for a (dtype, k) tuple:
# per-service state is stored one contiguous row per service, which keeps
# "any service" and "per service" operations fast
_COLUMNS: dict[str, tuple] = {
    # traits
    "age": (np.float32, 30.0),
    "female": (np.bool_, False),
    "addiction": (np.bool_, False),
    "mental_health": (np.bool_, False),
    "lvb": (np.bool_, False),
    "priors": (np.int16, 0),
    "typology": (np.int8, 0),
    # dynamic traits and states
    "self_reliance": (np.float64, 0.5),
    "self_reliance_own": (np.float64, 0.5),
    "help_seeking": (np.float64, 0.5),
    "trust": (np.float64, 0.5),
    "motivation": (np.float64, 0.5),
    "stress": (np.float64, 0.3),
    "ties_prosocial": (np.float64, 0.5),
    "ties_criminogenic": (np.float64, 0.2),
    # legal state
    "phase": (np.int8, PRE_ENTRY),
    "regime": (np.int8, BASIC),
    "good_weeks": (np.int16, 0),
    "entry_week": (np.int32, NO_WEEK),
    "release_week": (np.int32, NO_WEEK),
    "length_group": (np.int8, 0),
    "supervised_until": (np.int32, NO_WEEK),
    "last_conviction_week": (np.int32, NO_WEEK),
    "detentions": (np.int16, 0),
    "left_week": (np.int32, NO_WEEK),
    # basisvoorwaarden
    "has_id": (np.bool_, True),
    "address": (np.bool_, True),
    "housing": (np.int8, INDEPENDENT),
    "income": (np.int8, NO_INCOME),
    "benefit_due_week": (np.int32, NO_WEEK),
    "debt": (np.float64, 0.0),
    "debt_managed": (np.bool_, False),
    "care_met": (np.bool_, False),
    "relapse": (np.bool_, False),
    "job_ready": (np.float64, 0.0),
    "prepared": (np.bool_, False),
    "prison_completed": (np.int8, 0),
    "prison_admitted_on_basic": (np.int8, 0),
    # buddy programme and professionals
    "buddy": (np.int32, -1),
    "buddy_status": (np.int8, 0),
    "buddy_since": (np.int32, NO_WEEK),
    "buddy_end": (np.int32, NO_WEEK),
    "buddy_episode": (np.int32, NO_WEEK),
    "buddy_offered": (np.int32, NO_WEEK),
    "match_quality": (np.float64, 0.0),
    "buddy_ever": (np.bool_, False),
    "buddy_support": (np.float64, 0.0),
    "need_weeks": (np.int32, 0),
    "hidden_need_weeks": (np.int32, 0),
    "client_need_weeks": (np.int32, 0),
    "client_hidden_need_weeks": (np.int32, 0),
    "professional": (np.int32, -1),
    "pro_since": (np.int32, NO_WEEK),
    "pro_end": (np.int32, NO_WEEK),
    "pro_ever": (np.bool_, False),
    # outside services: (S, n)
    "svc_status": ((np.int8, N_SERVICES), IDLE),
    "svc_since": ((np.int32, N_SERVICES), NO_WEEK),
    "svc_grade": ((np.int8, N_SERVICES), ALONE),
    # a need is "known" once the person asked for it or a helper found it; the
    # flag resets when the need goes, so a new episode must be found again
    "need_known": ((np.bool_, N_SERVICES), False),
    # in-prison services: (P, n)
    "prison_status": ((np.int8, N_PRISON), IDLE),
    "prison_since": ((np.int32, N_PRISON), NO_WEEK),
}


class Population:
    """Columns of person state, indexed by person id (row number)."""

    def __init__(self) -> None:
        self.n = 0
        for name, (dtype, _) in _COLUMNS.items():
            if isinstance(dtype, tuple):
                setattr(self, name, np.empty((dtype[1], 0), dtype=dtype[0]))
            else:
                setattr(self, name, np.empty(0, dtype=dtype))

    def add(self, k: int) -> np.ndarray:
        """Append ``k`` rows with fill values; returns their ids."""
        for name, (dtype, fill) in _COLUMNS.items():
            old = getattr(self, name)
            matrix = isinstance(dtype, tuple)
            shape = (dtype[1], k) if matrix else (k,)
            new = np.full(shape, fill, dtype=dtype[0] if matrix else dtype)
            setattr(self, name, np.concatenate([old, new], axis=1 if matrix else 0))
        ids = np.arange(self.n, self.n + k)
        self.n += k
        return ids

    @property
    def ids(self) -> np.ndarray:
        return np.arange(self.n)

    # ------------------------------------------------------------ basisvoorwaarden
    def missing_count(self, p: Parameters, ids: np.ndarray) -> np.ndarray:
        """How many of the five basisvoorwaarden each person lacks."""
        return _missing_counts(ids, bundle(Domains, self), p.debt_problem_threshold)


@njit(cache=True, inline="always")
def debt_ok(debt, debt_managed, debt_threshold):
    """Debts below the problem threshold, or under a payment plan or administration."""
    return debt <= debt_threshold or debt_managed


@njit(cache=True, inline="always")
def missing(person, debt_threshold):
    """How many of the five basisvoorwaarden a person lacks (compiled kernels).

    ``person`` is one person's values as a :class:`model.bundles.Domains` of scalars,
    built where it is called: arrays given to a helper cost reference counting on every
    call, even inlined. Passing the Domains bundle and a row instead made the buddy
    endings kernel 25% slower, and passing a whole bundle of columns made help-seeking
    2.5 times slower.
    """
    care_ok = person.care_met or not (person.addiction or person.mental_health)
    present = person.has_id + (person.housing != NO_HOUSING) + (person.income != NO_INCOME)
    return 5 - (present + debt_ok(person.debt, person.debt_managed, debt_threshold) + care_ok)


@njit(cache=True)
def _missing_counts(ids, domains, debt_problem_threshold):
    has_id, housing, income, debt, debt_managed, addiction, mental_health, care_met = domains
    out = np.empty(ids.shape[0], np.int8)
    for j in range(ids.shape[0]):
        i = ids[j]
        person = Domains(
            has_id[i], housing[i], income[i], debt[i], debt_managed[i], addiction[i],
            mental_health[i], care_met[i],
        )  # fmt: skip
        out[j] = missing(person, debt_problem_threshold)
    return out


def sample_people(pop: Population, ids: np.ndarray, p: Parameters, rng: KeyedRNG) -> None:
    """Draw traits and the rugzak (problems at entry) for new people.

    Draws are keyed by person id alone, so a person's traits do not depend on
    when they arrive or who else exists. Trait distributions are assumptions
    (ranges in docs/ODD.md); the rugzak shares come from Leiden2024 §1.2.
    """

    def z(purpose: Purpose) -> np.ndarray:
        return rng.normal(ids, 0, purpose)

    # A shared vulnerability makes problems cluster in the same people (copula).
    vulnerable = z(Purpose.VULNERABILITY)
    rho = p.rugzak_correlation

    def u(purpose: Purpose) -> np.ndarray:
        return rng.uniform(ids, 0, purpose)

    def risk(purpose: Purpose) -> np.ndarray:
        """Uniform draw, low for the vulnerable: ``risk(x) < share`` marks a problem."""
        return ndtr(-np.sqrt(rho) * vulnerable + np.sqrt(1 - rho) * z(purpose))

    pop.age[ids] = 18 + 47 * u(Purpose.AGE) ** 1.6
    pop.female[ids] = u(Purpose.SEX) < p.share_female
    pop.addiction[ids] = risk(Purpose.ADDICTION) < p.share_addiction
    pop.mental_health[ids] = risk(Purpose.MENTAL_HEALTH) < p.share_mental_health
    pop.lvb[ids] = risk(Purpose.LVB) < p.share_lvb
    up = risk(Purpose.PRIORS)
    has_prior = up < p.share_prior_detention
    # among those with priors, a geometric-like count with mean about 3 (assumption)
    extra = np.floor(-np.log(np.clip(up / max(p.share_prior_detention, 1e-9), 1e-9, 1)) * 2)
    pop.priors[ids] = np.where(has_prior, 1 + extra, 0).astype(np.int16)

    sr_z = -np.sqrt(rho) * vulnerable + np.sqrt(1 - rho) * z(Purpose.SELF_RELIANCE)
    sr = (
        p.self_reliance_mean
        + p.self_reliance_sd * sr_z
        - p.lvb_self_reliance_penalty * pop.lvb[ids]
        - 0.05 * pop.addiction[ids]
    )
    pop.self_reliance[ids] = np.clip(sr, 0.02, 0.98)
    pop.self_reliance_own[ids] = pop.self_reliance[ids]  # what detention erodes, and recovers to
    pop.help_seeking[ids] = np.clip(
        p.help_seeking_mean + p.help_seeking_sd * z(Purpose.HELP_SEEKING), 0.02, 0.98
    )
    pop.typology[ids] = typology_of(pop.self_reliance[ids], pop.help_seeking[ids])
    capped_priors = np.minimum(pop.priors[ids], 5) / 5
    pop.trust[ids] = np.clip(0.55 - 0.15 * capped_priors, 0.05, 0.95)
    zt = z(Purpose.TIES)
    pop.ties_prosocial[ids] = np.clip(0.55 + 0.15 * zt - 0.15 * capped_priors, 0.02, 0.98)
    pop.ties_criminogenic[ids] = np.clip(0.15 + 0.3 * capped_priors - 0.05 * zt, 0.0, 0.95)

    # the rugzak (Leiden2024 §1.2)
    no_work = risk(Purpose.RUGZAK_WORK) < p.rugzak_no_work
    on_benefit = no_work & (u(Purpose.BENEFIT_AT_ENTRY) < p.share_benefit_if_no_work)
    pop.income[ids] = np.where(~no_work, WORK, np.where(on_benefit, BENEFIT, NO_INCOME))
    has_debt = risk(Purpose.RUGZAK_DEBT) < p.rugzak_debt
    ud = u(Purpose.DEBT_LEVEL)
    pop.debt[ids] = np.where(
        has_debt,
        p.debt_problem_threshold - 3.0 * np.log(np.clip(ud, 1e-9, 1)),  # mean +3k (assumption)
        0.5 * ud * p.debt_problem_threshold,
    )
    pop.debt_managed[ids] = has_debt & (u(Purpose.DEBT_MANAGED) < p.share_debt_managed_at_entry)
    no_home = risk(Purpose.RUGZAK_HOUSING) < p.rugzak_housing
    family = u(Purpose.HOUSING_TYPE) < p.share_housed_with_family
    pop.housing[ids] = np.where(no_home, NO_HOUSING, np.where(family, FAMILY, INDEPENDENT))
    pop.address[ids] = ~no_home
    pop.has_id[ids] = risk(Purpose.RUGZAK_ID) >= p.rugzak_no_id
    in_care = u(Purpose.CARE_AT_ENTRY) < p.share_in_care_at_entry
    pop.care_met[ids] = (pop.addiction[ids] | pop.mental_health[ids]) & in_care
    pop.job_ready[ids] = np.where(no_work, 0.0, 1.0)


def typology_of(self_reliance: np.ndarray, help_seeking: np.ndarray) -> np.ndarray:
    """Derive the reporting type from the two traits (BrugBinnenBuiten2023 §2.3.1-2.3.2)."""
    high_sr = self_reliance >= 0.5
    high_hs = help_seeking >= 0.5
    return np.select(
        [~high_sr & ~high_hs, high_sr & ~high_hs, high_sr & high_hs], [0, 1, 2], default=3
    ).astype(np.int8)


def draw_detention_length(
    ids: np.ndarray, week: int | np.ndarray, p: Parameters, rng: KeyedRNG
) -> tuple[np.ndarray, np.ndarray]:
    """Length (weeks) and group of a detention episode (Leiden2024 Fig. 1.1, Appendix 4).

    ``week`` is the week each episode starts: one for all, or one per id.
    """
    g = rng.uniform(ids, week, Purpose.DETENTION_GROUP)
    ul = rng.uniform(ids, week, Purpose.DETENTION_LENGTH)
    short_share = p.detention_share_short
    group = (g >= short_share).astype(np.int8) + (g >= short_share + p.detention_share_medium)
    # 1-4 weeks, 5-13 weeks, or lognormal above 13 weeks
    length = np.where(group == 0, 1 + np.floor(ul * 4), 5 + np.floor(ul * 9))
    long_ = group == 2
    if long_.any():
        # the groups are exclusive, so the long group may reuse the same uniform
        zl = ndtri(np.clip(ul[long_], 1e-12, 1 - 1e-12))
        length[long_] = np.clip(
            np.round(p.detention_long_median_weeks * np.exp(zl)), 14, p.detention_long_max_weeks
        )
    return length.astype(np.int32), group
