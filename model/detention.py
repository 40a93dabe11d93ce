"""The detention phase: damage, the behaviour-gated regime and in-prison services.

* Damage per week inside (BrugBinnenBuiten2023 introduction; Leiden2024 §1.4.3,
  §7.6): self-reliance erodes, homes and jobs are lost, prosocial ties fade, criminogenic ties grow,
  debt mounts. A living-climate multiplier scales it; the basic regime is worse
  (Leiden2024 §4.2: about 20 hours a day in the cell). Problems are frozen and
  surface at release (Leiden2024 §4.2).
* The regime (Leiden2024 summary, §3.4.2, §7.2.4): everyone starts on the basic regime;
  six weeks of good behaviour earn the plus regime; misconduct demotes and the
  six-week count starts again. On the basic regime with gating on there is no
  training and staff contact is only six-weekly. Frustration lowers motivation,
  which makes misconduct likelier: the vicious loop. Support thus goes to those
  who stay long and behave (Leiden2024 summary), which emerges here rather than being set.
* In-prison services (CAW trajectory support, mental-health therapy, vocational
  training) have waiting lists; release or an early stop ends a trajectory. A
  stay has at most one trajectory of each service: one that ended, completed or
  stopped, is not started again before the next stay (no source describes
  repeats).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import njit

from .bundles import Clock, Domains, bundle
from .declare import PRISON_SERVICES, Events, choice, param
from .population import (
    BASIC,
    BENEFIT,
    DETAINED,
    FAMILY,
    FINISHED,
    IDLE,
    IN_SERVICE,
    INDEPENDENT,
    N_PRISON,
    NO_HOUSING,
    NO_INCOME,
    NO_WEEK,
    PLUS,
    REFERENCE_LEVEL,
    REFERENCE_STRESS,
    TRAIT_MIN,
    WAITING,
    WORK,
    missing,
)
from .rng import stream_key, unit
from .services import TIE_JITTER, cancel_all
from .services import Purpose as ServicePurpose

if TYPE_CHECKING:
    from .model import ReentryModel


@dataclass(frozen=True)
class DetentionParameters:
    """Detention damage, the regime and the services inside."""

    # detention damage
    damage_self_reliance_per_week: float = param(
        0.004,
        "self-reliance per week",
        (0.0, 0.05),
        "BrugBinnenBuiten2023 introduction (loss of autonomy); size assumption (range 0.001-0.01)",
        "Erosion of self-reliance per week inside.",
    )

    damage_lose_housing_per_week: float = param(
        0.0104,
        "probability per week",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §2.1.1 (even short stays cost the home); size assumption "
        "(range 0.01-0.08); "
        "ABC fit (ODD s.8)",
        "Weekly hazard of losing independent housing while inside (rent unpaid).",
    )

    damage_lose_family_housing_per_week: float = param(
        0.01,
        "probability per week",
        (0.0, 0.5),
        "assumption (range 0.0-0.03)",
        "Weekly hazard that family or friends stop offering a place while inside.",
    )

    damage_lose_job_per_week: float = param(
        0.12,
        "probability per week",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 introduction; size assumption (range 0.05-0.3)",
        "Weekly hazard of losing a job while inside.",
    )

    damage_lose_id_per_week: float = param(
        0.0115,
        "probability per week",
        (0.0, 0.2),
        "Leiden2024 §1.1-1.2 (15% leave without ID); size assumption; ABC fit (ODD s.8)",
        "Weekly hazard that an ID is lost or expires while inside.",
    )

    damage_lose_care_per_week: float = param(
        0.02,
        "probability per week",
        (0.0, 0.5),
        "assumption (range 0.01-0.1)",
        "Weekly hazard that care in place before detention is lost while inside.",
    )

    benefit_kept_weeks: int = param(
        4,
        "weeks",
        (0, 52),
        "assumption (range 0-8)",
        "A benefit is stopped when a stay inside lasts longer than this.",
    )

    housing_loss_to_family: float = param(
        0.501,
        "share",
        (0.0, 1.0),
        "assumption (range 0.2-0.7); ABC fit (ODD s.8)",
        "Of those who lose their home inside, the share who can go to family or friends.",
    )

    damage_prosocial_fade_per_week: float = param(
        0.01,
        "fraction per week",
        (0.0, 0.2),
        "BrugBinnenBuiten2023 §2.1.3 (ties fade inside); size assumption (range 0.005-0.03)",
        "Fraction of prosocial ties that fades per week inside.",
    )

    damage_criminogenic_growth_per_week: float = param(
        0.012,
        "fraction of gap per week",
        (0.0, 0.2),
        "Leiden2024 §5.3.1 (short stays as leerschool); size assumption",
        "Growth of criminogenic ties per week inside.",
    )

    damage_debt_per_week: float = param(
        0.0774,
        "k EUR per week",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 introduction (debt rose for 81%); size assumption "
        "(range 0.02-0.2); ABC fit (ODD s.8)",
        "Debt growth per week inside (court costs, fines, arrears).",
    )

    living_climate: float = param(
        1.0,
        "multiplier",
        (0.25, 3.0),
        "Leiden2024 §4.2 (about 20 hours a day in the cell); assumption",
        "Scales all detention damage (teaching lever).",
        "lever",
    )

    basic_regime_damage_multiplier: float = param(
        1.4,
        "multiplier",
        (1.0, 3.0),
        "Leiden2024 §4.2; size assumption (range 1.1-2.0)",
        "Extra damage on the basic regime compared with the plus regime.",
    )

    # regime gating
    gating_inside: bool = param(
        True,
        "on/off",
        choice(True, False),
        "Leiden2024 summary, §3.4.2, §7.2.4",
        "Behaviour-gated regime: the basic regime has no trainings and 6-weekly staff "
        "contact only.",
        "lever",
    )

    promotion_good_weeks: int = param(
        6,
        "weeks",
        (1, 26),
        "Leiden2024 §3.4.2 (6 weeks of good behaviour)",
        "Weeks of good behaviour before promotion to the plus regime (also the "
        "re-assessment delay after demotion).",
        "fixed",
    )

    staff_contact_interval_basic: int = param(
        6,
        "weeks",
        (1, 26),
        "Leiden2024 §3.4.2 (6-weekly contact on the basic regime)",
        "Interval of staff contact on the basic regime when gating is on.",
        "fixed",
    )

    misconduct_base_per_week: float = param(
        0.04,
        "probability per week",
        (0.0, 0.5),
        "assumption (range 0.01-0.1)",
        "Weekly chance of undesired behaviour at average motivation and stress.",
    )

    misconduct_motivation_weight: float = param(
        2.0,
        "log-odds per unit",
        (0.0, 6.0),
        "Leiden2024 summary, §7.2.4; size assumption (range 1-3)",
        "Weight of low motivation on the weekly chance of misconduct (the vicious loop).",
    )

    misconduct_stress_weight: float = param(
        1.5,
        "log-odds per unit",
        (0.0, 6.0),
        "Leiden2024 summary (complex problems lead to undesired behaviour: direction); size "
        "assumption (range 0.5-3)",
        "Weight of stress on the weekly chance of misconduct.",
    )

    misconduct_criminogenic_weight: float = param(
        1.0,
        "log-odds per unit",
        (0.0, 6.0),
        "assumption (range 0-2)",
        "Weight of criminogenic ties on the weekly chance of misconduct.",
    )

    misconduct_young_weight: float = param(
        0.5,
        "log-odds",
        (0.0, 4.0),
        "assumption (range 0-1)",
        "Weight of being under young_age_years on the weekly chance of misconduct.",
    )

    frustration_per_week: float = param(
        0.015,
        "motivation per week",
        (0.0, 0.2),
        "Leiden2024 summary, §7.2.4 (vicious loop); size assumption",
        "Motivation lost per week on the basic regime (the vicious loop).",
    )

    # in-prison services (Leiden2024 §3.4, §6.2.1; sizes are assumptions)
    prison_capacity_caw_support: float = param(
        3.0,
        "places per week per 100 detained",
        (0.0, 100.0),
        "assumption (range 0.5-10)",
        "Weekly intake of CAW trajectory support.",
        "lever",
    )

    prison_capacity_prison_mh_therapy: float = param(
        1.0,
        "places per week per 100 detained",
        (0.0, 100.0),
        "assumption (range 0.2-5)",
        "Weekly intake of mental-health therapy inside.",
        "lever",
    )

    prison_capacity_vocational_training: float = param(
        1.5,
        "places per week per 100 detained",
        (0.0, 100.0),
        "assumption (range 0.2-8)",
        "Weekly intake of vocational training.",
        "lever",
    )

    prison_duration_weeks: int = param(
        8,
        "weeks",
        (1, 52),
        "assumption (range 4-16)",
        "Length of an in-prison trajectory; release before the end loses it.",
    )

    prison_dropout_per_week: float = param(
        0.03,
        "probability per week",
        (0.0, 0.5),
        "assumption (range 0.01-0.08): many in-prison trajectories stop early",
        "Weekly chance that an in-prison trajectory stops early.",
    )

    prison_apply_per_week: float = param(
        0.15,
        "probability per week",
        (0.0, 1.0),
        "assumption (range 0.05-0.4)",
        "Weekly chance of asking for an in-prison service at average help-seeking.",
    )

    prison_apply_offset: float = param(
        0.5,
        "multiplier",
        (0.0, 3.0),
        "BrugBinnenBuiten2023 §2.3.1 (initiative towards services: direction); size assumption "
        "(range 0.25-1.5)",
        "The chance of asking for a service inside is prison_apply_per_week times (this + "
        "help-seeking): the lower this, the more help-seeking matters.",
    )

    prison_therapy_stress_relief: float = param(
        0.1,
        "stress",
        (0.0, 1.0),
        "assumption (range 0.0-0.3)",
        "Stress relieved by completing mental-health therapy inside.",
    )

    training_job_ready_gain: float = param(
        0.5,
        "score 0-1",
        (0.0, 1.0),
        "assumption (range 0.2-1.0)",
        "Job readiness gained by completing vocational training inside.",
    )

    job_ready_after_job_loss_inside: float = param(
        0.5,
        "score 0-1",
        (0.0, 1.0),
        "assumption (range 0.25-0.75); Leiden2024 §1.2 fn 4 (60% of those with work before "
        "detention work again in the month after) is a check, not this number",
        "Job readiness left to someone who loses their job while inside.",
    )


STATE: dict[str, tuple] = {
    "regime": (np.int8, BASIC),
    "good_weeks": (np.int16, 0),
    "detentions": (np.int16, 0),
    "prepared": (np.bool_, False),
    "prison_completed": (np.int8, 0),
    "prison_admitted_on_basic": (np.int8, 0),
    "prison_status": ((np.int8, N_PRISON), IDLE),
    "prison_since": ((np.int32, N_PRISON), NO_WEEK),
}
"""The regime, the count of good weeks, detentions so far, and the services inside:
(P, n) rows, one per in-prison service."""


class Purpose(IntEnum):
    """Random-number streams of detention."""

    LOSE_HOUSING = 20
    LOSE_JOB = 21
    LOSE_ID = 22
    MISCONDUCT = 23
    PRISON_APPLY = 24
    PRISON_DROPOUT = 25
    LOSE_CARE = 27
    PRISON_PLACES = 28
    HOUSING_FALLBACK = 55


EVENTS = Events(
    (
        "prison_admitted",
        "prison_completed",
        "prison_stopped_early",
        "prison_released_before_turn",
        "prison_released_during",
    ),
    PRISON_SERVICES,
)
"""Trajectories of the services inside and how they end."""


CAW, PRISON_MH, TRAINING = range(len(PRISON_SERVICES))
# plain ints, so that compiled kernels can key their draws
_MISCONDUCT, _LOSE_HOUSING = int(Purpose.MISCONDUCT), int(Purpose.LOSE_HOUSING)
_FALLBACK, _LOSE_JOB = int(Purpose.HOUSING_FALLBACK), int(Purpose.LOSE_JOB)
_LOSE_ID, _LOSE_CARE = int(Purpose.LOSE_ID), int(Purpose.LOSE_CARE)
_PRISON_APPLY, _DROPOUT = int(Purpose.PRISON_APPLY), int(Purpose.PRISON_DROPOUT)
_QUEUE_TIE, _PLACES = int(ServicePurpose.QUEUE_TIE), int(Purpose.PRISON_PLACES)


def logit(x: float) -> float:
    """Log-odds of a probability: -inf at 0 and +inf at 1, so that a base chance at either
    end of its allowed range stays there whatever the other terms add."""
    if x <= 0:
        return -np.inf
    if x >= 1:
        return np.inf
    return float(np.log(x / (1 - x)))


def enter_detention(
    m: ReentryModel, ids: np.ndarray, lengths: np.ndarray, groups: np.ndarray
) -> None:
    """Start a detention episode now; release is ``lengths`` weeks later."""
    if len(ids) == 0:
        return
    pop = m.pop
    pop.phase[ids] = DETAINED
    pop.entry_week[ids] = m.week
    pop.release_week[ids] = m.week + lengths
    pop.length_group[ids] = groups
    pop.regime[ids] = BASIC
    pop.good_weeks[ids] = 0
    pop.detentions[ids] += 1
    pop.prison_status[:, ids] = IDLE
    pop.prepared[ids] = False
    pop.prison_completed[ids] = 0
    pop.prison_admitted_on_basic[ids] = 0
    cancel_all(m, ids)
    m.support.on_detention(m, ids)  # helpers end what detention ends


def detention_week(m: ReentryModel, ids: np.ndarray) -> None:
    """One week inside for the people ``ids``."""
    if len(ids) == 0:
        return
    _regime(m, ids)
    _damage(m, ids)
    _prison_services(m, ids)


class RegimePeople(NamedTuple):
    """The population columns the regime reads and changes."""

    motivation: np.ndarray
    stress: np.ndarray
    ties_criminogenic: np.ndarray
    age: np.ndarray
    good_weeks: np.ndarray
    regime: np.ndarray


class RegimeParams(NamedTuple):
    """The regime, by the parameter table's names; ``misconduct_base_logit`` is the
    log-odds of ``misconduct_base_per_week``."""

    misconduct_base_logit: float
    misconduct_motivation_weight: float
    misconduct_stress_weight: float
    misconduct_criminogenic_weight: float
    misconduct_young_weight: float
    young_age_years: float
    promotion_good_weeks: int
    gating_inside: bool
    frustration_per_week: float


def _regime(m: ReentryModel, ids: np.ndarray) -> None:
    p = m.p
    _regime_kernel(
        ids,
        Clock(m.crn.seed, m.week, m.week - m.start_week),
        bundle(RegimePeople, m.pop),
        bundle(RegimeParams, p, misconduct_base_logit=logit(p.misconduct_base_per_week)),
    )


@njit(cache=True)
def _regime_kernel(ids, clock, people, par):
    """Misconduct, promotion and frustration this week for the people ``ids`` inside."""
    seed, week, _ = clock
    motivation = people.motivation
    stress = people.stress
    age = people.age
    ties_criminogenic = people.ties_criminogenic
    good_weeks = people.good_weeks
    regime = people.regime
    key = stream_key(seed, week, _MISCONDUCT)
    for i in ids:
        x = (
            par.misconduct_base_logit
            + par.misconduct_motivation_weight * (REFERENCE_LEVEL - motivation[i])
            + par.misconduct_stress_weight * (stress[i] - REFERENCE_STRESS)
            + par.misconduct_criminogenic_weight * ties_criminogenic[i]
            + par.misconduct_young_weight * (age[i] < par.young_age_years)
        )  # weights are assumptions (ranges in docs/ODD.md)
        if unit(key, i) < 1 / (1 + np.exp(-x)):  # misconduct: back to basic, count restarts
            good_weeks[i] = 0
            regime[i] = BASIC
        else:
            good_weeks[i] += 1
        if regime[i] == BASIC and good_weeks[i] >= par.promotion_good_weeks:
            regime[i] = PLUS
        if par.gating_inside and regime[i] == BASIC:
            motivation[i] = max(motivation[i] - par.frustration_per_week, 0.0)


class DamagedPeople(NamedTuple):
    """The population columns detention damage reads and changes."""

    regime: np.ndarray
    self_reliance: np.ndarray
    housing: np.ndarray
    address: np.ndarray
    income: np.ndarray
    entry_week: np.ndarray
    job_ready: np.ndarray
    has_id: np.ndarray
    care_met: np.ndarray
    ties_prosocial: np.ndarray
    ties_criminogenic: np.ndarray
    debt: np.ndarray


class DamageParams(NamedTuple):
    """Detention damage, by the parameter table's names."""

    living_climate: float
    basic_regime_damage_multiplier: float
    damage_self_reliance_per_week: float
    damage_lose_housing_per_week: float
    damage_lose_family_housing_per_week: float
    housing_loss_to_family: float
    damage_lose_job_per_week: float
    benefit_kept_weeks: int
    damage_lose_id_per_week: float
    damage_lose_care_per_week: float
    damage_prosocial_fade_per_week: float
    damage_criminogenic_growth_per_week: float
    damage_debt_per_week: float
    job_ready_after_job_loss_inside: float


