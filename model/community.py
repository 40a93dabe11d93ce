"""Life after release: help-seeking, contacts, life events, and states with memory.

Each function acts on the released people ``ids`` for the current week and is
called, in order, from :func:`model.week.one_week`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import njit

from .bundles import Clock, Domains, bundle
from .declare import param
from .detention import logit
from .population import (
    BENEFIT,
    FAMILY,
    IDLE,
    INDEPENDENT,
    NO_HOUSING,
    NO_INCOME,
    NO_WEEK,
    REFERENCE_LEVEL,
    REFERENCE_STRESS,
    RELEASED,
    WAITING,
    WORK,
    debt_ok,
    missing,
)
from .rng import stream_key, unit
from .services import Helpers, accepts, int_list, needs, open_job_share

if TYPE_CHECKING:
    from .model import ReentryModel


@dataclass(frozen=True)
class CommunityParameters:
    """Asking for help, life after release, and states with memory."""

    # recovery from detention damage
    self_reliance_recovery_per_week: float = param(
        0.02,
        "share of the gap per week",
        (0.0, 0.2),
        "assumption (range 0.005-0.05): autonomy lost inside (BrugBinnenBuiten2023 "
        "introduction) comes back "
        "outside, half of it in about 8 months at the default",
        "Weekly share of the self-reliance lost in detention that returns outside.",
    )

    # help-seeking
    ask_base_per_week: float = param(
        0.524,
        "probability per week",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §3.3.1.1; size assumption; ABC fit (ODD s.8)",
        "Weekly chance of asking for help with an unmet need, at average traits.",
    )

    ask_trait_weight: float = param(
        2.5,
        "log-odds per unit",
        (0.0, 10.0),
        "BrugBinnenBuiten2023 §2.3.1; size assumption",
        "Weight of help-seeking, trust and self-reliance on asking for help.",
    )

    ask_stress_weight: float = param(
        2.0,
        "log-odds per unit",
        (0.0, 10.0),
        "BrugBinnenBuiten2023 introduction (denkruimte); size assumption",
        "Weight of stress against asking for help.",
    )

    broken_promise_trust_share: float = param(
        0.5,
        "share of trust_setback_loss",
        (0.0, 2.0),
        "Leiden2024 §4.6, §5.1.1 (broken promises cost trust); size assumption (range 0.25-1)",
        "Trust a promised contact that does not take place costs, as a share of a setback's "
        "loss (a share, so that it moves with trust_setback_loss).",
    )

    # states with memory
    memory_weeks: float = param(
        8.0,
        "weeks",
        (1.0, 52.0),
        "Leiden2024 §5.3.1 (memory of successes and setbacks); assumption (range 4-26)",
        "Time scale on which stress and trust follow their targets.",
    )

    trust_memory_factor: float = param(
        4.0,
        "multiple of memory_weeks",
        (1.0, 20.0),
        "Leiden2024 §4.6, §7.4.3 (setbacks are remembered); size assumption (range 1-8)",
        "Trust drifts back this many times more slowly than stress follows its target (a "
        "multiple, so that it moves with memory_weeks).",
    )

    trust_resting_level: float = param(
        0.5,
        "trust",
        (0.0, 1.0),
        "Leiden2024 §7.4.3 (distrust rooted in experience); size assumption (range 0.35-0.65)",
        "Level trust drifts back to when nothing happens.",
    )

    trust_success_gain: float = param(
        0.06, "trust", (0.0, 0.5), "Leiden2024 §5.3.1; size assumption", "Trust gained per success."
    )

    trust_setback_loss: float = param(
        0.08,
        "trust",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §2.2.5; size assumption",
        "Trust lost per refusal or abandoned wait.",
    )

    help_seeking_refusal_loss: float = param(
        0.04,
        "help-seeking",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §2.2.5 (responsibilisation loop); size assumption",
        "Help-seeking lost per refusal.",
    )

    motivation_decay_per_week: float = param(
        0.02,
        "motivation per week",
        (0.0, 0.2),
        "Leiden2024 §5.3.1 (fragile); size assumption",
        "Weekly erosion of motivation while problems stay unresolved or a wait drags on.",
    )

    motivation_recovery_per_week: float = param(
        0.01,
        "motivation per week",
        (0.0, 0.2),
        "Leiden2024 §5.3.1 (successes raise self-confidence); size assumption (range 0.0-0.03)",
        "Weekly recovery of motivation while no basic condition is missing and nobody waits.",
    )

    motivation_success_gain: float = param(
        0.05,
        "motivation",
        (0.0, 0.5),
        "Leiden2024 §5.3.1; size assumption",
        "Motivation gained per success.",
    )

    stress_per_missing_domain: float = param(
        0.17,
        "stress per domain",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 introduction, §2.1.3; size assumption",
        "Stress target per basisvoorwaarde not in order.",
    )

    stress_from_relapse: float = param(
        0.15,
        "stress",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §3.2 (stress and drink go together); size assumption (range 0.0-0.3)",
        "Stress target added by a substance relapse.",
    )

    stress_from_waiting: float = param(
        0.05,
        "stress",
        (0.0, 1.0),
        "assumption (range 0.0-0.15)",
        "Stress target added while the person is on any waiting list.",
    )

    # life after release
    family_breakdown_per_week: float = param(
        0.01,
        "probability per week",
        (0.0, 0.2),
        "assumption (range 0.0-0.03)",
        "Weekly chance that a place with family or friends ends.",
    )

    family_breakdown_stress_weight: float = param(
        1.0,
        "multiplier per unit stress",
        (0.0, 5.0),
        "assumption (range 0-2)",
        "How much stress raises the chance a family place ends (1 doubles it at stress 1).",
    )

    eviction_per_week: float = param(
        0.015,
        "probability per week",
        (0.0, 0.3),
        "BrugBinnenBuiten2023 §4.2.2 (evictions); size assumption",
        "Weekly eviction hazard with no income or an unmanaged debt.",
    )

    job_loss_per_week: float = param(
        0.01,
        "probability per week",
        (0.0, 0.3),
        "Leiden2024 §3.6 (keeping a job matters); assumption",
        "Weekly job loss at average stress.",
    )

    job_loss_stress_weight: float = param(
        2.0,
        "multiplier per unit stress",
        (0.0, 10.0),
        "BrugBinnenBuiten2023 introduction (without denkruimte people miss appointments and "
        "give up); size assumption (range 0-4)",
        "How much stress raises the job-loss hazard (2 triples it at stress 1).",
    )

    job_loss_relapse_weight: float = param(
        1.0,
        "multiplier",
        (0.0, 5.0),
        "assumption (range 0-2)",
        "How much a substance relapse raises the job-loss hazard (1 doubles it).",
    )

    job_ready_after_job_loss: float = param(
        0.6,
        "score 0-1",
        (0.0, 1.0),
        "assumption (range 0.3-0.9)",
        "Job readiness kept by someone who loses their job outside.",
    )

    job_find_alone_per_week: float = param(
        0.0399,
        "probability per week",
        (0.0, 0.3),
        "assumption (range 0.0-0.05); ABC fit (ODD s.8)",
        "Weekly chance of finding work without employment support, at self-reliance 0.5.",
    )

    jobs_open_unready_share: float = param(
        0.5,
        "share of jobs",
        (0.0, 1.0),
        "assumption (range 0.25-0.75)",
        "Share of jobs open to someone at job readiness 0 (all are open at 1), before the "
        "VOG shuts some.",
    )

    vog_required_share: float = param(
        0.5,
        "share of jobs",
        (0.0, 1.0),
        "Leiden2024 §7.2.3 (employers ask a VOG); size assumption",
        "Share of jobs that ask for a certificate of conduct (VOG).",
    )

    vog_window_weeks: int = param(
        208,
        "weeks",
        (0, 520),
        "Leiden2024 §7.2.3 (a time barrier effort cannot shorten); assumption (range 104-520)",
        "Weeks after the last conviction during which a VOG is refused.",
    )

    relapse_per_week: float = param(
        0.04,
        "probability per week",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 introduction, §2.1.3; size assumption",
        "Weekly chance of substance relapse for an addiction without care, at average stress.",
    )

    relapse_stress_offset: float = param(
        0.5,
        "multiplier",
        (0.0, 3.0),
        "BrugBinnenBuiten2023 §3.2 (Mike: stress, then drink); size assumption (range 0.25-1.5)",
        "The relapse hazard scales with this plus stress: at 0.5, half the base rate at "
        "stress 0 and 1.5 times at stress 1.",
    )

    relapse_ties_offset: float = param(
        2.0,
        "multiplier",
        (1.0, 5.0),
        "BrugBinnenBuiten2023 §2.1.3 (isolation drives problematic substance use); size "
        "assumption (range 1.5-3)",
        "The relapse hazard scales with this minus prosocial ties: at 2, from twice the rate "
        "without ties to the rate itself with full ties (at least 1, so it stays positive).",
    )

    care_relapse_reduction: float = param(
        0.7,
        "fraction",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §2.1.3; size assumption (range 0.4-0.9)",
        "Reduction of the relapse hazard with care in place.",
    )

    debt_paydown_per_week: float = param(
        0.03,
        "k EUR per week",
        (0.0, 0.5),
        "assumption (range 0.01-0.1)",
        "Debt repaid per week under a payment plan or administration.",
    )

    recovery_per_week: float = param(
        0.05,
        "probability per week",
        (0.0, 0.5),
        "assumption",
        "Weekly chance that a relapse ends with care in place.",
    )

    criminogenic_no_income_growth: float = param(
        0.02,
        "fraction of gap per week",
        (0.0, 0.3),
        "Leiden2024 §4.4.1 (no income, criminal network); size assumption",
        "Growth of criminogenic ties per week without income.",
    )

    ties_drift_per_week: float = param(
        0.01,
        "fraction per week",
        (0.0, 0.2),
        "BrugBinnenBuiten2023 §2.1.3, Leiden2024 §5.1.2; assumption",
        "Weekly drift of ties towards what daily life supports.",
    )

    # the level prosocial ties drift to: the sum of four terms, capped at 1 (today at most
    # 0.25 + 0.3 + 0.2 + 0.15 = 0.9)
    prosocial_target_base: float = param(
        0.25,
        "score 0-1",
        (0.0, 1.0),
        "Leiden2024 §5.1.2 (a supportive network); size assumption (range 0.1-0.4)",
        "Level prosocial ties drift to without work, home or helper; the sum of the four "
        "terms is capped at 1.",
    )

    prosocial_target_work: float = param(
        0.3,
        "score 0-1",
        (0.0, 1.0),
        "assumption (range 0.15-0.45)",
        "Prosocial-ties target added by work; the sum of the four terms is capped at 1.",
    )

    prosocial_target_housed: float = param(
        0.2,
        "score 0-1",
        (0.0, 1.0),
        "assumption (range 0.1-0.3)",
        "Prosocial-ties target added by a home (family or independent); the four target "
        "terms is capped at 1.",
    )

    prosocial_target_helper: float = param(
        0.15,
        "score 0-1",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §3.3.1.1 (a buddy is the 'normal' tie people miss); size "
        "assumption (range 0.0-0.3)",
        "Prosocial-ties target added by a helper who keeps in touch; the four target terms "
        "is capped at 1.",
    )

    criminogenic_fade_housed_weight: float = param(
        1.0,
        "multiplier",
        (0.0, 5.0),
        "assumption (range 0-2)",
        "How much faster criminogenic ties fade with a home (1 doubles the drift).",
    )


STATE: dict[str, tuple] = {
    "need_weeks": (np.int32, 0),
    "hidden_need_weeks": (np.int32, 0),
    "client_need_weeks": (np.int32, 0),
    "client_hidden_need_weeks": (np.int32, 0),
}
"""Weeks of need, known and hidden, counted from the end of the warm-up."""

MEASURED: tuple[str, ...] = tuple(STATE)
"""Every column above counts what a run measures, so each restarts after the warm-up."""


class Purpose(IntEnum):
    """Random-number streams of asking for help, contacts and life events."""

    ASK_HELP = 40
    PICK_NEED = 41
    EVICTION = 46
    JOB_LOSS = 47
    RELAPSE = 48
    CONTACT_KEPT = 52
    FAMILY_BREAKDOWN = 53
    JOB_FIND = 54


KEY_SLOTS_PER_WEEK = 8
"""Keys of the weekly 'contact kept' draws, one per provider: at most this many providers,
or one would share draws with the next week's."""

