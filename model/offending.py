"""The weekly offending hazard, justice contact and re-detention.

The hazard comes from the person's state, not from a curve: it is the logistic
of a weighted sum of risk factors, each in [0, 1], so effects add on the
log-odds scale and the weekly chance stays a probability (no compounding
multipliers). Risk rises with missing income (above all, Leiden2024 §4.4.1), no
housing, criminogenic ties, stress, relapse, idleness, low motivation, prior
detentions and young age; it falls with prosocial ties, stability, time
since release and age above ``young_age_years`` (the age-crime curve; people grow a
week older each week in the system, so long careers end). Because instability is highest
just after release, the hazard is front-loaded without being told to be.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import njit

from .bundles import Clock, Domains, bundle
from .declare import WEEKS_PER_YEAR, param
from .detention import enter_detention, logit
from .population import NO_HOUSING, NO_INCOME, NO_WEEK, draw_detention_length, missing
from .rng import stream_key, unit
from .services import ADDICTION_CARE, EMPLOYMENT, MENTAL_HEALTH_CARE, busy, int_list

if TYPE_CHECKING:
    from .model import ReentryModel


@dataclass(frozen=True)
class OffendingParameters:
    """The weekly offending hazard, justice contact and re-detention."""

    offence_base_per_week: float = param(
        0.0116,
        "probability per week",
        (0.0, 0.2),
        "calibrated to Leiden2024 §1.1 (47% in 2 y); ABC fit (ODD s.8)",
        "Weekly offending hazard of a person with all domains in order and no risk factors.",
    )

    # weights in the logit of the weekly offending hazard; each risk factor is in [0, 1]
    w_no_income: float = param(
        0.6,
        "log-odds",
        (0.0, 4.0),
        "Leiden2024 §4.4.1 (income above all); size assumption",
        "Offending weight of having no income.",
    )

    w_no_housing: float = param(
        0.3,
        "log-odds",
        (0.0, 4.0),
        "BrugBinnenBuiten2023 introduction, §2.1.3; size assumption",
        "Offending weight of having no housing.",
    )

    w_criminogenic: float = param(
        0.72,
        "log-odds per unit",
        (0.0, 4.0),
        "BrugBinnenBuiten2023 §2.1.3, Leiden2024 §5.3.1; size assumption",
        "Offending weight of criminogenic ties.",
    )

    w_stress: float = param(
        0.48,
        "log-odds per unit",
        (0.0, 4.0),
        "BrugBinnenBuiten2023 introduction, §3.2; size assumption",
        "Offending weight of stress.",
    )

    w_relapse: float = param(
        0.48,
        "log-odds",
        (0.0, 4.0),
        "BrugBinnenBuiten2023 introduction, §2.1.3; size assumption",
        "Offending weight of a substance relapse.",
    )

    w_idle: float = param(
        0.18,
        "log-odds",
        (0.0, 4.0),
        "Leiden2024 §1.1-1.2 (85% no daytime activity); size assumption",
        "Offending weight of having no daytime activity.",
    )

    w_low_motivation: float = param(
        0.36,
        "log-odds per unit",
        (0.0, 4.0),
        "Leiden2024 §5.3.1; size assumption",
        "Offending weight of low motivation (1 - motivation).",
    )

    w_priors: float = param(
        0.09,
        "log-odds per prior detention",
        (0.0, 1.0),
        "Leiden2024 Table 2.1; size assumption",
        "Offending weight per earlier detention (counted up to priors_cap).",
    )

    w_young: float = param(
        0.3,
        "log-odds",
        (0.0, 4.0),
        "the age-crime curve (Farrington 1986); size assumption (range 0.1-0.6)",
        "Offending weight of being under young_age_years.",
    )

    young_age_years: float = param(
        25.0,
        "years",
        (18.0, 35.0),
        "the age-crime curve (Farrington 1986); cut assumption (range 21-30)",
        "Age under which a person counts as young (offending and misconduct inside), and above "
        "which desistance sets in.",
    )

    w_age_per_decade: float = param(
        0.7,
        "log-odds per 10 years over young_age_years",
        (0.0, 2.0),
        "the age-crime curve: offending falls with age after the early twenties, roughly "
        "halving each decade (Farrington 1986); size assumption (range 0.3-1.0)",
        "Fall in the offending weight for every ten years of age above young_age_years "
        "(desistance).",
    )

    w_prosocial: float = param(
        0.48,
        "log-odds per unit",
        (0.0, 4.0),
        "BrugBinnenBuiten2023 §3.3.1.1, Leiden2024 §5.1.2; size assumption",
        "Protective weight of prosocial ties.",
    )

    w_stable: float = param(
        0.24,
        "log-odds",
        (0.0, 4.0),
        "size assumption (range 0.1-0.6): stability protects",
        "Protective weight of being stable (all five basic conditions in order).",
    )

    w_time_since_release: float = param(
        0.3,
        "log-odds per year",
        (0.0, 2.0),
        "size assumption (range 0.1-0.6): re-arrest is highest early (Durose et al. 2014)",
        "Protective weight per year since release (up to time_since_release_cap_years).",
    )

    time_since_release_cap_years: float = param(
        2.0,
        "years",
        (0.5, 10.0),
        "assumption (range 1-5); re-arrest is highest early (Durose et al. 2014)",
        "Time since release protects up to this many years (binds only if it is shorter than "
        "the reentry period).",
    )

    detection_probability: float = param(
        0.6,
        "probability",
        (0.0, 1.0),
        "assumption (range 0.3-0.9)",
        "Chance an offence leads to justice contact (higher under supervision).",
    )

    supervision_detection_boost: float = param(
        0.2,
        "probability",
        (0.0, 1.0),
        "Leiden2024 §1.5.2; assumption",
        "Extra chance of detection under supervision.",
    )

    redetention_probability: float = param(
        0.432,
        "probability",
        (0.0, 1.0),
        "Leiden2024 §1.1 (27% of 47%); assumption; ABC fit (ODD s.8)",
        "Chance that a justice contact leads to re-detention.",
    )

    justice_contact_stress: float = param(
        0.1,
        "stress",
        (0.0, 1.0),
        "assumption (range 0.0-0.3)",
        "Stress added by a justice contact.",
    )


STATE: dict[str, tuple] = {
    "last_conviction_week": (np.int32, NO_WEEK),
}
"""The week of the last justice contact."""


class Purpose(IntEnum):
    """Random-number streams of offending."""

    OFFENCE = 49
    DETECTION = 50
    REDETENTION = 51


_OFFENCE = int(Purpose.OFFENCE)  # a plain int, so that the kernel can key its draws


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
    priors_cap: int
    young_age_years: float
    time_since_release_cap_years: float


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
    pop.stress[caught] = np.minimum(pop.stress[caught] + p.justice_contact_stress, 1)
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
        years_out = min((week - release_week[i]) / WEEKS_PER_YEAR, par.time_since_release_cap_years)
        x = (
            par.offence_base_logit
            + par.w_no_income * (income[i] == NO_INCOME)
            + par.w_no_housing * (housing[i] == NO_HOUSING)
            + par.w_criminogenic * ties_criminogenic[i]
            + par.w_stress * stress[i]
            + par.w_relapse * relapse[i]
            + par.w_idle * (not daytime)
            + par.w_low_motivation * (1 - motivation[i])
            + par.w_priors * min(priors[i], par.priors_cap)
            + par.w_young * (age[i] < par.young_age_years)
            - par.w_age_per_decade * max(age[i] - par.young_age_years, 0.0) / 10
            - par.w_prosocial * ties_prosocial[i]
            - par.w_stable * (lacks == 0)
            - par.w_time_since_release * years_out
        )
        if unit(key, i) < 1 / (1 + np.exp(-x)):
            offenders.append(i)
    return np.array(offenders, dtype=np.int64)
