"""The population table: one row per person, numpy columns.

All person state lives here. :class:`agents.Person` objects are thin views onto
a row, so Mesa tooling sees real agents while the weekly update stays
vectorised. The model adds everyone who will ever enter at the start
(:meth:`Population.add`); they wait in the pre-entry phase until their entry week.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np
from numba import njit
from scipy.special import ndtr, ndtri

from .bundles import Domains, KeepsBundles, bundle
from .declare import PRISON_SERVICES, SERVICES, param
from .rng import KeyedRNG

if TYPE_CHECKING:
    from .parameters import Parameters


@dataclass(frozen=True)
class PopulationParameters:
    """Who enters detention, with which traits and problems, and how fast."""

    # who enters, and for how long
    detention_share_short: float = param(
        0.48,
        "share",
        (0.0, 1.0),
        "Leiden2024 Fig. 1.1 (47-50%)",
        "Share of detention episodes shorter than 1 month.",
        "lever",
    )

    detention_share_medium: float = param(
        0.22,
        "share",
        (0.0, 1.0),
        "Leiden2024 Fig. 1.1 (22%)",
        "Share of detention episodes of 1 to 3 months (the rest last longer).",
        "lever",
    )

    detention_long_median_weeks: float = param(
        30.0,
        "weeks",
        (14.0, 104.0),
        "Leiden2024 Appendix 4 (long-stay men median about 7 months)",
        "Median length of detention episodes longer than 3 months.",
        "fixed",
    )

    detention_long_max_weeks: int = param(
        104,
        "weeks",
        (14, 520),
        "assumption",
        "Cap on one detention episode, to keep the cohort's pre-release phase bounded.",
    )

    detention_long_sigma: float = param(
        1.0,
        "log-scale sd",
        (0.2, 2.0),
        "assumption (range 0.5-1.4); Leiden2024 Table 2.1 (long-stay men mean 568, median 210 "
        "days) and Appendix 4 (median 7.0, mean 18.6 months) imply about 1.4 before the cap",
        "Spread (log scale) of the lognormal length of detention episodes longer than 3 months.",
    )

    share_prior_detention: float = param(
        0.624,
        "share",
        (0.0, 1.0),
        "assumption, fitted so that 72% of releases follow an earlier detention (Leiden2024 "
        "Table 2.1); re-detentions within the run add to the new entrants' own",
        "Share of people entering the system (not re-detained within it) with at least one "
        "earlier detention.",
    )

    extra_priors_scale: float = param(
        2.0,
        "detentions",
        (0.5, 6.0),
        "assumption (range 1-4); Leiden2024 Table 2.1 gives the share with an earlier "
        "detention, not their number",
        "Of those with earlier detentions, the number beyond the first is the whole part of an "
        "exponential draw with this mean (2.0 gives 2.5 earlier detentions on average).",
    )

    priors_cap: int = param(
        5,
        "detentions",
        (1, 20),
        "assumption (range 3-10)",
        "Earlier detentions count towards trust and ties at entry and the offending hazard up "
        "to this many.",
    )

    share_female: float = param(
        0.08,
        "share",
        (0.0, 1.0),
        "assumption (range 0.04-0.12)",
        "Share of women among people entering detention.",
    )

    age_max_years: float = param(
        65.0,
        "years",
        (55.0, 80.0),
        "assumption (range 60-70); Leiden2024 Table 2.1 gives the mean age of its sample (38), "
        "not the range",
        "Oldest age at entry: ages run from 18 (adult detention) to this.",
    )

    age_skew: float = param(
        1.6,
        "exponent",
        (0.5, 3.0),
        "assumption (range 1.0-2.5, a mean age of 41.5 to 31.4 against 38 in the Leiden2024 "
        "Table 2.1 sample)",
        "Skew of the age at entry towards the young: the power of the uniform age draw (1 is "
        "uniform; 1.6 gives a mean of 36 and 30% under 25).",
    )

    share_addiction: float = param(
        0.35,
        "share",
        (0.0, 1.0),
        "Leiden2024 Table 4.1 (care need 58% of known); the split between addiction and mental "
        "health is an assumption (range 0.2-0.5)",
        "Share with an addiction care need.",
    )

    share_mental_health: float = param(
        0.35,
        "share",
        (0.0, 1.0),
        "Leiden2024 Table 4.1 (care need 58% of known); the split between addiction and mental "
        "health is an assumption (range 0.2-0.5)",
        "Share with a mental-health care need.",
    )

    self_reliance_mean: float = param(
        0.55,
        "score 0-1",
        (0.2, 0.8),
        "BrugBinnenBuiten2023 §2.3.1 (grip op het eigen leven); assumption (range 0.4-0.7)",
        "Mean self-reliance at entry before LVB and addiction penalties.",
    )

    self_reliance_sd: float = param(
        0.18,
        "score 0-1",
        (0.0, 0.4),
        "assumption (range 0.1-0.25)",
        "Spread of self-reliance at entry.",
    )

    help_seeking_mean: float = param(
        0.5,
        "score 0-1",
        (0.2, 0.8),
        "BrugBinnenBuiten2023 §2.3.1; assumption (range 0.35-0.65)",
        "Mean help-seeking (initiative towards services) at entry.",
    )

    help_seeking_sd: float = param(
        0.2,
        "score 0-1",
        (0.0, 0.4),
        "assumption (range 0.1-0.3)",
        "Spread of help-seeking at entry.",
    )

    typology_threshold: float = param(
        0.5,
        "score 0-1",
        (0.2, 0.8),
        "BrugBinnenBuiten2023 §2.3.1 (the two axes; no cut point given); cut assumption "
        "(range 0.4-0.6)",
        "Self-reliance and help-seeking at or above this count as high in the typology (shy, "
        "unsure, rational, demanding).",
    )

    lvb_self_reliance_penalty: float = param(
        0.15,
        "score 0-1",
        (0.0, 0.5),
        "Leiden2024 §1.2 (LVB); size assumption (range 0.05-0.3)",
        "Self-reliance lost with a mild intellectual disability.",
    )

    addiction_self_reliance_penalty: float = param(
        0.05,
        "score 0-1",
        (0.0, 0.5),
        "assumption (range 0.0-0.15)",
        "Self-reliance lost with an addiction, at entry.",
    )

    share_lvb: float = param(
        0.2,
        "share",
        (0.0, 0.6),
        "assumption (range 0.1-0.4)",
        "Share with a mild intellectual disability (LVB); lowers self-reliance.",
    )

    # states at entry
    motivation_at_entry: float = param(
        0.5,
        "score 0-1",
        (0.0, 1.0),
        "assumption (range 0.3-0.7)",
        "Motivation of every person entering the system (a re-detention keeps their own).",
    )

    stress_at_entry: float = param(
        0.3,
        "score 0-1",
        (0.0, 1.0),
        "assumption (range 0.1-0.5)",
        "Stress of every person entering the system, before release adds what has surfaced.",
    )

    trust_at_entry: float = param(
        0.55,
        "trust",
        (0.0, 1.0),
        "assumption (range 0.4-0.7)",
        "Trust in services at entry of someone without earlier detentions.",
    )

    trust_priors_loss: float = param(
        0.15,
        "trust",
        (0.0, 0.5),
        "Leiden2024 §7.4.3 (distrust of reintegration professionals rooted in earlier "
        "experiences: direction); size assumption (range 0.0-0.3)",
        "Trust at entry lost by someone with earlier detentions at the priors cap (in "
        "proportion below it).",
    )

    ties_prosocial_at_entry: float = param(
        0.55,
        "score 0-1",
        (0.0, 1.0),
        "assumption (range 0.4-0.7)",
        "Mean prosocial ties at entry of someone without earlier detentions.",
    )

    ties_prosocial_sd: float = param(
        0.15,
        "score 0-1",
        (0.0, 0.4),
        "assumption (range 0.05-0.25)",
        "Spread of prosocial ties at entry (the same draw lowers criminogenic ties, see "
        "ties_criminogenic_loading).",
    )

    ties_prosocial_priors_loss: float = param(
        0.15,
        "score 0-1",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §2.1.3 (contacts fade in detention: direction); size assumption "
        "(range 0.0-0.3)",
        "Prosocial ties at entry lost by someone at the priors cap (in proportion below it).",
    )

    ties_criminogenic_at_entry: float = param(
        0.15,
        "score 0-1",
        (0.0, 1.0),
        "assumption (range 0.05-0.3)",
        "Criminogenic ties at entry of someone without earlier detentions.",
    )

    ties_criminogenic_priors_gain: float = param(
        0.3,
        "score 0-1",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §2.1.3 (each release brings people back to the same network: "
        "direction), Leiden2024 §5.3.1 (leerschool); size assumption (range 0.1-0.5)",
        "Criminogenic ties at entry gained by someone at the priors cap (in proportion below it).",
    )

    ties_criminogenic_loading: float = param(
        0.05,
        "score 0-1 per sd",
        (0.0, 0.3),
        "assumption (range 0.0-0.1)",
        "How much the ties draw that raises prosocial ties at entry lowers criminogenic ties.",
    )

    # the rugzak: problems before detention, Pasma 2022 cited in Leiden2024 §1.2
    rugzak_no_work: float = param(
        0.42,
        "share",
        (0.0, 1.0),
        "Leiden2024 §1.2 (Pasma 2022)",
        "Share entering without work.",
        "fixed",
    )

    rugzak_debt: float = param(
        0.27,
        "share",
        (0.0, 1.0),
        "Leiden2024 §1.2 (Pasma 2022)",
        "Share entering with financial problems (debt).",
        "fixed",
    )

    rugzak_housing: float = param(
        0.23,
        "share",
        (0.0, 1.0),
        "Leiden2024 §1.2 (Pasma 2022)",
        "Share entering with housing problems (no housing).",
        "fixed",
    )

    rugzak_no_id: float = param(
        0.11,
        "share",
        (0.0, 1.0),
        "Leiden2024 §1.2 (Pasma 2022)",
        "Share entering without a valid ID.",
        "fixed",
    )

    share_benefit_if_no_work: float = param(
        0.748,
        "share",
        (0.0, 1.0),
        "assumption (range 0.3-0.8); ABC fit (ODD s.8)",
        "Of those entering without work, the share with a benefit.",
    )

    job_ready_without_work: float = param(
        0.0,
        "score 0-1",
        (0.0, 1.0),
        "assumption (range 0.0-0.5)",
        "Job readiness at entry of someone without work (with work it is 1).",
    )

    share_debt_managed_at_entry: float = param(
        0.35,
        "share",
        (0.0, 1.0),
        "Leiden2024 §4.4 (many under administration before and "
        "after detention); size assumption (range 0.2-0.5)",
        "Of those entering with debt problems, the share under a payment plan or administration.",
    )

    debt_excess_mean: float = param(
        3.0,
        "k EUR",
        (0.0, 20.0),
        "assumption (range 1-8)",
        "Mean debt above the problem threshold of those entering with debt problems (exponential).",
    )

    minor_debt_max_share: float = param(
        0.5,
        "share of debt_problem_threshold",
        (0.0, 1.0),
        "assumption (range 0.0-0.9)",
        "Debt at entry of those without debt problems: uniform up to this share of the threshold.",
    )

    share_in_care_at_entry: float = param(
        0.543,
        "share",
        (0.0, 1.0),
        "Leiden2024 Tables 4.1/4.2 (46% of care need had help); assumption; ABC fit (ODD s.8)",
        "Of those with a care need, the share in care when entering.",
    )

    rugzak_correlation: float = param(
        0.631,
        "correlation",
        (0.0, 0.95),
        "assumption (range 0.2-0.8); ABC fit (ODD s.8)",
        "Correlation of rugzak problems through a shared vulnerability (Gaussian copula); "
        "the same vulnerability lowers self-reliance.",
    )

    share_housed_with_family: float = param(
        0.35,
        "share",
        (0.0, 1.0),
        "assumption (range 0.2-0.5)",
        "Of those housed at entry, the share living with family or friends.",
    )

    # the basic conditions
    debt_problem_threshold: float = param(
        1.94,
        "k EUR",
        (0.0, 20.0),
        "assumption (range 0.5-3); ABC fit (ODD s.8)",
        "Debt above this level counts as a debt problem unless under a payment plan.",
    )

    # the stream of releases
    cohort_release_weeks: int = param(
        26,
        "weeks",
        (1, 156),
        "assumption (range 13-52)",
        "In cohort mode the cohort is released evenly over this many weeks from week 0, "
        "and services are sized for that stream.",
    )

    flow_releases_per_entry: float = param(
        1.37,
        "releases per entry",
        (1.0, 4.0),
        "1 / (1 - 0.27): every entry is released once, and once more for each "
        "re-detention within the 2-year reentry period, at the national 2-year rate of "
        "27% (Leiden2024 §1.1-1.2); the calibrated baseline's own ratio is checked by a test",
        "In flow mode, services, professionals and the buddy pool are sized for this "
        "many releases per entry: a fixed number, whatever a scenario does to re-detention.",
        "fixed",
    )


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
"""Types derived from self-reliance and help-seeking (BrugBinnenBuiten2023 §2.3: "geen rigide
kader"): reported, and the buddy programme acts on them (the rational type may leave early,
the demanding type strains a buddy)."""
SHY, UNSURE, RATIONAL, DEMANDING = range(len(TYPOLOGY))
LENGTH_GROUPS = ("<1m", "1-3m", ">3m")
"""Detention-length groups of Leiden2024 Fig. 1.1."""

N_SERVICES = len(SERVICES)
N_PRISON = len(PRISON_SERVICES)
NO_WEEK = -(2**30)
N_CONDITIONS = 5
"""The basic conditions (basisvoorwaarden): ID, housing, income, debts in order, care."""
TRAIT_MIN, TRAIT_MAX = 0.02, 0.98
"""Bounds of self-reliance, help-seeking and prosocial ties at entry; detention erodes
self-reliance down to TRAIT_MIN at most."""
REFERENCE_LEVEL, REFERENCE_STRESS = 0.5, 0.3
"""The points a logit is centred on: a trait (help-seeking, trust, self-reliance,
motivation) of 0.5, and stress 0.3 (the stress at entry by default); a base chance is the
chance there. Work is found alone at ``job_find_alone_per_week`` at self-reliance 0.5."""
ADULT_AGE_YEARS = 18
"""The youngest age at entry: adult detention."""
SHORT_STAY_MAX_WEEKS, MEDIUM_STAY_MAX_WEEKS = 4, 13
"""The detention-length groups of Leiden2024 Fig. 1.1 in whole weeks: under 1 month, 1-3
months, longer."""
EPS, EPS_PROBIT = 1e-9, 1e-12
"""Numerical guards: against log(0) and division by zero, and against an infinite probit."""

# name -> (dtype, fill value for new rows); shape (n,), or (k, n) for a (dtype, k) tuple:
# per-service state is stored one contiguous row per service, which keeps
# "any service" and "per service" operations fast
STATE: dict[str, tuple] = {
    # traits (these and the dynamic traits are placeholders: sample_people sets each at entry)
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
    "entry_week": (np.int32, NO_WEEK),
    "release_week": (np.int32, NO_WEEK),
    "length_group": (np.int8, 0),
    # basisvoorwaarden
    "has_id": (np.bool_, True),
    "address": (np.bool_, True),
    "housing": (np.int8, INDEPENDENT),
    "income": (np.int8, NO_INCOME),
    "debt": (np.float64, 0.0),
    "debt_managed": (np.bool_, False),
    "care_met": (np.bool_, False),
    "relapse": (np.bool_, False),
    "job_ready": (np.float64, 0.0),
}
"""The person columns every mechanism shares: traits, states, the legal phase and the
five basic conditions. Each mechanism declares the columns it owns next to its code
(``STATE`` in its module); :data:`model.mechanisms.STATE` gathers them all."""


class Purpose(IntEnum):
    """Random-number streams of the people entering (keyed by person id alone, so that a
    person's traits do not depend on when they arrive), and of the arrivals themselves."""

    SELF_RELIANCE = 1
    HELP_SEEKING = 2
    AGE = 3
    SEX = 4
    ADDICTION = 5
    MENTAL_HEALTH = 6
    LVB = 7
    PRIORS = 8
    RUGZAK_WORK = 9
    RUGZAK_DEBT = 10
    RUGZAK_HOUSING = 11
    RUGZAK_ID = 12
    DEBT_LEVEL = 13
    TIES = 14
    HOUSING_TYPE = 15
    DETENTION_GROUP = 16
    DETENTION_LENGTH = 17
    BENEFIT_AT_ENTRY = 18
    CARE_AT_ENTRY = 19
    VULNERABILITY = 29
    DEBT_MANAGED = 30
    ARRIVALS = 60
    COHORT_RELEASE = 62


class Population(KeepsBundles):
    """Columns of person state, indexed by person id (row number)."""

    def __init__(self, columns: dict[str, tuple]) -> None:
        """Empty columns, one for each ``name -> (dtype, fill)`` of ``columns`` (every
        mechanism's, :data:`model.mechanisms.STATE`)."""
        self.n = 0
        self.columns = columns
        for name, (dtype, _) in columns.items():
            if isinstance(dtype, tuple):
                setattr(self, name, np.empty((dtype[1], 0), dtype=dtype[0]))
            else:
                setattr(self, name, np.empty(0, dtype=dtype))

    def add(self, k: int) -> np.ndarray:
        """Append ``k`` rows with fill values; returns their ids."""
        for name, (dtype, fill) in self.columns.items():
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
    return N_CONDITIONS - (
        present + debt_ok(person.debt, person.debt_managed, debt_threshold) + care_ok
    )


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

    age_range = p.age_max_years - ADULT_AGE_YEARS
    pop.age[ids] = ADULT_AGE_YEARS + age_range * u(Purpose.AGE) ** p.age_skew
    pop.female[ids] = u(Purpose.SEX) < p.share_female
    pop.addiction[ids] = risk(Purpose.ADDICTION) < p.share_addiction
    pop.mental_health[ids] = risk(Purpose.MENTAL_HEALTH) < p.share_mental_health
    pop.lvb[ids] = risk(Purpose.LVB) < p.share_lvb
    up = risk(Purpose.PRIORS)
    has_prior = up < p.share_prior_detention
    # among those with priors, 1 + a geometric-like count (mean 2.5 at the default scale)
    extra = np.floor(
        -np.log(np.clip(up / max(p.share_prior_detention, EPS), EPS, 1)) * p.extra_priors_scale
    )
    pop.priors[ids] = np.where(has_prior, 1 + extra, 0).astype(np.int16)

    sr_z = -np.sqrt(rho) * vulnerable + np.sqrt(1 - rho) * z(Purpose.SELF_RELIANCE)
    sr = (
        p.self_reliance_mean
        + p.self_reliance_sd * sr_z
        - p.lvb_self_reliance_penalty * pop.lvb[ids]
        - p.addiction_self_reliance_penalty * pop.addiction[ids]
    )
    pop.self_reliance[ids] = np.clip(sr, TRAIT_MIN, TRAIT_MAX)
    pop.self_reliance_own[ids] = pop.self_reliance[ids]  # what detention erodes, and recovers to
    pop.help_seeking[ids] = np.clip(
        p.help_seeking_mean + p.help_seeking_sd * z(Purpose.HELP_SEEKING), TRAIT_MIN, TRAIT_MAX
    )
    pop.typology[ids] = typology_of(
        pop.self_reliance[ids], pop.help_seeking[ids], p.typology_threshold
    )
    pop.motivation[ids] = p.motivation_at_entry
    pop.stress[ids] = p.stress_at_entry
    capped_priors = np.minimum(pop.priors[ids], p.priors_cap) / p.priors_cap
    pop.trust[ids] = np.clip(p.trust_at_entry - p.trust_priors_loss * capped_priors, 0.05, 0.95)
    zt = z(Purpose.TIES)
    pop.ties_prosocial[ids] = np.clip(
        p.ties_prosocial_at_entry
        + p.ties_prosocial_sd * zt
        - p.ties_prosocial_priors_loss * capped_priors,
        TRAIT_MIN,
        TRAIT_MAX,
    )
    pop.ties_criminogenic[ids] = np.clip(
        p.ties_criminogenic_at_entry
        + p.ties_criminogenic_priors_gain * capped_priors
        - p.ties_criminogenic_loading * zt,
        0.0,
        0.95,
    )

    # the rugzak (Leiden2024 §1.2)
    no_work = risk(Purpose.RUGZAK_WORK) < p.rugzak_no_work
    on_benefit = no_work & (u(Purpose.BENEFIT_AT_ENTRY) < p.share_benefit_if_no_work)
    pop.income[ids] = np.where(~no_work, WORK, np.where(on_benefit, BENEFIT, NO_INCOME))
    has_debt = risk(Purpose.RUGZAK_DEBT) < p.rugzak_debt
    ud = u(Purpose.DEBT_LEVEL)
    pop.debt[ids] = np.where(
        has_debt,
        p.debt_problem_threshold - p.debt_excess_mean * np.log(np.clip(ud, EPS, 1)),
        p.minor_debt_max_share * ud * p.debt_problem_threshold,
    )
    pop.debt_managed[ids] = has_debt & (u(Purpose.DEBT_MANAGED) < p.share_debt_managed_at_entry)
    no_home = risk(Purpose.RUGZAK_HOUSING) < p.rugzak_housing
    family = u(Purpose.HOUSING_TYPE) < p.share_housed_with_family
    pop.housing[ids] = np.where(no_home, NO_HOUSING, np.where(family, FAMILY, INDEPENDENT))
    pop.address[ids] = ~no_home
    pop.has_id[ids] = risk(Purpose.RUGZAK_ID) >= p.rugzak_no_id
    in_care = u(Purpose.CARE_AT_ENTRY) < p.share_in_care_at_entry
    pop.care_met[ids] = (pop.addiction[ids] | pop.mental_health[ids]) & in_care
    pop.job_ready[ids] = np.where(no_work, p.job_ready_without_work, 1.0)


def typology_of(
    self_reliance: np.ndarray, help_seeking: np.ndarray, threshold: float
) -> np.ndarray:
    """The type (see :data:`TYPOLOGY`) from the two traits, each high at or above
    ``threshold`` (BrugBinnenBuiten2023 §2.3.1-2.3.2)."""
    high_sr = self_reliance >= threshold
    high_hs = help_seeking >= threshold
    return np.select(
        [~high_sr & ~high_hs, high_sr & ~high_hs, high_sr & high_hs],
        [SHY, UNSURE, RATIONAL],
        default=DEMANDING,
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
    # 1-4 weeks, 5-13 weeks (uniform), or lognormal above 13 weeks
    short, medium = SHORT_STAY_MAX_WEEKS, MEDIUM_STAY_MAX_WEEKS
    length = np.where(
        group == 0, 1 + np.floor(ul * short), short + 1 + np.floor(ul * (medium - short))
    )
    long_ = group == 2
    if long_.any():
        # the groups are exclusive, so the long group may reuse the same uniform
        zl = ndtri(np.clip(ul[long_], EPS_PROBIT, 1 - EPS_PROBIT))
        length[long_] = np.clip(
            np.round(p.detention_long_median_weeks * np.exp(p.detention_long_sigma * zl)),
            medium + 1,
            p.detention_long_max_weeks,
        )
    return length.astype(np.int32), group
