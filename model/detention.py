"""The detention phase: damage, the behaviour-gated regime and in-prison services.

* Damage per week inside (000 l.196-237; 004 l.1585, 8733): self-reliance
  erodes, homes and jobs are lost, prosocial ties fade, criminogenic ties grow,
  debt mounts. A living-climate multiplier scales it; the basic regime is worse
  (004 l.4935-4937: about 20 hours a day in the cell). Problems are frozen and
  surface at release (004 l.4914).
* The regime (004 M3, l.232, 2931, 8150): everyone starts on the basic regime;
  six weeks of good behaviour earn the plus regime; misconduct demotes and the
  six-week count starts again. On the basic regime with gating on there is no
  training and staff contact is only six-weekly. Frustration lowers motivation,
  which makes misconduct likelier: the vicious loop. Support thus goes to those
  who stay long and behave (004 l.395), which emerges here rather than being set.
* In-prison services (CAW trajectory support, mental-health therapy, vocational
  training) have waiting lists; release or an early stop ends a trajectory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from .parameters import PRISON_SERVICES
from .population import (
    BASIC,
    BENEFIT,
    DETAINED,
    FAMILY,
    IDLE,
    IN_SERVICE,
    INDEPENDENT,
    NO_HOUSING,
    NO_INCOME,
    PLUS,
    WAITING,
    WORK,
)
from .rng import Purpose, stream_key, unit
from .services import cancel_all

if TYPE_CHECKING:
    from .model import ReentryModel

CAW, PRISON_MH, TRAINING = range(len(PRISON_SERVICES))
# plain ints, so that compiled kernels can key their draws
_MISCONDUCT, _LOSE_HOUSING = int(Purpose.MISCONDUCT), int(Purpose.LOSE_HOUSING)
_FALLBACK, _LOSE_JOB = int(Purpose.HOUSING_FALLBACK), int(Purpose.LOSE_JOB)
_LOSE_ID, _LOSE_CARE = int(Purpose.LOSE_ID), int(Purpose.LOSE_CARE)


def logit(x: float) -> float:
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
    pop.supervised_until[ids] = np.minimum(pop.supervised_until[ids], m.week)
    pop.prison_status[:, ids] = IDLE
    pop.prepared[ids] = False
    pop.prison_completed[ids] = 0
    pop.prison_admitted_on_basic[ids] = 0
    cancel_all(m, ids)


def detention_week(m: ReentryModel, ids: np.ndarray) -> None:
    """One week inside for the people ``ids``."""
    if len(ids) == 0:
        return
    _regime(m, ids)
    _damage(m, ids)
    _prison_services(m, ids)


def _regime(m: ReentryModel, ids: np.ndarray) -> None:
    pop, p = m.pop, m.p
    _regime_kernel(
        ids, m.crn.seed, m.week, pop.motivation, pop.stress, pop.ties_criminogenic, pop.age,
        pop.good_weeks, pop.regime, logit(p.misconduct_base_per_week),
        p.misconduct_motivation_weight, p.promotion_good_weeks, p.gating_inside,
        p.frustration_per_week,
    )  # fmt: skip


@njit(cache=True)
def _regime_kernel(
    ids, seed, week, motivation, stress, ties_criminogenic, age, good_weeks, regime,
    base_logit, motivation_weight, promotion_weeks, gating, frustration,
):  # fmt: skip
    key = stream_key(seed, week, _MISCONDUCT)
    for i in ids:
        x = (
            base_logit
            + motivation_weight * (0.5 - motivation[i])
            + 1.5 * (stress[i] - 0.3)
            + 1.0 * ties_criminogenic[i]
            + 0.5 * (age[i] < 25)
        )  # weights are assumptions (ranges in docs/ODD.md)
        if unit(key, i) < 1 / (1 + np.exp(-x)):  # misconduct: back to basic, count restarts
            good_weeks[i] = 0
            regime[i] = BASIC
        else:
            good_weeks[i] += 1
        if regime[i] == BASIC and good_weeks[i] >= promotion_weeks:
            regime[i] = PLUS
        if gating and regime[i] == BASIC:
            motivation[i] = max(motivation[i] - frustration, 0.0)


def _damage(m: ReentryModel, ids: np.ndarray) -> None:
    pop, p = m.pop, m.p
    _damage_kernel(
        ids, m.crn.seed, m.week, pop.regime, pop.self_reliance, pop.housing, pop.address,
        pop.income, pop.entry_week, pop.job_ready, pop.has_id, pop.care_met,
        pop.ties_prosocial, pop.ties_criminogenic, pop.debt, p.living_climate,
        p.basic_regime_damage_multiplier, p.damage_self_reliance_per_week,
        p.damage_lose_housing_per_week, p.damage_lose_family_housing_per_week,
        p.housing_loss_to_family, p.damage_lose_job_per_week, p.benefit_kept_weeks,
        p.damage_lose_id_per_week, p.damage_lose_care_per_week,
        p.damage_prosocial_fade_per_week, p.damage_criminogenic_growth_per_week,
        p.damage_debt_per_week,
    )  # fmt: skip


@njit(cache=True)
def _damage_kernel(
    ids, seed, week, regime, self_reliance, housing, address, income, entry_week, job_ready,
    has_id, care_met, ties_prosocial, ties_criminogenic, debt, living_climate, basic_multiplier,
    self_reliance_loss, lose_housing, lose_family_housing, to_family_share, lose_job,
    benefit_kept_weeks, lose_id, lose_care, prosocial_fade, criminogenic_growth, debt_growth,
):  # fmt: skip
    k_house, k_fallback = stream_key(seed, week, _LOSE_HOUSING), stream_key(seed, week, _FALLBACK)
    k_job, k_id = stream_key(seed, week, _LOSE_JOB), stream_key(seed, week, _LOSE_ID)
    k_care = stream_key(seed, week, _LOSE_CARE)
    for i in ids:
        mult = living_climate * (basic_multiplier if regime[i] == BASIC else 1.0)
        self_reliance[i] = max(self_reliance[i] - self_reliance_loss * mult, 0.02)
        # housing: rent goes unpaid (000 l.623); some can move in with family
        u = unit(k_house, i)
        if housing[i] == INDEPENDENT and u < min(max(lose_housing * mult, 0.0), 1.0):
            housing[i] = FAMILY if unit(k_fallback, i) < to_family_share else NO_HOUSING
        elif housing[i] == FAMILY and u < min(max(lose_family_housing * mult, 0.0), 1.0):
            housing[i] = NO_HOUSING
        address[i] = housing[i] != NO_HOUSING
        # income: jobs are lost; benefits stop after a few weeks inside
        if income[i] == WORK and unit(k_job, i) < lose_job:
            income[i] = NO_INCOME
            job_ready[i] = 0.5
        elif income[i] == BENEFIT and week - entry_week[i] >= benefit_kept_weeks:
            income[i] = NO_INCOME
        if unit(k_id, i) < lose_id:
            has_id[i] = False
        if unit(k_care, i) < lose_care:
            care_met[i] = False
        # ties and debt (000 M7; 004 l.6496; 000 l.215)
        ties_prosocial[i] *= min(max(1 - prosocial_fade * mult, 0.0), 1.0)
        tc = ties_criminogenic[i]
        ties_criminogenic[i] = tc + min(max(criminogenic_growth * mult, 0.0), 1.0) * (1 - tc)
        debt[i] += debt_growth


def _prison_services(m: ReentryModel, ids: np.ndarray) -> None:
    pop, p, w, rng = m.pop, m.p, m.week, m.crn
    basic = pop.regime[ids] == BASIC
    gated = p.gating_inside & basic
    # with gating, basic-regime people only see staff every six weeks
    staff_week = ((w - pop.entry_week[ids]) % p.staff_contact_interval_basic) == 0
    can_ask = ~gated | staff_week
    need = (
        pop.missing_count(p, ids) > 0,
        pop.mental_health[ids] & ~pop.care_met[ids],
        pop.income[ids] != WORK,
    )
    open_ = (can_ask, can_ask, ~gated)
    p_ask = np.clip(p.prison_apply_per_week * (0.5 + pop.help_seeking[ids]), 0, 1)
    asks = rng.bernoulli(ids, w, Purpose.PRISON_APPLY, p_ask)
    for k in range(len(PRISON_SERVICES)):
        join = ids[asks & need[k] & open_[k] & (pop.prison_status[k, ids] == IDLE)]
        pop.prison_status[k, join] = WAITING
        pop.prison_since[k, join] = w
    # waiting lists sized to the number detained now
    n_detained = len(ids)
    dropout = rng.bernoulli(ids, w, Purpose.PRISON_DROPOUT, p.prison_dropout_per_week)
    for k, name in enumerate(PRISON_SERVICES):
        cap = getattr(p, f"prison_capacity_{name}") / 100 * n_detained
        places = int(cap) + int(rng.uniform(np.array([k]), w, Purpose.PRISON_PLACES)[0] < cap % 1)
        st = pop.prison_status[k, ids]
        # with gating, the plus regime goes first and the basic regime gets no training
        eligible = (st == WAITING) & ~(gated & (k == TRAINING))
        waiting = ids[eligible]
        if places > 0 and len(waiting):
            key = pop.prison_since[k, waiting] + rng.uniform(waiting, 0, Purpose.QUEUE_TIE) * 0.5
            key += 1e6 * gated[eligible]
            take = (
                waiting
                if len(waiting) <= places
                else waiting[np.argpartition(key, places - 1)[:places]]
            )
            m.events.record("prison_admitted", take, k, w, w - pop.prison_since[k, take])
            pop.prison_admitted_on_basic[take[pop.regime[take] == BASIC]] += 1
            pop.prison_status[k, take] = IN_SERVICE
            pop.prison_since[k, take] = w
        running = pop.prison_status[k, ids] == IN_SERVICE
        stop = ids[running & dropout & (pop.prison_since[k, ids] < w)]
        m.events.record("prison_stopped_early", stop, k, w)
        pop.prison_status[k, stop] = IDLE
        done = ids[running & (pop.prison_since[k, ids] + p.prison_duration_weeks <= w)]
        pop.prison_status[k, done] = IDLE
        m.events.record("prison_completed", done, k, w)
        _complete(m, done, k)


def _complete(m: ReentryModel, ids: np.ndarray, k: int) -> None:
    pop = m.pop
    pop.prison_completed[ids] += 1
    if k == CAW:
        # release preparation: ID, benefit and a shelter place arranged for the day out
        pop.prepared[ids] = True
    elif k == PRISON_MH:
        pop.care_met[ids] |= pop.mental_health[ids]
        pop.stress[ids] = np.maximum(pop.stress[ids] - 0.1, 0)
    else:
        pop.job_ready[ids] = np.minimum(pop.job_ready[ids] + 0.5, 1.0)
    pop.motivation[ids] = np.minimum(pop.motivation[ids] + m.p.motivation_success_gain, 1.0)


def end_prison_services(m: ReentryModel, ids: np.ndarray) -> None:
    """Release ends every in-prison trajectory; count those cut short."""
    pop = m.pop
    for k in range(len(PRISON_SERVICES)):
        st = pop.prison_status[k, ids]
        m.events.record("prison_released_before_turn", ids[st == WAITING], k, m.week)
        m.events.record("prison_released_during", ids[st == IN_SERVICE], k, m.week)
    pop.prison_status[:, ids] = IDLE