# plain ints, so that compiled kernels can key their draws
_FAMILY, _EVICTION = int(Purpose.FAMILY_BREAKDOWN), int(Purpose.EVICTION)
_JOB_LOSS, _JOB_FIND, _RELAPSE = int(Purpose.JOB_LOSS), int(Purpose.JOB_FIND), int(Purpose.RELAPSE)
_ASK_HELP, _PICK_NEED = int(Purpose.ASK_HELP), int(Purpose.PICK_NEED)
_CONTACT_KEPT = int(Purpose.CONTACT_KEPT)


def benefit_arrives(m: ReentryModel, ids: np.ndarray) -> None:
    """A pending benefit decision pays out once its 8-12 weeks have passed (Leiden2024 §6.2.3)."""
    pop = m.pop
    due = pop.benefit_due_week[ids]
    arrived = ids[(due != NO_WEEK) & (due <= m.week)]
    pop.income[arrived] = np.where(pop.income[arrived] == WORK, WORK, BENEFIT)
    pop.benefit_due_week[arrived] = NO_WEEK


def proactive_contacts(m: ReentryModel) -> None:
    """Helpers reach out: needs are discovered and the next feasible step is referred.

    Contacts with people still inside (a buddy who starts before release) build
    trust and calm stress; discovery and referral wait until release. A promised
    contact that does not take place costs trust (Leiden2024 §4.6).
    """
    pop, p, w = m.pop, m.p, m.week
    # the same for every provider, so filled once
    clock, people = Clock(m.crn.seed, w, w - m.start_week), bundle(ContactedPeople, pop)
    par = bundle(ReferralParams, p)
    providers = m.support.providers
    for salt, provider in enumerate(providers):
        c = provider.contacts(m)
        if len(c.ids) == 0:
            continue
        c = c.per_person()
        ok = _keep(
            c.ids, c.keep_probability, m.crn.seed, w * KEY_SLOTS_PER_WEEK + salt, pop.trust,
            p.trust_setback_loss * p.broken_promise_trust_share,
        )  # fmt: skip
        provider.contacted(m, c.ids[ok])
        kept = bundle(
            KeptContacts, c, ids=c.ids[ok], relief=c.relief[ok], trust_change=c.trust_change[ok]
        )
        _contact_kernel(kept, clock, people, par)