def _damage(m: ReentryModel, ids: np.ndarray) -> None:
    clock = Clock(m.crn.seed, m.week, m.week - m.start_week)
    _damage_kernel(ids, clock, bundle(DamagedPeople, m.pop), bundle(DamageParams, m.p))


@njit(cache=True)
def _damage_kernel(ids, clock, people, par):
    """A week's damage for the people ``ids`` inside (see the module docstring)."""
    seed, week, _ = clock
    regime = people.regime
    self_reliance = people.self_reliance
    housing = people.housing
    address = people.address
    income = people.income
    entry_week = people.entry_week
    job_ready = people.job_ready
    has_id = people.has_id
    care_met = people.care_met
    ties_prosocial = people.ties_prosocial
    ties_criminogenic = people.ties_criminogenic
    debt = people.debt
    k_house, k_fallback = stream_key(seed, week, _LOSE_HOUSING), stream_key(seed, week, _FALLBACK)
    k_job, k_id = stream_key(seed, week, _LOSE_JOB), stream_key(seed, week, _LOSE_ID)
    k_care = stream_key(seed, week, _LOSE_CARE)
    for i in ids:
        mult = par.living_climate * (
            par.basic_regime_damage_multiplier if regime[i] == BASIC else 1.0
        )
        self_reliance[i] = max(
            self_reliance[i] - par.damage_self_reliance_per_week * mult, TRAIT_MIN
        )
        # housing: rent goes unpaid (BrugBinnenBuiten2023 §2.1.1); some can move in with family
        u = unit(k_house, i)
        if housing[i] == INDEPENDENT and u < min(
            max(par.damage_lose_housing_per_week * mult, 0.0), 1.0
        ):
            housing[i] = FAMILY if unit(k_fallback, i) < par.housing_loss_to_family else NO_HOUSING
        elif housing[i] == FAMILY and u < min(
            max(par.damage_lose_family_housing_per_week * mult, 0.0), 1.0
        ):
            housing[i] = NO_HOUSING
        address[i] = housing[i] != NO_HOUSING
        # income: jobs are lost; benefits stop after a few weeks inside
        if income[i] == WORK and unit(k_job, i) < par.damage_lose_job_per_week:
            income[i] = NO_INCOME
            job_ready[i] = par.job_ready_after_job_loss_inside
        elif income[i] == BENEFIT and week - entry_week[i] >= par.benefit_kept_weeks:
            income[i] = NO_INCOME
        if unit(k_id, i) < par.damage_lose_id_per_week:
            has_id[i] = False
        if unit(k_care, i) < par.damage_lose_care_per_week:
            care_met[i] = False
        # ties and debt (BrugBinnenBuiten2023 introduction, §2.1.3; Leiden2024 §5.3.1)
        ties_prosocial[i] *= min(max(1 - par.damage_prosocial_fade_per_week * mult, 0.0), 1.0)
        tc = ties_criminogenic[i]
        ties_criminogenic[i] = tc + min(
            max(par.damage_criminogenic_growth_per_week * mult, 0.0), 1.0
        ) * (1 - tc)
        debt[i] += par.damage_debt_per_week


