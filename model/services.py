"""Services outside prison: needs, entry conditions, waiting lists and outcomes.

Each service has a weekly intake (capacity), a waiting list with a policy
(first come first served, or the least self-reliant first), entry conditions,
a processing time, a success chance graded by who comes along (alone, buddy,
professional: 000 l.1625-1715, 2411-2420) and abandonment while waiting that
rises with the wait (000 l.939-944; 004 l.7438). The order of ``SERVICES`` is
the chain of prerequisites a helper works through (000 l.566-663; 004 M7).

State lives in the population's ``svc_*`` arrays (one row per service):
``svc_status`` is idle, waiting or in service; ``svc_since`` is the week the
person joined the list (while waiting) or took the place (while in service).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from .parameters import SERVICES
from .population import (
    BENEFIT,
    IDLE,
    IN_SERVICE,
    INDEPENDENT,
    NO_HOUSING,
    NO_INCOME,
    NO_WEEK,
    SHELTER,
    WAITING,
    WORK,
    debt_ok,
)
from .rng import Purpose

if TYPE_CHECKING:
    from .model import ReentryModel

S = {name: i for i, name in enumerate(SERVICES)}


# row numbers as plain ints for the compiled kernels
_ID, _SHELTER, _BENEFIT = S["id_office"], S["shelter"], S["benefit_office"]
_ADDICTION, _MENTAL = S["addiction_care"], S["mental_health_care"]
_DEBT, _HOUSING, _EMPLOYMENT = S["debt_counselling"], S["housing"], S["employment_support"]


def unmet_needs(m: ReentryModel, ids: np.ndarray) -> np.ndarray:
    """(S, len(ids)) matrix: which service each person needs now."""
    pop = m.pop
    return _unmet_needs(
        ids, pop.has_id, pop.housing, pop.income, pop.benefit_due_week, pop.care_met,
        pop.addiction, pop.mental_health, pop.debt, pop.debt_managed, m.p.debt_problem_threshold,
    )  # fmt: skip


@njit(cache=True)
def _unmet_needs(
    ids, has_id, housing, income, benefit_due_week, care_met, addiction, mental_health, debt,
    debt_managed, debt_threshold,
):  # fmt: skip
    need = np.empty((len(SERVICES), ids.shape[0]), dtype=np.bool_)
    for j in range(ids.shape[0]):
        i = ids[j]
        need[_ID, j] = not has_id[i]
        need[_SHELTER, j] = housing[i] == NO_HOUSING
        need[_BENEFIT, j] = income[i] == NO_INCOME and benefit_due_week[i] == NO_WEEK
        need[_ADDICTION, j] = addiction[i] and not care_met[i]
        need[_MENTAL, j] = mental_health[i] and not care_met[i]
        need[_DEBT, j] = not debt_ok(i, debt, debt_managed, debt_threshold)
        need[_HOUSING, j] = housing[i] <= SHELTER
        need[_EMPLOYMENT, j] = income[i] != WORK
    return need


def entry_conditions(m: ReentryModel, ids: np.ndarray) -> np.ndarray:
    """(S, len(ids)) matrix: whether each service would accept the person now.

    ID is needed for almost everything, an address for registration-based
    services, income for a lease and for debt counselling (000 M11, l.950-975;
    004 M7). ``gating_outside`` adds a sobriety condition (an extension beyond
    the sources).
    """
    pop = m.pop
    return _entry_conditions(
        ids, pop.has_id, pop.address, pop.income, pop.relapse, m.p.gating_outside
    )


@njit(cache=True)
def accepts(s, i, has_id, address, income, relapse, gating_outside):
    """Whether service ``s`` would accept person ``i`` now (compiled kernels)."""
    if s == _ID:
        return True
    if not has_id[i]:
        return False
    sober = not (gating_outside and relapse[i])
    if s in (_SHELTER, _ADDICTION, _MENTAL):
        return sober
    if s in (_BENEFIT, _EMPLOYMENT):
        return address[i]
    if s == _DEBT:
        return address[i] and income[i] != NO_INCOME
    return income[i] != NO_INCOME  # a lease


@njit(cache=True)
def _entry_conditions(ids, has_id, address, income, relapse, gating_outside):
    ok = np.empty((len(SERVICES), ids.shape[0]), dtype=np.bool_)
    for j in range(ids.shape[0]):
        for s in range(len(SERVICES)):
            ok[s, j] = accepts(s, ids[j], has_id, address, income, relapse, gating_outside)
    return ok


def weekly_places(m: ReentryModel, s: int) -> int:
    """Places offered this week; the fractional part spreads evenly over weeks."""
    rate = m.service_rate[s]
    w = m.week - m.start_week
    return int(np.floor(rate * (w + 1)) - np.floor(rate * w))


def apply(m: ReentryModel, ids: np.ndarray, s: np.ndarray, grade: np.ndarray) -> None:
    """Put each person ``ids[i]`` on the waiting list of service ``s[i]``.

    An application that fails the entry conditions is refused on the spot,
    which feeds the responsibilisation loop (000 l.968-975).
    """
    if len(ids) == 0:
        return
    pop = m.pop
    pop.need_known[s, ids] = True
    accepted = entry_conditions(m, ids)[s, np.arange(len(ids))]
    refused = ids[~accepted]
    m.events.record("refused", refused, s[~accepted], m.week)
    setback(m, refused, help_seeking=True)
    ok_ids, ok_s = ids[accepted], s[accepted]
    pop.svc_status[ok_s, ok_ids] = WAITING
    pop.svc_since[ok_s, ok_ids] = m.week
    pop.svc_grade[ok_s, ok_ids] = grade[accepted]


def run_services(m: ReentryModel) -> None:
    """One week of every service: give up, admit, decide.

    Giving up and decisions are drawn for all (service, person) pairs at once,
    keyed by person and service; only admission, which depends on each
    service's capacity and list, goes service by service.
    """
    pop, p = m.pop, m.p
    # only people on a list or in a service matter here; most people are neither
    active = np.flatnonzero(pop.svc_status.any(axis=0))
    if len(active) == 0:
        return
    status = pop.svc_status[:, active]
    svc, col = np.nonzero(
        (status == IN_SERVICE) & (pop.svc_since[:, active] + p.service_weeks <= m.week)
    )
    done_svc, done_ids = svc, active[col]
    svc, col = np.nonzero(status == WAITING)
    still = _abandon(m, svc, active[col])
    waiting_svc, waiting = svc[still], active[col][still]
    for s in np.unique(waiting_svc):
        places = weekly_places(m, s)
        if places > 0:
            admitted = _queue_head(m, s, waiting[waiting_svc == s], places)
            m.events.record("admitted", admitted, s, m.week, m.week - pop.svc_since[s, admitted])
            pop.svc_status[s, admitted] = IN_SERVICE
            pop.svc_since[s, admitted] = m.week
    if len(done_ids):
        _decide(m, done_svc, done_ids)


def _pair_key(ids: np.ndarray, svc: np.ndarray) -> np.ndarray:
    """A draw key per (person, service) pair, so each pair has its own stream."""
    return ids * len(SERVICES) + svc


def _abandon(m: ReentryModel, svc: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """People give up waiting; returns a mask of those who stay on their list."""
    pop, p = m.pop, m.p
    wait = m.week - pop.svc_since[svc, ids]
    hazard = (
        p.abandon_base_per_week
        * (1 + wait / p.readiness_window_weeks)
        * (1.5 - pop.motivation[ids])
        * (1 - p.safety_net_effect * m.support.has_helper[ids])
    )
    gives_up = m.crn.bernoulli(_pair_key(ids, svc), m.week, Purpose.ABANDON, np.clip(hazard, 0, 1))
    quit_ids, quit_svc = ids[gives_up], svc[gives_up]
    pop.svc_status[quit_svc, quit_ids] = IDLE
    m.events.record("abandoned", quit_ids, quit_svc, m.week, wait[gives_up])
    setback(m, quit_ids, help_seeking=False)
    np.subtract.at(pop.motivation, quit_ids, p.motivation_decay_per_week * 3)
    np.maximum(pop.motivation, 0, out=pop.motivation)
    return ~gives_up


def _queue_head(m: ReentryModel, s: int, waiting: np.ndarray, places: int) -> np.ndarray:
    """The first ``places`` people of the waiting list under the queue policy."""
    if len(waiting) <= places:
        return waiting
    pop = m.pop
    since = pop.svc_since[s, waiting].astype(np.float64)
    tie = m.crn.uniform(waiting, 0, Purpose.QUEUE_TIE) * 0.5
    key = since + tie
    if m.p.queue_policy == "priority":
        key = pop.self_reliance[waiting] * 1e6 + key
    return waiting[np.argpartition(key, places - 1)[:places]]


def success_chance(m: ReentryModel, svc: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Graded success: alone < with buddy < with professional (000 M14)."""
    p = m.p
    grade = np.maximum(m.pop.svc_grade[svc, ids], m.support.grade[ids])
    return np.array([p.success_alone, p.success_buddy, p.success_professional])[grade]