@njit(cache=True)
def _keep(ids, keep_probability, seed, key_week, trust, broken_loss):
    """Which promised contacts take place; one that does not costs trust."""
    key = stream_key(seed, key_week, _CONTACT_KEPT)
    ok = np.empty(ids.shape[0], dtype=np.bool_)
    for j in range(ids.shape[0]):
        i = ids[j]
        ok[j] = unit(key, i) < keep_probability[j]
        if not ok[j]:
            trust[i] = max(trust[i] - broken_loss, 0.0)
    return ok


class KeptContacts(NamedTuple):
    """The contacts of one provider that took place, by the names of
    :class:`model.support.Contacts`: the people, the help grade the provider brings, and
    per person the stress relief and the trust change."""

    ids: np.ndarray
    grade: int
    relief: np.ndarray
    trust_change: np.ndarray


class ContactedPeople(NamedTuple):
    """The population columns a kept contact reads and changes."""

    phase: np.ndarray
    stress: np.ndarray
    trust: np.ndarray
    need_known: np.ndarray
    svc_status: np.ndarray
    svc_since: np.ndarray
    svc_grade: np.ndarray
    benefit_due_week: np.ndarray
    address: np.ndarray
    relapse: np.ndarray
    domains: Domains


class ReferralParams(NamedTuple):
    """What needs and the services' entry conditions depend on, by the parameter table's
    names."""

    debt_problem_threshold: float
    gating_outside: bool


