"""The weekly offending hazard, justice contact and re-detention.

The hazard comes from the person's state, not from a curve: it is the logistic
of a weighted sum of risk factors, each in [0, 1], so effects add on the
log-odds scale and the weekly chance stays a probability (no compounding
multipliers). Risk rises with missing income (above all, Leiden2024 §4.4.1), no
housing, criminogenic ties, stress, relapse, idleness, low motivation, prior
detentions and young age; it falls with prosocial ties, stability, time
since release and age above 25 (the age-crime curve; people grow a week older
each week in the system, so long careers end). Because instability is highest
just after release, the hazard is front-loaded without being told to be.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import njit

from .bundles import Clock, Domains, bundle
from .detention import enter_detention, logit
from .population import NO_HOUSING, NO_INCOME, draw_detention_length, missing
from .rng import Purpose, stream_key, unit
from .services import ADDICTION_CARE, EMPLOYMENT, MENTAL_HEALTH_CARE, busy, int_list

_OFFENCE = int(Purpose.OFFENCE)  # a plain int, so that the kernel can key its draws

if TYPE_CHECKING:
    from .model import ReentryModel


class OffendingPeople(NamedTuple):
    """The population columns the offending hazard reads."""

    svc_status: np.ndarray
    release_week: np.ndarray
    ties_criminogenic: np.ndarray
    stress: np.ndarray
    relapse: np.ndarray
    motivation: np.ndarray
    priors: np.ndarray
    age: np.ndarray
    ties_prosocial: np.ndarray
    domains: Domains


class OffendingParams(NamedTuple):
    """The weights of the offending hazard, by the parameter table's names;
    ``offence_base_logit`` is the log-odds of ``offence_base_per_week``."""

    debt_problem_threshold: float
    offence_base_logit: float
    w_no_income: float
    w_no_housing: float
    w_criminogenic: float
    w_stress: float
    w_relapse: float
    w_idle: float
    w_low_motivation: float
    w_priors: float
    w_young: float
    w_prosocial: float
    w_stable: float
    w_time_since_release: float
    w_age_per_decade: float


def offending(m: ReentryModel, ids: np.ndarray) -> None:
    """Offences, justice contact, and re-detention for the released people ``ids``."""
    pop, p, w, rng = m.pop, m.p, m.week, m.crn
    offenders = _offenders(
        ids,
        Clock(rng.seed, w, w - m.start_week),
        bundle(OffendingPeople, pop),
        bundle(OffendingParams, p, offence_base_logit=logit(p.offence_base_per_week)),
    )
    if len(offenders) == 0:
        return
    m.releases.offence(offenders, w)
    m.counts["offences"] += len(offenders)
    supervised = pop.supervised_until[offenders] > w
    detect = np.clip(p.detection_probability + p.supervision_detection_boost * supervised, 0, 1)
    caught = offenders[rng.bernoulli(offenders, w, Purpose.DETECTION, detect)]
    m.releases.justice_contact(caught, w)
    m.counts["justice_contacts"] += len(caught)
    pop.last_conviction_week[caught] = w
    pop.stress[caught] = np.minimum(pop.stress[caught] + 0.1, 1)
    back = caught[rng.bernoulli(caught, w, Purpose.REDETENTION, p.redetention_probability)]
    m.releases.redetention(back, w)
    m.counts["redetentions"] += len(back)
    if len(back):
        pop.priors[back] += 1
        lengths, groups = draw_detention_length(back, w, p, rng)
        enter_detention(m, back, lengths, groups)


@njit(cache=True)
def _offenders(ids, clock, people, par):
    """Who offends this week: a draw against the logistic of the weighted risk factors."""
    seed, week, _ = clock
    has_id, housing, income, debt, debt_managed, addiction, mental_health, care_met = people.domains
    svc_status = people.svc_status
    release_week = people.release_week
    ties_criminogenic = people.ties_criminogenic
    stress = people.stress
    relapse = people.relapse
    motivation = people.motivation
    priors = people.priors
    age = people.age
    ties_prosocial = people.ties_prosocial
    key = stream_key(seed, week, _OFFENCE)
    offenders = int_list()
    for i in ids:
        daytime = busy(
            income[i], svc_status[EMPLOYMENT, i], svc_status[ADDICTION_CARE, i],
            svc_status[MENTAL_HEALTH_CARE, i],
        )  # fmt: skip
        person = Domains(
            has_id[i], housing[i], income[i], debt[i], debt_managed[i], addiction[i],
            mental_health[i], care_met[i],
        )  # fmt: skip
        lacks = missing(person, par.debt_problem_threshold)
        years_out = min((week - release_week[i]) / 52, 2)
        x = (
            par.offence_base_logit
            + par.w_no_income * (income[i] == NO_INCOME)
            + par.w_no_housing * (housing[i] == NO_HOUSING)
            + par.w_criminogenic * ties_criminogenic[i]
            + par.w_stress * stress[i]
            + par.w_relapse * relapse[i]
            + par.w_idle * (not daytime)
            + par.w_low_motivation * (1 - motivation[i])
            + par.w_priors * min(priors[i], 5)
            + par.w_young * (age[i] < 25)
            - par.w_age_per_decade * max(age[i] - 25.0, 0.0) / 10
            - par.w_prosocial * ties_prosocial[i]
            - par.w_stable * (lacks == 0)
            - par.w_time_since_release * years_out
        )
        if unit(key, i) < 1 / (1 + np.exp(-x)):
            offenders.append(i)
    return np.array(offenders, dtype=np.int64)