_PRISON_EVENTS = ("prison_admitted", "prison_stopped_early", "prison_completed")
_ADMITTED, _STOPPED, _COMPLETED = range(len(_PRISON_EVENTS))


class InmatePeople(NamedTuple):
    """The population columns the in-prison services read and change."""

    regime: np.ndarray
    entry_week: np.ndarray
    help_seeking: np.ndarray
    prison_status: np.ndarray
    prison_since: np.ndarray
    prison_admitted_on_basic: np.ndarray
    prison_completed: np.ndarray
    prepared: np.ndarray
    stress: np.ndarray
    job_ready: np.ndarray
    motivation: np.ndarray
    domains: Domains


class PrisonParams(NamedTuple):
    """In-prison services, by the parameter table's names; ``prison_capacities`` holds the
    ``prison_capacity_<service>`` values in the order of PRISON_SERVICES."""

    gating_inside: bool
    staff_contact_interval_basic: int
    prison_apply_per_week: float
    prison_apply_offset: float
    prison_dropout_per_week: float
    prison_capacities: np.ndarray
    prison_duration_weeks: int
    motivation_success_gain: float
    debt_problem_threshold: float
    prison_therapy_stress_relief: float
    training_job_ready_gain: float


def _prison_services(m: ReentryModel, ids: np.ndarray) -> None:
    """People ask for, wait for, follow, drop out of and complete in-prison services."""
    p = m.p
    capacities = np.array([getattr(p, f"prison_capacity_{name}") for name in PRISON_SERVICES])
    kinds, people, services, waits = _prison_kernel(
        ids,
        Clock(m.crn.seed, m.week, m.week - m.start_week),
        bundle(InmatePeople, m.pop),
        bundle(PrisonParams, p, prison_capacities=capacities),
    )
    for code, kind in enumerate(_PRISON_EVENTS):
        rows = kinds == code
        m.events.record(kind, people[rows], services[rows], m.week, waits[rows])


