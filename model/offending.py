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

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from .detention import enter_detention, logit
from .population import NO_HOUSING, NO_INCOME, draw_detention_length, missing
from .rng import Purpose, stream_key, unit
from .services import ADDICTION_CARE, EMPLOYMENT, MENTAL_HEALTH_CARE, busy, int_list

_OFFENCE = int(Purpose.OFFENCE)  # a plain int, so that the kernel can key its draws

if TYPE_CHECKING:
    from .model import ReentryModel


def offending(m: ReentryModel, ids: np.ndarray) -> None:
    """Offences, justice contact, and re-detention for the released people ``ids``."""
    pop, p, w, rng = m.pop, m.p, m.week, m.crn
    offenders = _offenders(
        ids, rng.seed, w, pop.svc_status, pop.release_week, *pop.domain_columns(),
        p.debt_problem_threshold, pop.ties_criminogenic, pop.stress, pop.relapse,
        pop.motivation, pop.priors, pop.age, pop.ties_prosocial,
        logit(p.offence_base_per_week), p.w_no_income, p.w_no_housing, p.w_criminogenic,
        p.w_stress, p.w_relapse, p.w_idle, p.w_low_motivation, p.w_priors, p.w_young,
        p.w_prosocial, p.w_stable, p.w_time_since_release, p.w_age_per_decade,
    )  # fmt: skip
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
def _offenders(
    ids, seed, week, svc_status, release_week, has_id, housing, income, debt, debt_managed,
    addiction, mental_health, care_met, debt_threshold, ties_criminogenic, stress, relapse,
    motivation, priors, age, ties_prosocial, base_logit, w_no_income, w_no_housing,
    w_criminogenic, w_stress, w_relapse, w_idle, w_low_motivation, w_priors, w_young,
    w_prosocial, w_stable, w_time_since_release, w_age_per_decade,
):  # fmt: skip
    """Who offends this week: a draw against the logistic of the weighted risk factors."""
    key = stream_key(seed, week, _OFFENCE)
    offenders = int_list()
    for i in ids:
        daytime = busy(
            income[i], svc_status[EMPLOYMENT, i], svc_status[ADDICTION_CARE, i],
            svc_status[MENTAL_HEALTH_CARE, i],
        )  # fmt: skip
        lacks = missing(
            has_id[i], housing[i], income[i], debt[i], debt_managed[i], addiction[i],
            mental_health[i], care_met[i], debt_threshold,
        )  # fmt: skip
        years_out = min((week - release_week[i]) / 52, 2)
        x = (
            base_logit
            + w_no_income * (income[i] == NO_INCOME)
            + w_no_housing * (housing[i] == NO_HOUSING)
            + w_criminogenic * ties_criminogenic[i]
            + w_stress * stress[i]
            + w_relapse * relapse[i]
            + w_idle * (not daytime)
            + w_low_motivation * (1 - motivation[i])
            + w_priors * min(priors[i], 5)
            + w_young * (age[i] < 25)
            - w_age_per_decade * max(age[i] - 25.0, 0.0) / 10
            - w_prosocial * ties_prosocial[i]
            - w_stable * (lacks == 0)
            - w_time_since_release * years_out
        )
        if unit(key, i) < 1 / (1 + np.exp(-x)):
            offenders.append(i)
    return np.array(offenders, dtype=np.int64)