@njit(cache=True)
def _contact_kernel(kept, clock, people, par):
    """A kept contact calms and builds trust; outside, it finds every current need and
    puts the person on the list of the first step of the chain they can take."""
    _, week, _ = clock
    has_id, housing, income, debt, debt_managed, addiction, mental_health, care_met = people.domains
    benefit_due_week = people.benefit_due_week
    phase = people.phase
    stress = people.stress
    trust = people.trust
    need_known = people.need_known
    svc_status = people.svc_status
    svc_since = people.svc_since
    svc_grade = people.svc_grade
    address = people.address
    relapse = people.relapse
    for j in range(kept.ids.shape[0]):
        i = kept.ids[j]
        stress[i] = min(max(stress[i] - kept.relief[j], 0.0), 1.0)
        trust[i] = min(max(trust[i] + kept.trust_change[j], 0.0), 1.0)
        if phase[i] != RELEASED:
            continue
        person = Domains(
            has_id[i], housing[i], income[i], debt[i], debt_managed[i], addiction[i],
            mental_health[i], care_met[i],
        )  # fmt: skip
        bits = needs(person, benefit_due_week[i], par.debt_problem_threshold)
        for s in range(svc_status.shape[0]):
            need_known[s, i] = need_known[s, i] or (bits >> s) & 1
        for s in range(svc_status.shape[0]):  # the first step of the chain they can take
            if (
                (bits >> s) & 1
                and svc_status[s, i] == IDLE
                and accepts(s, has_id[i], address[i], income[i], relapse[i], par.gating_outside)
            ):
                svc_status[s, i] = WAITING
                svc_since[s, i] = week
                svc_grade[s, i] = kept.grade
                break