@njit(cache=True)
def _prison_kernel(ids, clock, people, par):
    """Ask for, wait for, follow, drop out of and complete in-prison services."""
    seed, week, _ = clock
    has_id, housing, income, debt, debt_managed, addiction, mental_health, care_met = people.domains
    regime = people.regime
    entry_week = people.entry_week
    help_seeking = people.help_seeking
    prison_status = people.prison_status
    prison_since = people.prison_since
    prison_admitted_on_basic = people.prison_admitted_on_basic
    prison_completed = people.prison_completed
    prepared = people.prepared
    stress = people.stress
    job_ready = people.job_ready
    motivation = people.motivation
    n, n_services = ids.shape[0], prison_status.shape[0]
    k_apply, k_drop = stream_key(seed, week, _PRISON_APPLY), stream_key(seed, week, _DROPOUT)
    k_tie, k_places = stream_key(seed, 0, _QUEUE_TIE), stream_key(seed, week, _PLACES)
    gated = np.empty(n, dtype=np.bool_)
    dropout = np.empty(n, dtype=np.bool_)
    # asking: with gating, basic-regime people only see staff every six weeks, and get
    # no training at all
    for j in range(n):
        i = ids[j]
        gated[j] = par.gating_inside and regime[i] == BASIC
        dropout[j] = unit(k_drop, i) < par.prison_dropout_per_week
        can_ask = not gated[j] or (week - entry_week[i]) % par.staff_contact_interval_basic == 0
        if not unit(k_apply, i) < min(
            max(par.prison_apply_per_week * (par.prison_apply_offset + help_seeking[i]), 0.0), 1.0
        ):
            continue
        person = Domains(
            has_id[i], housing[i], income[i], debt[i], debt_managed[i], addiction[i],
            mental_health[i], care_met[i],
        )  # fmt: skip
        lacks = missing(person, par.debt_problem_threshold)
        wants = (
            can_ask and lacks > 0,
            can_ask and mental_health[i] and not care_met[i],
            not gated[j] and income[i] != WORK,
        )
        for k in range(n_services):
            if wants[k] and prison_status[k, i] == IDLE:
                prison_status[k, i] = WAITING
                prison_since[k, i] = week
    # at most two events a person and service: admitted, then stopped or completed
    most = 2 * n_services * n
    kinds = np.empty(most, dtype=np.int8)
    persons = np.empty(most, dtype=ids.dtype)
    services = np.empty(most, dtype=np.int8)
    waits = np.zeros(most, dtype=np.int32)
    n_events = 0
    for k in range(n_services):
        # places in proportion to the number detained now
        cap = par.prison_capacities[k] / 100 * n
        places = int(cap) + (unit(k_places, k) < cap % 1)
        # the plus regime goes first when gating; ties broken at random
        queue = np.empty(n, dtype=ids.dtype)
        key = np.empty(n)
        n_queue = 0
        for j in range(n):
            i = ids[j]
            if prison_status[k, i] == WAITING and not (gated[j] and k == TRAINING):
                queue[n_queue] = i
                key[n_queue] = prison_since[k, i] + unit(k_tie, i) * TIE_JITTER + 1e6 * gated[j]
                n_queue += 1
        if places > 0 and n_queue > 0:
            take = queue[:n_queue]
            if n_queue > places:
                take = take[np.argpartition(key[:n_queue], places - 1)[:places]]
            for i in take:
                kinds[n_events], persons[n_events], services[n_events] = _ADMITTED, i, k
                waits[n_events] = week - prison_since[k, i]
                n_events += 1
                if regime[i] == BASIC:
                    prison_admitted_on_basic[i] += 1
                prison_status[k, i] = IN_SERVICE
                prison_since[k, i] = week
        for j in range(n):
            i = ids[j]
            if prison_status[k, i] != IN_SERVICE:
                continue
            if (
                prison_since[k, i] + par.prison_duration_weeks <= week
            ):  # the last week completes the trajectory
                kinds[n_events], persons[n_events], services[n_events] = _COMPLETED, i, k
                n_events += 1
                prison_status[k, i] = FINISHED
                prison_completed[i] += 1
                if k == CAW:
                    # release preparation: ID, benefit and a shelter place for the day out
                    prepared[i] = True
                elif k == PRISON_MH:
                    care_met[i] = care_met[i] or mental_health[i]
                    stress[i] = max(stress[i] - par.prison_therapy_stress_relief, 0.0)
                else:
                    job_ready[i] = min(job_ready[i] + par.training_job_ready_gain, 1.0)
                motivation[i] = min(motivation[i] + par.motivation_success_gain, 1.0)
            elif dropout[j] and prison_since[k, i] < week:
                kinds[n_events], persons[n_events], services[n_events] = _STOPPED, i, k
                n_events += 1
                prison_status[k, i] = FINISHED
    return kinds[:n_events], persons[:n_events], services[:n_events], waits[:n_events]


def end_prison_services(m: ReentryModel, ids: np.ndarray) -> None:
    """Release ends every in-prison trajectory; count those cut short."""
    pop = m.pop
    for k in range(len(PRISON_SERVICES)):
        st = pop.prison_status[k, ids]
        m.events.record("prison_released_before_turn", ids[st == WAITING], k, m.week)
        m.events.record("prison_released_during", ids[st == IN_SERVICE], k, m.week)
    pop.prison_status[:, ids] = IDLE
