"""Life after release: help-seeking, contacts, life events, and states with memory.

Each function acts on the released people ``ids`` for the current week and is
called, in order, from :func:`model.week.one_week`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .detention import logit, sigmoid
from .population import (
    ALONE,
    BENEFIT,
    FAMILY,
    IDLE,
    IN_SERVICE,
    INDEPENDENT,
    NO_HOUSING,
    NO_INCOME,
    NO_WEEK,
    RELEASED,
    WAITING,
    WORK,
)
from .rng import Purpose
from .services import S, apply, entry_conditions, job_chance_factor, take_job, unmet_needs
from .support import kept

if TYPE_CHECKING:
    from .model import ReentryModel


def benefit_arrives(m: ReentryModel, ids: np.ndarray) -> None:
    """A pending benefit decision pays out once its 8-12 weeks have passed (004 l.7639)."""
    pop = m.pop
    due = pop.benefit_due_week[ids]
    arrived = ids[(due != NO_WEEK) & (due <= m.week)]
    pop.income[arrived] = np.where(pop.income[arrived] == WORK, WORK, BENEFIT)
    pop.benefit_due_week[arrived] = NO_WEEK


def _first_true(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per person (column): whether any service is true, and the first true one."""
    return mask.any(axis=0), mask.argmax(axis=0)