def _decide(m: ReentryModel, svc: np.ndarray, ids: np.ndarray) -> None:
    """Applications whose processing is done succeed or fail, and take effect."""
    pop = m.pop
    pop.svc_status[svc, ids] = IDLE
    chance = success_chance(m, svc, ids)
    employment = svc == S["employment_support"]
    chance[employment] *= job_chance_factor(m, ids[employment])
    ok = m.crn.bernoulli(_pair_key(ids, svc), m.week, Purpose.SUCCESS, chance)
    m.events.record("succeeded", ids[ok], svc[ok], m.week)
    m.events.record("failed", ids[~ok], svc[~ok], m.week)
    setback(m, ids[~ok], help_seeking=True)
    success(m, ids[ok])

    def won(name: str) -> np.ndarray:
        return ids[ok & (svc == S[name])]

    pop.has_id[won("id_office")] = True
    for name, housing in (("shelter", SHELTER), ("housing", INDEPENDENT)):
        housed = won(name)
        pop.housing[housed] = housing
        pop.address[housed] = True
    claims = won("benefit_office")
    advanced = m.crn.bernoulli(
        claims, m.week, Purpose.BENEFIT_ADVANCE, m.p.advance_on_application_share
    )
    start_benefit(m, claims[advanced], advance=True)
    start_benefit(m, claims[~advanced], advance=False)
    treated = np.concatenate([won("addiction_care"), won("mental_health_care")])
    pop.care_met[treated] = True
    pop.relapse[treated] = False
    pop.debt_managed[won("debt_counselling")] = True
    take_job(m, won("employment_support"))
    not_hired = ids[~ok & employment]
    pop.job_ready[not_hired] = np.minimum(pop.job_ready[not_hired] + 0.25, 1.0)


