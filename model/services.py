"""Services outside prison: needs, entry conditions, waiting lists and outcomes.

Each service has a weekly intake (capacity), a waiting list with a policy
(first come first served, or the least self-reliant first), entry conditions,
a processing time, a success chance graded by who comes along (alone, buddy,
professional: BrugBinnenBuiten2023 §3.3.2, §4.4.5) and abandonment while waiting
that rises with the wait (BrugBinnenBuiten2023 §2.2.3; Leiden2024 §6.2.1). The
order of ``SERVICES`` is the chain of prerequisites a helper works through
(BrugBinnenBuiten2023 §2.1.1; Leiden2024 §1.2, §4.4.1).

State lives in the population's ``svc_*`` arrays (one row per service):
``svc_status`` is idle, waiting or in service; ``svc_since`` is the week the
person joined the list (while waiting) or took the place (while in service).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import njit

from .bundles import Clock, bundle
from .declare import SERVICES, Events, choice, param
from .population import (
    ALONE,
    BENEFIT,
    IDLE,
    IN_SERVICE,
    INDEPENDENT,
    N_SERVICES,
    NO_HOUSING,
    NO_INCOME,
    NO_WEEK,
    SHELTER,
    WAITING,
    WORK,
    debt_ok,
)
from .rng import stream_key, unit

if TYPE_CHECKING:
    from .model import ReentryModel

S = {name: i for i, name in enumerate(SERVICES)}
TIE_JITTER = 0.5
"""Waiting lists order by the week of joining plus a random fraction below this, so that
people who joined in the same week are taken in random order."""


# row numbers as plain ints for the compiled kernels
_ID, _SHELTER, _BENEFIT = S["id_office"], S["shelter"], S["benefit_office"]
_DEBT, _HOUSING = S["debt_counselling"], S["housing"]
# the services whose places count as daytime activity (see busy())
EMPLOYMENT, ADDICTION_CARE, MENTAL_HEALTH_CARE = (
    S[s] for s in ("employment_support", "addiction_care", "mental_health_care")
)


@dataclass(frozen=True)
class ServiceParameters:
    """Services outside: places, waiting lists, entry conditions and success."""

    # the benefit: its delay, and an advance on application
    advance_on_application_share: float = param(
        0.512,
        "share of claims",
        (0.0, 1.0),
        "Leiden2024 §6.2.3 (an advance 'is certainly not always used'); size assumption "
        "(range 0.1-0.6); ABC fit (ODD s.8)",
        "Of benefit claims lodged after release, the share that gets an advance at once.",
        "calibrated",
    )

    benefit_delay_min_weeks: int = param(
        8,
        "weeks",
        (0, 26),
        "Leiden2024 §6.2.3 (8-12 weeks)",
        "Shortest benefit decision delay.",
        "fixed",
    )

    benefit_delay_max_weeks: int = param(
        12,
        "weeks",
        (0, 26),
        "Leiden2024 §6.2.3 (8-12 weeks)",
        "Longest benefit decision delay.",
        "fixed",
    )

    # places, waiting lists, entry conditions and success
    capacity_id_office: float = param(
        21.0,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "its steady-state demand (reentry size): no shortage described; assumption",
        "Weekly intake of the ID office, relative to the release flow.",
        "lever",
    )

    capacity_shelter: float = param(
        60.2,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "status quo inferred by calibration round 5 (ODD s.8); assumption",
        "Weekly intake of shelter or supported housing.",
        "lever",
    )

    capacity_benefit_office: float = param(
        150.0,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "its steady-state demand (reentry size): no shortage described; assumption",
        "Weekly intake of benefit applications.",
        "lever",
    )

    capacity_addiction_care: float = param(
        24.0,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "status quo inferred by calibration round 5 (ODD s.8); assumption",
        "Weekly intake of addiction care.",
        "lever",
    )

    capacity_mental_health_care: float = param(
        17.6,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "status quo inferred by calibration round 5 (ODD s.8); assumption",
        "Weekly intake of mental-health care.",
        "lever",
    )

    capacity_debt_counselling: float = param(
        48.3,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "status quo inferred by calibration round 5 (ODD s.8); assumption",
        "Weekly intake of debt counselling.",
        "lever",
    )

    capacity_housing: float = param(
        43.7,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "status quo inferred by calibration round 5 (ODD s.8); assumption",
        "Weekly allocation of independent rented homes.",
        "lever",
    )

    capacity_employment_support: float = param(
        134.0,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "status quo inferred by calibration round 5 (ODD s.8); assumption",
        "Weekly intake of employment support.",
        "lever",
    )

    queue_policy: str = param(
        "fcfs",
        "policy",
        choice("fcfs", "priority"),
        "a policy choice; first come first served is today's practice (assumption)",
        "Waiting-list order: first come first served, or the least self-reliant first.",
        "lever",
    )

    gating_outside: bool = param(
        False,
        "on/off",
        choice(True, False),
        "BrugBinnenBuiten2023 §2.2.4-2.2.5 (extension beyond sources)",
        "Sobriety condition for shelter and care: active use leads to refusal.",
        "lever",
    )

    service_weeks: int = param(
        3,
        "weeks",
        (1, 26),
        "assumption (range 1-8)",
        "Processing time of a service once a place is taken.",
    )

    success_alone: float = param(
        0.757,
        "probability",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §3.3.2 (graded); size assumption; ABC fit (ODD s.8)",
        "Chance an application succeeds for a person alone.",
    )

    success_buddy: float = param(
        0.75,
        "probability",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §4.4.5 (buddy goes along); size assumption",
        "Chance an application succeeds with a buddy who goes along.",
    )

    success_professional: float = param(
        0.85,
        "probability",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §3.3.2 (professional advocates); size assumption",
        "Chance an application succeeds with a professional who advocates.",
    )

    abandon_base_per_week: float = param(
        0.02,
        "probability per week",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §2.2.3; size assumption",
        "Weekly chance of giving up a waiting list at the start of the wait.",
    )

    readiness_window_weeks: float = param(
        12.0,
        "weeks",
        (1.0, 104.0),
        "Leiden2024 §6.2.1 (a 6-month wait); assumption (range 4-26)",
        "Wait after which the chance of giving up has doubled.",
    )

    safety_net_effect: float = param(
        0.6,
        "fraction",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §4.2.4; size assumption",
        "Reduction of giving up while a helper keeps in contact during the wait.",
    )

    abandon_motivation_offset: float = param(
        1.5,
        "multiplier",
        (1.0, 3.0),
        "Leiden2024 §5.3.1 (motivation is fragile), BrugBinnenBuiten2023 §2.2.3 (readiness "
        "fades while waiting): direction; size assumption (range 1.1-2.5)",
        "The chance of giving up a waiting list scales with (this - motivation): the lower "
        "this, the more motivation matters.",
    )

    abandon_motivation_loss_weeks: float = param(
        3.0,
        "weeks of motivation_decay_per_week",
        (0.0, 20.0),
        "Leiden2024 §5.3.1 (setbacks turn motivation into pessimism: direction); size "
        "assumption (range 0-6)",
        "Giving up a waiting list costs this many weeks' worth of motivation decay (a multiple, "
        "so it follows motivation_decay_per_week).",
    )

    employment_support_job_ready_gain: float = param(
        0.25,
        "score 0-1",
        (0.0, 1.0),
        "assumption (range 0.0-0.5)",
        "Job readiness gained from an employment-support trajectory that does not end in work.",
    )


STATE: dict[str, tuple] = {
    "benefit_due_week": (np.int32, NO_WEEK),
    "svc_status": ((np.int8, N_SERVICES), IDLE),
    "svc_since": ((np.int32, N_SERVICES), NO_WEEK),
    "svc_grade": ((np.int8, N_SERVICES), ALONE),
    # a need is "known" once the person asked for it or a helper found it; the
    # flag resets when the need goes, so a new episode must be found again
    "need_known": ((np.bool_, N_SERVICES), False),
}
"""Where each person stands with each service outside: (S, n) rows, one per service."""


class Purpose(IntEnum):
    """Random-number streams of the services (the queue tie-break also orders the waiting
    lists inside and the buddy programme's)."""

    QUEUE_TIE = 42
    ABANDON = 43
    SUCCESS = 44
    BENEFIT_DELAY = 45
    BENEFIT_ADVANCE = 56


EVENTS = Events(("refused", "admitted", "abandoned", "succeeded", "failed"), SERVICES)
"""Applications to the services outside and how they end."""


_ABANDON, _QUEUE_TIE, _SUCCESS = int(Purpose.ABANDON), int(Purpose.QUEUE_TIE), int(Purpose.SUCCESS)
_ADVANCE, _DELAY = int(Purpose.BENEFIT_ADVANCE), int(Purpose.BENEFIT_DELAY)


@njit(cache=True, inline="always")
def needs(person, benefit_due_week, debt_threshold):
    """The services a person needs now, as bits: bit ``s`` is set for service ``s``
    (compiled kernels). Takes one person's values, as :func:`model.population.missing`
    does, and their ``benefit_due_week``."""
    return (
        ((not person.has_id) << _ID)
        | ((person.housing == NO_HOUSING) << _SHELTER)
        | ((person.income == NO_INCOME and benefit_due_week == NO_WEEK) << _BENEFIT)
        | ((person.addiction and not person.care_met) << ADDICTION_CARE)
        | ((person.mental_health and not person.care_met) << MENTAL_HEALTH_CARE)
        | ((not debt_ok(person.debt, person.debt_managed, debt_threshold)) << _DEBT)
        | ((person.housing <= SHELTER) << _HOUSING)
        | ((person.income != WORK) << EMPLOYMENT)
    )


@njit(cache=True, inline="always")
def accepts(s, has_id, address, income, relapse, gating_outside):
    """Whether service ``s`` would accept a person with these values now (compiled kernels).

    ID is needed for almost everything, an address for registration-based
    services, income for a lease and for debt counselling (BrugBinnenBuiten2023
    §2.1.2, §2.2.4-2.2.5; Leiden2024 §1.2, §4.4.1). ``gating_outside`` adds a
    sobriety condition (an extension beyond the sources).
    """
    if s == _ID:
        return True
    if not has_id:
        return False
    sober = not (gating_outside and relapse)
    if s in (_SHELTER, ADDICTION_CARE, MENTAL_HEALTH_CARE):
        return sober
    if s in (_BENEFIT, EMPLOYMENT):
        return address
    if s == _DEBT:
        return address and income != NO_INCOME
    return income != NO_INCOME  # a lease


@njit(cache=True, inline="always")
def busy(income, employment_support, addiction_care, mental_health_care):
    """Daytime activity: work, or employment support or care in progress (compiled kernels).

    Takes a person's income and their status at the three services, as values: an
    array argument costs reference counting on every call, even inlined.
    """
    return (
        income == WORK
        or employment_support == IN_SERVICE
        or addiction_care == IN_SERVICE
        or mental_health_care == IN_SERVICE
    )


@njit(cache=True, inline="always")
def places_in_week(rate: float, w: int) -> int:
    """Places a service with ``rate`` places a week offers in week ``w`` of the run;
    the fractional part spreads evenly over weeks."""
    return int(np.floor(rate * (w + 1)) - np.floor(rate * w))


_SERVICE_EVENTS = ("abandoned", "admitted", "succeeded", "failed")
_ABANDONED, _ADMITTED, _SUCCEEDED, _FAILED = range(len(_SERVICE_EVENTS))


class ServicePeople(NamedTuple):
    """The population columns the services read and change."""

    svc_status: np.ndarray
    svc_since: np.ndarray
    svc_grade: np.ndarray
    motivation: np.ndarray
    trust: np.ndarray
    help_seeking: np.ndarray
    self_reliance: np.ndarray
    has_id: np.ndarray
    housing: np.ndarray
    address: np.ndarray
    income: np.ndarray
    benefit_due_week: np.ndarray
    care_met: np.ndarray
    relapse: np.ndarray
    debt_managed: np.ndarray
    job_ready: np.ndarray
    last_conviction_week: np.ndarray


class Helpers(NamedTuple):
    """Per person, the best help at hand and whether a helper keeps in touch."""

    grade: np.ndarray
    has_helper: np.ndarray


class ServiceParams(NamedTuple):
    """The parameters of the services, by their names in the parameter table; plus
    ``priority_queue`` (queue_policy is "priority") and ``success_by_grade`` (the
    chances alone, with a buddy, with a professional)."""

    service_weeks: int
    abandon_base_per_week: float
    readiness_window_weeks: float
    safety_net_effect: float
    abandon_motivation_offset: float
    abandon_motivation_loss_weeks: float
    employment_support_job_ready_gain: float
    motivation_decay_per_week: float
    priority_queue: bool
    success_by_grade: np.ndarray
    advance_on_application_share: float
    benefit_delay_min_weeks: int
    benefit_delay_max_weeks: int
    trust_setback_loss: float
    help_seeking_refusal_loss: float
    trust_success_gain: float
    motivation_success_gain: float
    vog_required_share: float
    vog_window_weeks: int
    jobs_open_unready_share: float


def run_services(m: ReentryModel) -> None:
    """One week of every service: give up, admit, decide.

    People on a list give up with a hazard that rises with the wait and falls
    with motivation and a helper's safety net; each service admits its weekly
    places from the head of its list; applications whose processing is done
    succeed or fail, and take effect. Draws are keyed by (person, service).
    """
    pop, p = m.pop, m.p
    kinds, people, services, waits = _services_kernel(
        Clock(m.crn.seed, m.week, m.week - m.start_week),
        m.service_rate,
        bundle(ServicePeople, pop),
        bundle(Helpers, m.support),
        bundle(
            ServiceParams, p,
            priority_queue=p.queue_policy == "priority",
            success_by_grade=np.array([p.success_alone, p.success_buddy, p.success_professional]),
        ),
    )  # fmt: skip
    for code, kind in enumerate(_SERVICE_EVENTS):
        rows = kinds == code
        m.events.record(kind, people[rows], services[rows], m.week, waits[rows])


@njit(cache=True)
def int_list():
    """An empty list of integers (numba cannot type a bare ``[]``)."""
    return [0 for _ in range(0)]


@njit(cache=True)
def _bump_all(column, ids, delta):
    """Add ``delta`` once per occurrence of each id, then keep the column in [0, 1]."""
    for i in ids:
        column[i] += delta
    for i in ids:
        column[i] = min(max(column[i], 0.0), 1.0)


@njit(cache=True)
def _services_kernel(clock, service_rate, people, helpers, par):
    """Give up, admit and decide, for every service at once (see :func:`run_services`)."""
    seed, week, run_week = clock
    # the population's columns, under their own names
    svc_status = people.svc_status
    svc_since = people.svc_since
    svc_grade = people.svc_grade
    motivation = people.motivation
    trust = people.trust
    help_seeking = people.help_seeking
    self_reliance = people.self_reliance
    has_id = people.has_id
    housing = people.housing
    address = people.address
    income = people.income
    benefit_due_week = people.benefit_due_week
    care_met = people.care_met
    relapse = people.relapse
    debt_managed = people.debt_managed
    job_ready = people.job_ready
    last_conviction_week = people.last_conviction_week
    n_svc, n = svc_status.shape
    k_abandon, k_tie = stream_key(seed, week, _ABANDON), stream_key(seed, 0, _QUEUE_TIE)
    k_success, k_advance = stream_key(seed, week, _SUCCESS), stream_key(seed, week, _ADVANCE)
    k_delay = stream_key(seed, week, _DELAY)
    # the (service, person) pairs on a list and those whose processing is done
    wait_s, wait_i, done_s, done_i = int_list(), int_list(), int_list(), int_list()
    for s in range(n_svc):
        for i in range(n):
            if svc_status[s, i] == WAITING:
                wait_s.append(s)
                wait_i.append(i)
            elif svc_status[s, i] == IN_SERVICE and svc_since[s, i] + par.service_weeks <= week:
                done_s.append(s)
                done_i.append(i)
    kinds, persons, services, waits = int_list(), int_list(), int_list(), int_list()

    # giving up: the hazard rises with the wait (BrugBinnenBuiten2023 §2.2.3; Leiden2024 §6.2.1)
    quitters = int_list()
    stays = np.ones(len(wait_i), dtype=np.bool_)
    for q in range(len(wait_i)):
        s, i = wait_s[q], wait_i[q]
        waited = week - svc_since[s, i]
        hazard = (
            par.abandon_base_per_week
            * (1 + waited / par.readiness_window_weeks)
            * (par.abandon_motivation_offset - motivation[i])
            * (1 - par.safety_net_effect * helpers.has_helper[i])
        )
        if unit(k_abandon, i * n_svc + s) < min(max(hazard, 0.0), 1.0):
            stays[q] = False
            svc_status[s, i] = IDLE
            kinds.append(_ABANDONED), persons.append(i), services.append(s), waits.append(waited)
            quitters.append(i)
    _bump_all(trust, quitters, -par.trust_setback_loss)
    for i in quitters:
        motivation[i] = max(
            motivation[i] - par.motivation_decay_per_week * par.abandon_motivation_loss_weeks, 0.0
        )

    # admission: each service fills its weekly places from the head of its list
    q = 0
    while q < len(wait_i):
        s, first = wait_s[q], q
        while q < len(wait_i) and wait_s[q] == s:
            q += 1
        queue = [wait_i[r] for r in range(first, q) if stays[r]]
        places = places_in_week(service_rate[s], run_week)
        if places <= 0 or len(queue) == 0:
            continue
        if len(queue) > places:
            key = np.empty(len(queue))
            for r in range(len(queue)):
                i = queue[r]
                key[r] = svc_since[s, i] + unit(k_tie, i) * TIE_JITTER
                if par.priority_queue:  # the least self-reliant first
                    key[r] = self_reliance[i] * 1e6 + key[r]
            queue = [queue[r] for r in np.argpartition(key, places - 1)[:places]]
        for i in queue:
            kinds.append(_ADMITTED), persons.append(i), services.append(s)
            waits.append(week - svc_since[s, i])
            svc_status[s, i] = IN_SERVICE
            svc_since[s, i] = week

    # decisions: graded success, alone < buddy < professional (BrugBinnenBuiten2023 §3.3.2, §4.4.5)
    ok = np.empty(len(done_i), dtype=np.bool_)
    failed, succeeded = int_list(), int_list()
    for d in range(len(done_i)):
        s, i = done_s[d], done_i[d]
        svc_status[s, i] = IDLE
        chance = par.success_by_grade[max(svc_grade[s, i], helpers.grade[i])]
        if s == EMPLOYMENT:
            chance *= open_job_share(
                week,
                last_conviction_week[i],
                job_ready[i],
                par.vog_required_share,
                par.vog_window_weeks,
                par.jobs_open_unready_share,
            )
        ok[d] = unit(k_success, i * n_svc + s) < chance
        kinds.append(_SUCCEEDED if ok[d] else _FAILED), persons.append(i), services.append(s)
        waits.append(0)
        if ok[d]:
            succeeded.append(i)
        else:
            failed.append(i)
    # refusals lower trust and help-seeking; successes raise trust and motivation
    _bump_all(trust, failed, -par.trust_setback_loss)
    _bump_all(help_seeking, failed, -par.help_seeking_refusal_loss)
    _bump_all(trust, succeeded, par.trust_success_gain)
    _bump_all(motivation, succeeded, par.motivation_success_gain)
    for d in range(len(done_i)):
        s, i = done_s[d], done_i[d]
        if not ok[d]:
            if s == EMPLOYMENT:
                job_ready[i] = min(job_ready[i] + par.employment_support_job_ready_gain, 1.0)
        elif s == _ID:
            has_id[i] = True
        elif s == _SHELTER:
            housing[i] = SHELTER
            address[i] = True
        elif s == _HOUSING:  # the lease needs income: checked at entry (``accepts``)
            housing[i] = INDEPENDENT
            address[i] = True
        elif s == _BENEFIT:
            # a decision after 8-12 weeks (Leiden2024 §6.2.3), with an advance for some
            delay = benefit_delay(
                unit(k_delay, i), par.benefit_delay_min_weeks, par.benefit_delay_max_weeks
            )
            benefit_due_week[i] = week + delay
            if unit(k_advance, i) < par.advance_on_application_share and income[i] == NO_INCOME:
                income[i] = BENEFIT
        elif s in (ADDICTION_CARE, MENTAL_HEALTH_CARE):
            care_met[i] = True
            relapse[i] = False
        elif s == _DEBT:
            debt_managed[i] = True
        elif s == EMPLOYMENT:
            income[i] = WORK
            job_ready[i] = 1.0
        else:
            raise ValueError("a service without a rule for its success")
    return (
        np.array(kinds, dtype=np.int8),
        np.array(persons, dtype=np.int64),
        np.array(services, dtype=np.int8),
        np.array(waits, dtype=np.int32),
    )


@njit(cache=True, inline="always")
def open_job_share(week, last_conviction_week, job_ready, vog_share, vog_window, unready_share):
    """Share of jobs open to a person: the VOG shuts a share for a fixed time.

    Effort cannot shorten it (Leiden2024 §7.2.3, also on employers); job readiness
    from training helps: ``unready_share`` of the jobs are open at readiness 0, all at 1.
    """
    within_vog = week - last_conviction_week < vog_window
    return (1 - vog_share * within_vog) * (unready_share + (1 - unready_share) * job_ready)


def start_benefit(m: ReentryModel, ids: np.ndarray, advance: bool) -> None:
    """A benefit decision arrives after 8-12 weeks (Leiden2024 §6.2.3) unless advanced."""
    pop, p = m.pop, m.p
    for i, u in zip(ids, m.crn.uniform(ids, m.week, Purpose.BENEFIT_DELAY), strict=True):
        delay = benefit_delay(u, p.benefit_delay_min_weeks, p.benefit_delay_max_weeks)
        pop.benefit_due_week[i] = m.week + delay
    if advance:
        pop.income[ids] = np.where(pop.income[ids] == NO_INCOME, BENEFIT, pop.income[ids])


@njit(cache=True, inline="always")
def benefit_delay(u: float, low: int, high: int) -> int:
    """Weeks until a benefit decision, uniform on ``low..high`` for a uniform draw ``u``."""
    return low + int(np.floor(u * (high - low + 1)))


def cancel_all(m: ReentryModel, ids: np.ndarray) -> None:
    """Detention breaks every trajectory outside."""
    m.pop.svc_status[:, ids] = IDLE