class AskingPeople(NamedTuple):
    """The population columns asking for help reads and changes."""

    need_known: np.ndarray
    svc_status: np.ndarray
    svc_since: np.ndarray
    svc_grade: np.ndarray
    buddy: np.ndarray
    need_weeks: np.ndarray
    hidden_need_weeks: np.ndarray
    client_need_weeks: np.ndarray
    client_hidden_need_weeks: np.ndarray
    help_seeking: np.ndarray
    trust: np.ndarray
    self_reliance: np.ndarray
    stress: np.ndarray
    benefit_due_week: np.ndarray
    address: np.ndarray
    relapse: np.ndarray
    domains: Domains


class AskParams(NamedTuple):
    """Asking for help, by the parameter table's names; ``ask_base_logit`` is the
    log-odds of ``ask_base_per_week``."""

    debt_problem_threshold: float
    gating_outside: bool
    ask_base_logit: float
    ask_trait_weight: float
    ask_stress_weight: float
    trust_setback_loss: float
    help_seeking_refusal_loss: float


def seek_help(m: ReentryModel, ids: np.ndarray) -> None:
    """People ask for help with an unmet need (BrugBinnenBuiten2023 §3.3.1.1;
    Leiden2024 §4.6, §6.1.1).

    The weekly chance rises with help-seeking, trust and self-reliance and falls
    with stress, so reactive services select the capable. A person who asks
    picks the right next step with a chance equal to their self-reliance, and
    otherwise any unmet need, which may be refused for want of a prerequisite.
    Weeks with a need nobody knows about are counted as hidden (the shy type's
    "alles oke"), overall and while a buddy is matched.
    """
    pop, p, w = m.pop, m.p, m.week
    refused, service = _seek_help_kernel(
        ids,
        Clock(m.crn.seed, w, w - m.start_week),
        bundle(AskingPeople, pop),
        bundle(Helpers, m.support),
        bundle(AskParams, p, ask_base_logit=logit(p.ask_base_per_week)),
    )
    m.events.record("refused", refused, service, w)


