"""The weekly offending hazard, justice contact and re-detention (mechanism 16).

The hazard comes from the person's state, not from a curve: it is the logistic
of a weighted sum of risk factors, each in [0, 1], so effects add on the
log-odds scale and the weekly chance stays a probability (no compounding
multipliers). Risk rises with missing income (above all, 004 l.5442), no
housing, criminogenic ties, stress, relapse, idleness, low motivation, prior
detentions and young age; it falls with prosocial ties, stability and time
since release. Because instability is highest just after release, the hazard
is front-loaded without being told to be.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .detention import enter_detention, logit, sigmoid
from .population import NO_HOUSING, NO_INCOME, draw_detention_length
from .rng import Purpose

if TYPE_CHECKING:
    from .model import ReentryModel


def weekly_hazard(
    m: ReentryModel, ids: np.ndarray, stable: np.ndarray, daytime: np.ndarray
) -> np.ndarray:
    """Chance that each released person in ``ids`` offends this week."""
    pop, p = m.pop, m.p
    years_out = np.minimum((m.week - pop.release_week[ids]) / 52, 2)
    x = (
        logit(p.offence_base_per_week)
        + p.w_no_income * (pop.income[ids] == NO_INCOME)
        + p.w_no_housing * (pop.housing[ids] == NO_HOUSING)
        + p.w_criminogenic * pop.ties_criminogenic[ids]
        + p.w_stress * pop.stress[ids]
        + p.w_relapse * pop.relapse[ids]
        + p.w_idle * ~daytime
        + p.w_low_motivation * (1 - pop.motivation[ids])
        + p.w_priors * np.minimum(pop.priors[ids], 5)
        + p.w_young * (pop.age[ids] < 25)
        - p.w_prosocial * pop.ties_prosocial[ids]
        - p.w_stable * stable
        - p.w_time_since_release * years_out
    )
    return sigmoid(x)


def offending(m: ReentryModel, ids: np.ndarray, stable: np.ndarray, daytime: np.ndarray) -> None:
    """Offences, justice contact, and re-detention for the released people ``ids``."""
    pop, p, w, rng = m.pop, m.p, m.week, m.crn
    offends = rng.bernoulli(ids, w, Purpose.OFFENCE, weekly_hazard(m, ids, stable, daytime))
    offenders = ids[offends]
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
    pop.priors[back] += 1
    lengths, groups = draw_detention_length(back, w, p, rng)
    enter_detention(m, back, lengths, groups)