def _random_true(mask: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Per person (column): a service chosen uniformly among the true ones (u in [0, 1))."""
    count = mask.sum(axis=0)
    target = np.floor(u * count) + 1
    return (np.cumsum(mask, axis=0) >= target).argmax(axis=0)


def proactive_contacts(m: ReentryModel) -> None:
    """Helpers reach out: needs are discovered and the next feasible step is referred.

    Contacts with people still inside (a buddy who starts before release) build
    trust and calm stress; discovery and referral wait until release.
    """
    pop = m.pop
    for salt, provider in enumerate(m.support.providers):
        c = provider.contacts(m).per_person()
        if len(c.ids) == 0:
            continue
        ok = kept(m, c, salt)
        broken = c.ids[~ok]
        pop.trust[broken] = np.maximum(pop.trust[broken] - m.p.trust_setback_loss / 2, 0)
        met = c.ids[ok]
        provider.contacted(m, met)
        pop.stress[met] = np.clip(pop.stress[met] - c.relief[ok], 0, 1)
        pop.trust[met] = np.clip(pop.trust[met] + c.trust_change[ok], 0, 1)
        out = met[pop.phase[met] == RELEASED]
        if len(out) == 0:
            continue
        need = unmet_needs(m, out)
        pop.need_known[:, out] |= need
        idle = pop.svc_status[:, out] == IDLE
        any_step, step = _first_true(need & idle & entry_conditions(m, out))
        apply(m, out[any_step], step[any_step], np.full(any_step.sum(), c.grade, dtype=np.int8))


def seek_help(m: ReentryModel, ids: np.ndarray) -> None:
    """People ask for help with an unmet need (000 l.1494-1526; 004 M5).

    The weekly chance rises with help-seeking, trust and self-reliance and falls
    with stress, so reactive services select the capable. A person who asks
    picks the right next step with a chance equal to their self-reliance, and
    otherwise any unmet need, which may be refused for want of a prerequisite.
    """
    pop, p = m.pop, m.p
    need = unmet_needs(m, ids)
    # hidden needs: weeks with a need nobody knows about (the shy type's "alles oke")
    known = pop.need_known[:, ids] & need
    pop.need_known[:, ids] = known
    needs, hidden = need.sum(axis=0, dtype=np.int32), (need & ~known).sum(axis=0, dtype=np.int32)
    pop.need_weeks[ids] += needs
    pop.hidden_need_weeks[ids] += hidden
    client = pop.buddy[ids] >= 0  # the same, counted only while a buddy is matched
    pop.client_need_weeks[ids[client]] += needs[client]
    pop.client_hidden_need_weeks[ids[client]] += hidden[client]
    need &= pop.svc_status[:, ids] == IDLE
    has_need = need.any(axis=0)
    ids, need = ids[has_need], need[:, has_need]
    if len(ids) == 0:
        return
    x = (
        logit(p.ask_base_per_week)
        + p.ask_trait_weight
        * ((pop.help_seeking[ids] - 0.5) + (pop.trust[ids] - 0.5) + (pop.self_reliance[ids] - 0.5))
        - p.ask_stress_weight * (pop.stress[ids] - 0.3)
    )
    asks = m.crn.bernoulli(ids, m.week, Purpose.ASK_HELP, sigmoid(x))
    ids, need = ids[asks], need[:, asks]
    feasible, right_step = _first_true(need & entry_conditions(m, ids))
    u = m.crn.uniform(ids, m.week, Purpose.PICK_NEED)
    navigates = feasible & (u < pop.self_reliance[ids])
    any_step = _random_true(
        need,
        np.clip(u - pop.self_reliance[ids], 0, None) / np.maximum(1 - pop.self_reliance[ids], 1e-9),
    )
    choice = np.where(navigates, right_step, any_step)
    apply(m, ids, choice, np.maximum(m.support.grade[ids], ALONE))


def life_events(m: ReentryModel, ids: np.ndarray) -> None:
    """Homes, jobs and sobriety can be lost; work can be found without help."""
    pop, p, w, rng = m.pop, m.p, m.week, m.crn
    stress = pop.stress[ids]
    catch = 1 - p.early_catch_effect * m.support.has_helper[ids]
    h = pop.housing[ids]
    family_ends = (h == FAMILY) & rng.bernoulli(
        ids, w, Purpose.FAMILY_BREAKDOWN, p.family_breakdown_per_week * (1 + stress)
    )
    at_risk = (h == INDEPENDENT) & ((pop.income[ids] == NO_INCOME) | ~pop.debt_ok(p, ids))
    evicted = at_risk & rng.bernoulli(ids, w, Purpose.EVICTION, p.eviction_per_week * catch)
    lost = ids[family_ends | evicted]
    pop.housing[lost] = NO_HOUSING
    pop.address[lost] = False

    working = pop.income[ids] == WORK
    hazard = p.job_loss_per_week * (1 + 2 * stress) * (1 + pop.relapse[ids]) * catch
    quits = ids[working & rng.bernoulli(ids, w, Purpose.JOB_LOSS, hazard)]
    pop.income[quits] = NO_INCOME
    pop.job_ready[quits] = 0.6
    # Work found alone: self-reliance and readiness help; the VOG shuts a share of jobs.
    can_work = ~working & pop.has_id[ids] & pop.address[ids]
    find = p.job_find_alone_per_week * 2 * pop.self_reliance[ids] * job_chance_factor(m, ids)
    finds = ids[can_work & rng.bernoulli(ids, w, Purpose.JOB_FIND, find)]
    take_job(m, finds)

    addict = pop.addiction[ids]
    care = pop.care_met[ids]
    relapse_hazard = (
        p.relapse_per_week
        * (0.5 + stress)
        * (2 - pop.ties_prosocial[ids])
        * np.where(care, 1 - p.care_relapse_reduction, 1)
    )
    u = rng.uniform(ids, w, Purpose.RELAPSE)
    starts = addict & ~pop.relapse[ids] & (u < relapse_hazard)
    ends = pop.relapse[ids] & care & (u < p.recovery_per_week)
    pop.relapse[ids[starts]] = True
    pop.relapse[ids[ends]] = False

    managed = pop.debt_managed[ids]
    pop.debt[ids] = np.where(
        managed, np.maximum(pop.debt[ids] - p.debt_paydown_per_week, 0), pop.debt[ids]
    )


def update_states(m: ReentryModel, ids: np.ndarray) -> None:
    """Stress, motivation, trust and ties follow what happens, with memory.

    Unresolved problems raise stress (000 M8); stress and waiting erode a
    motivation that is high at release but fragile (004 l.6421-6461); trust
    drifts slowly back, so setbacks are remembered (004 M6). Work, housing and
    a helper build prosocial ties; no income pulls people towards the criminal
    network (004 l.5442).
    """
    pop, p = m.pop, m.p
    missing = pop.missing_count(p, ids)
    waiting = (pop.svc_status[:, ids] == WAITING).any(axis=0)
    target = np.minimum(
        p.stress_per_missing_domain * missing + 0.15 * pop.relapse[ids] + 0.05 * waiting, 1
    )
    pop.stress[ids] += (target - pop.stress[ids]) / p.memory_weeks
    unresolved = (missing > 0) | waiting
    pop.motivation[ids] = np.clip(
        pop.motivation[ids] - p.motivation_decay_per_week * unresolved + 0.01 * ~unresolved, 0, 1
    )
    pop.trust[ids] += (0.5 - pop.trust[ids]) / (4 * p.memory_weeks)

    h, inc = pop.housing[ids], pop.income[ids]
    support_target = (
        0.25
        + 0.3 * (inc == WORK)
        + 0.2 * np.isin(h, (FAMILY, INDEPENDENT))
        + 0.15 * m.support.has_helper[ids]
    )
    pop.ties_prosocial[ids] += p.ties_drift_per_week * (support_target - pop.ties_prosocial[ids])
    tc = pop.ties_criminogenic[ids]
    no_income = inc == NO_INCOME
    pop.ties_criminogenic[ids] = np.where(
        no_income,
        tc + p.criminogenic_no_income_growth * (1 - tc),
        tc * (1 - p.ties_drift_per_week * (1 + (h != NO_HOUSING))),
    )


def daytime_activity(m: ReentryModel, ids: np.ndarray) -> np.ndarray:
    """Work, employment support, or care in progress counts as daytime activity."""
    pop = m.pop
    status = pop.svc_status
    return (
        (pop.income[ids] == WORK)
        | (status[S["employment_support"], ids] == IN_SERVICE)
        | (status[S["addiction_care"], ids] == IN_SERVICE)
        | (status[S["mental_health_care"], ids] == IN_SERVICE)
    )