@njit(cache=True)
def _seek_help_kernel(ids, clock, people, helpers, par):
    """Count known and hidden needs; those who ask apply, and may be refused.

    Returns the refused applications: people and services.
    """
    seed, week, _ = clock
    has_id, housing, income, debt, debt_managed, addiction, mental_health, care_met = people.domains
    benefit_due_week = people.benefit_due_week
    need_known = people.need_known
    svc_status = people.svc_status
    svc_since = people.svc_since
    svc_grade = people.svc_grade
    buddy = people.buddy
    need_weeks = people.need_weeks
    hidden_need_weeks = people.hidden_need_weeks
    client_need_weeks = people.client_need_weeks
    client_hidden_need_weeks = people.client_hidden_need_weeks
    help_seeking = people.help_seeking
    trust = people.trust
    self_reliance = people.self_reliance
    stress = people.stress
    address = people.address
    relapse = people.relapse
    k_ask, k_pick = stream_key(seed, week, _ASK_HELP), stream_key(seed, week, _PICK_NEED)
    refused, refused_service = int_list(), int_list()
    for i in ids:
        person = Domains(
            has_id[i], housing[i], income[i], debt[i], debt_managed[i], addiction[i],
            mental_health[i], care_met[i],
        )  # fmt: skip
        bits = needs(person, benefit_due_week[i], par.debt_problem_threshold)
        # a need stays known only while it lasts; count known and hidden needs
        n_needs = hidden = idle_needs = 0
        idle = 0  # the needs nobody is working on yet, as bits
        for s in range(svc_status.shape[0]):
            need = (bits >> s) & 1
            need_known[s, i] = need_known[s, i] and need
            n_needs += need
            hidden += need and not need_known[s, i]
            if need and svc_status[s, i] == IDLE:
                idle |= 1 << s
                idle_needs += 1
        need_weeks[i] += n_needs
        hidden_need_weeks[i] += hidden
        if buddy[i] >= 0:
            client_need_weeks[i] += n_needs
            client_hidden_need_weeks[i] += hidden
        if idle_needs == 0:
            continue
        x = (
            par.ask_base_logit
            + par.ask_trait_weight
            * (
                (help_seeking[i] - REFERENCE_LEVEL)
                + (trust[i] - REFERENCE_LEVEL)
                + (self_reliance[i] - REFERENCE_LEVEL)
            )
            - par.ask_stress_weight * (stress[i] - REFERENCE_STRESS)
        )
        if not unit(k_ask, i) < 1 / (1 + np.exp(-x)):
            continue
        # the right step: the first need whose entry conditions are met
        right_step = -1
        for s in range(svc_status.shape[0]):
            if (idle >> s) & 1 and accepts(
                s, has_id[i], address[i], income[i], relapse[i], par.gating_outside
            ):
                right_step = s
                break
        u = unit(k_pick, i)
        if right_step >= 0 and u < self_reliance[i]:
            pick = right_step
        else:  # any unmet need, uniformly, from what is left of the same draw
            rest = max(u - self_reliance[i], 0.0) / max(1 - self_reliance[i], 1e-9)
            target = np.floor(rest * idle_needs) + 1
            pick, seen = 0, 0
            for s in range(svc_status.shape[0]):
                seen += (idle >> s) & 1
                if seen >= target:
                    pick = s
                    break
        # the application: refused on the spot when an entry condition is not met,
        # which feeds the responsibilisation loop (BrugBinnenBuiten2023 §2.2.5)
        need_known[pick, i] = True
        if accepts(pick, has_id[i], address[i], income[i], relapse[i], par.gating_outside):
            svc_status[pick, i] = WAITING
            svc_since[pick, i] = week
            svc_grade[pick, i] = helpers.grade[i]
        else:
            trust[i] = min(max(trust[i] - par.trust_setback_loss, 0.0), 1.0)
            help_seeking[i] = min(max(help_seeking[i] - par.help_seeking_refusal_loss, 0.0), 1.0)
            refused.append(i)
            refused_service.append(pick)
    return np.array(refused, dtype=np.int64), np.array(refused_service, dtype=np.int64)


class LivingPeople(NamedTuple):
    """The population columns life events read and change."""

    stress: np.ndarray
    housing: np.ndarray
    address: np.ndarray
    income: np.ndarray
    debt: np.ndarray
    debt_managed: np.ndarray
    relapse: np.ndarray
    job_ready: np.ndarray
    has_id: np.ndarray
    self_reliance: np.ndarray
    last_conviction_week: np.ndarray
    addiction: np.ndarray
    care_met: np.ndarray
    ties_prosocial: np.ndarray


class LifeParams(NamedTuple):
    """Life events, by the parameter table's names."""

    early_catch_effect: float
    family_breakdown_per_week: float
    eviction_per_week: float
    debt_problem_threshold: float
    job_loss_per_week: float
    job_find_alone_per_week: float
    vog_required_share: float
    vog_window_weeks: int
    relapse_per_week: float
    care_relapse_reduction: float
    recovery_per_week: float
    debt_paydown_per_week: float
    family_breakdown_stress_weight: float
    job_loss_stress_weight: float
    job_loss_relapse_weight: float
    job_ready_after_job_loss: float
    jobs_open_unready_share: float
    relapse_stress_offset: float
    relapse_ties_offset: float