def job_chance_factor(m: ReentryModel, ids: np.ndarray) -> np.ndarray:
    """Share of jobs open to the person: the VOG shuts a share for a fixed time.

    Effort cannot shorten it (004 l.8099; employers: 004 l.8072-8085); job readiness
    from training helps.
    """
    pop, p = m.pop, m.p
    return _open_job_shares(
        ids, m.week, pop.last_conviction_week, pop.job_ready, p.vog_required_share,
        p.vog_window_weeks,
    )  # fmt: skip


@njit(cache=True)
def open_job_share(i, week, last_conviction_week, job_ready, vog_share, vog_window):
    """:func:`job_chance_factor` of person ``i`` (compiled kernels)."""
    within_vog = week - last_conviction_week[i] < vog_window
    return (1 - vog_share * within_vog) * (0.5 + 0.5 * job_ready[i])


@njit(cache=True)
def _open_job_shares(ids, week, last_conviction_week, job_ready, vog_share, vog_window):
    out = np.empty(ids.shape[0])
    for j in range(ids.shape[0]):
        out[j] = open_job_share(
            ids[j], week, last_conviction_week, job_ready, vog_share, vog_window
        )
    return out


def start_benefit(m: ReentryModel, ids: np.ndarray, advance: bool) -> None:
    """A benefit decision arrives after 8-12 weeks (004 l.7639) unless advanced."""
    pop, p = m.pop, m.p
    u = m.crn.uniform(ids, m.week, Purpose.BENEFIT_DELAY)
    delay = p.benefit_delay_min_weeks + np.floor(
        u * (p.benefit_delay_max_weeks - p.benefit_delay_min_weeks + 1)
    )
    pop.benefit_due_week[ids] = m.week + delay.astype(np.int32)
    if advance:
        pop.income[ids] = np.where(pop.income[ids] == NO_INCOME, BENEFIT, pop.income[ids])


def take_job(m: ReentryModel, ids: np.ndarray) -> None:
    m.pop.income[ids] = WORK
    m.pop.job_ready[ids] = 1.0


def success(m: ReentryModel, ids: np.ndarray) -> None:
    """Successes raise trust and motivation (004 M6, M12); each success counts."""
    pop, p = m.pop, m.p
    _bump(pop.trust, ids, p.trust_success_gain)
    _bump(pop.motivation, ids, p.motivation_success_gain)


def setback(m: ReentryModel, ids: np.ndarray, help_seeking: bool) -> None:
    """Refusals and abandoned waits lower trust; refusals also lower help-seeking."""
    pop, p = m.pop, m.p
    _bump(pop.trust, ids, -p.trust_setback_loss)
    if help_seeking:
        _bump(pop.help_seeking, ids, -p.help_seeking_refusal_loss)


def _bump(column: np.ndarray, ids: np.ndarray, delta: float) -> None:
    """Add ``delta`` once per occurrence of each id, keeping the column in [0, 1]."""
    if len(ids):
        np.add.at(column, ids, delta)
        column[ids] = np.clip(column[ids], 0.0, 1.0)


def cancel_all(m: ReentryModel, ids: np.ndarray) -> None:
    """Detention breaks every trajectory outside."""
    m.pop.svc_status[:, ids] = IDLE