def life_events(m: ReentryModel, ids: np.ndarray) -> None:
    """Homes, jobs and sobriety can be lost; work can be found without help.

    A helper catches escalations early (bailiff, eviction: BrugBinnenBuiten2023
    §3.3.1.2, §4.2.2), which lowers the chance of losing a home or a job. Work
    found alone needs an ID and an address; self-reliance and readiness help, and
    the VOG shuts a share of jobs (see :func:`model.services.open_job_share`).
    """
    _life_events_kernel(
        ids,
        Clock(m.crn.seed, m.week, m.week - m.start_week),
        bundle(LivingPeople, m.pop),
        bundle(Helpers, m.support),
        bundle(LifeParams, m.p),
    )


@njit(cache=True)
def _life_events_kernel(ids, clock, people, helpers, par):
    """Homes, jobs and sobriety lost or found this week (see :func:`life_events`)."""
    seed, week, _ = clock
    stress = people.stress
    housing = people.housing
    address = people.address
    income = people.income
    debt = people.debt
    debt_managed = people.debt_managed
    relapse = people.relapse
    job_ready = people.job_ready
    has_id = people.has_id
    self_reliance = people.self_reliance
    last_conviction_week = people.last_conviction_week
    addiction = people.addiction
    care_met = people.care_met
    ties_prosocial = people.ties_prosocial
    k_family, k_evict = stream_key(seed, week, _FAMILY), stream_key(seed, week, _EVICTION)
    k_loss, k_find = stream_key(seed, week, _JOB_LOSS), stream_key(seed, week, _JOB_FIND)
    k_relapse = stream_key(seed, week, _RELAPSE)
    for i in ids:
        catch = 1 - par.early_catch_effect * helpers.has_helper[i]
        # housing: a family place can end; an independent home is lost on arrears
        if housing[i] == FAMILY:
            homeless = unit(k_family, i) < par.family_breakdown_per_week * (
                1 + par.family_breakdown_stress_weight * stress[i]
            )
        elif housing[i] == INDEPENDENT:
            arrears = income[i] == NO_INCOME or not debt_ok(
                debt[i], debt_managed[i], par.debt_problem_threshold
            )
            homeless = arrears and unit(k_evict, i) < par.eviction_per_week * catch
        else:
            homeless = False
        if homeless:
            housing[i] = NO_HOUSING
            address[i] = False
        # work: jobs are lost under stress and relapse; found alone with ID and address
        if income[i] == WORK:
            hazard = (
                par.job_loss_per_week
                * (1 + par.job_loss_stress_weight * stress[i])
                * (1 + par.job_loss_relapse_weight * relapse[i])
                * catch
            )
            if unit(k_loss, i) < hazard:
                income[i] = NO_INCOME
                job_ready[i] = par.job_ready_after_job_loss
        elif has_id[i] and address[i]:
            open_jobs = open_job_share(
                week,
                last_conviction_week[i],
                job_ready[i],
                par.vog_required_share,
                par.vog_window_weeks,
                par.jobs_open_unready_share,
            )
            # the base rate applies at self-reliance REFERENCE_LEVEL
            find = par.job_find_alone_per_week / REFERENCE_LEVEL * self_reliance[i] * open_jobs
            if unit(k_find, i) < find:
                income[i] = WORK
                job_ready[i] = 1.0
        # relapse: stress and few prosocial ties raise it, care lowers it and ends it
        u = unit(k_relapse, i)
        if relapse[i]:
            if care_met[i] and u < par.recovery_per_week:
                relapse[i] = False
        elif addiction[i]:
            care = 1 - par.care_relapse_reduction if care_met[i] else 1.0
            hazard = (
                par.relapse_per_week
                * (par.relapse_stress_offset + stress[i])
                * (par.relapse_ties_offset - ties_prosocial[i])
                * care
            )
            if u < hazard:
                relapse[i] = True
        if debt_managed[i]:
            debt[i] = max(debt[i] - par.debt_paydown_per_week, 0.0)


class FeelingPeople(NamedTuple):
    """The population columns the states with memory read and change."""

    svc_status: np.ndarray
    relapse: np.ndarray
    stress: np.ndarray
    motivation: np.ndarray
    trust: np.ndarray
    ties_prosocial: np.ndarray
    ties_criminogenic: np.ndarray
    self_reliance: np.ndarray
    self_reliance_own: np.ndarray
    domains: Domains


class StateParams(NamedTuple):
    """States with memory, by the parameter table's names."""

    stress_per_missing_domain: float
    memory_weeks: float
    motivation_decay_per_week: float
    ties_drift_per_week: float
    criminogenic_no_income_growth: float
    self_reliance_recovery_per_week: float
    debt_problem_threshold: float
    stress_from_relapse: float
    stress_from_waiting: float
    motivation_recovery_per_week: float
    trust_resting_level: float
    trust_memory_factor: float
    prosocial_target_base: float
    prosocial_target_work: float
    prosocial_target_housed: float
    prosocial_target_helper: float
    criminogenic_fade_housed_weight: float


def update_states(m: ReentryModel, ids: np.ndarray) -> None:
    """Stress, motivation, trust and ties follow what happens, with memory.

    Unresolved problems raise stress (BrugBinnenBuiten2023 introduction, §2.1.2);
    stress and waiting erode a motivation that is high at release but fragile
    (Leiden2024 §5.3.1); trust drifts slowly back, so setbacks are remembered
    (Leiden2024 §4.6, §7.4.3). Work, housing and a helper build prosocial ties;
    no income pulls people towards the criminal network (Leiden2024 §4.4.1).
    Self-reliance lost inside comes back slowly outside.
    """
    _update_states_kernel(
        ids, bundle(FeelingPeople, m.pop), bundle(Helpers, m.support), bundle(StateParams, m.p)
    )


@njit(cache=True)
def _update_states_kernel(ids, people, helpers, par):
    """Stress, motivation, trust and ties this week (see :func:`update_states`)."""
    has_id, housing, income, debt, debt_managed, addiction, mental_health, care_met = people.domains
    svc_status = people.svc_status
    relapse = people.relapse
    stress = people.stress
    motivation = people.motivation
    trust = people.trust
    ties_prosocial = people.ties_prosocial
    ties_criminogenic = people.ties_criminogenic
    self_reliance = people.self_reliance
    self_reliance_own = people.self_reliance_own
    for i in ids:
        gap = self_reliance_own[i] - self_reliance[i]
        if gap > 0:
            self_reliance[i] += par.self_reliance_recovery_per_week * gap
        person = Domains(
            has_id[i], housing[i], income[i], debt[i], debt_managed[i], addiction[i],
            mental_health[i], care_met[i],
        )  # fmt: skip
        lacks = missing(person, par.debt_problem_threshold)
        waiting = False
        for s in range(svc_status.shape[0]):
            waiting = waiting or svc_status[s, i] == WAITING
        target = min(
            par.stress_per_missing_domain * lacks
            + par.stress_from_relapse * relapse[i]
            + par.stress_from_waiting * waiting,
            1,
        )
        stress[i] += (target - stress[i]) / par.memory_weeks
        unresolved = lacks > 0 or waiting
        motivation[i] = min(
            max(
                motivation[i]
                - par.motivation_decay_per_week * unresolved
                + par.motivation_recovery_per_week * (not unresolved),
                0.0,
            ),
            1.0,
        )
        trust_weeks = par.trust_memory_factor * par.memory_weeks
        trust[i] += (par.trust_resting_level - trust[i]) / trust_weeks
        housed = housing[i] == FAMILY or housing[i] == INDEPENDENT
        # capped, so that ties stay in [0, 1] whatever a design samples for the four terms
        support_target = min(
            par.prosocial_target_base
            + par.prosocial_target_work * (income[i] == WORK)
            + par.prosocial_target_housed * housed
            + par.prosocial_target_helper * helpers.has_helper[i],
            1.0,
        )
        ties_prosocial[i] += par.ties_drift_per_week * (support_target - ties_prosocial[i])
        tc = ties_criminogenic[i]
        if income[i] == NO_INCOME:
            ties_criminogenic[i] = tc + par.criminogenic_no_income_growth * (1 - tc)
        else:
            ties_criminogenic[i] = tc * (
                1
                - par.ties_drift_per_week
                * (1 + par.criminogenic_fade_housed_weight * (housing[i] != NO_HOUSING))
            )
