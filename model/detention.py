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
from .rng import Purpose
from .services import cancel_all

if TYPE_CHECKING:
    from .model import ReentryModel

CAW, PRISON_MH, TRAINING = range(len(PRISON_SERVICES))


def logit(x: float) -> float:
    return float(np.log(x / (1 - x)))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def enter_detention(
    m: ReentryModel, ids: np.ndarray, lengths: np.ndarray, groups: np.ndarray
) -> None:
    """Start a detention episode now; release is ``lengths`` weeks later."""
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
    pop, p, w = m.pop, m.p, m.week
    x = (
        logit(p.misconduct_base_per_week)
        + p.misconduct_motivation_weight * (0.5 - pop.motivation[ids])
        + 1.5 * (pop.stress[ids] - 0.3)
        + 1.0 * pop.ties_criminogenic[ids]
        + 0.5 * (pop.age[ids] < 25)
    )  # weights are assumptions (ranges in docs/ODD.md)
    misconduct = m.crn.bernoulli(ids, w, Purpose.MISCONDUCT, sigmoid(x))
    pop.good_weeks[ids] = np.where(misconduct, 0, pop.good_weeks[ids] + 1)
    pop.regime[ids[misconduct]] = BASIC
    promote = (pop.regime[ids] == BASIC) & (pop.good_weeks[ids] >= p.promotion_good_weeks)
    pop.regime[ids[promote]] = PLUS
    if p.gating_inside:
        basic = ids[pop.regime[ids] == BASIC]
        pop.motivation[basic] = np.maximum(pop.motivation[basic] - p.frustration_per_week, 0.0)


def _damage(m: ReentryModel, ids: np.ndarray) -> None:
    pop, p, w, rng = m.pop, m.p, m.week, m.crn
    mult = p.living_climate * np.where(
        pop.regime[ids] == BASIC, p.basic_regime_damage_multiplier, 1.0
    )
    pop.self_reliance[ids] = np.maximum(
        pop.self_reliance[ids] - p.damage_self_reliance_per_week * mult, 0.02
    )
    # housing: rent goes unpaid (000 l.623); some can move in with family
    u = rng.uniform(ids, w, Purpose.LOSE_HOUSING)
    h = pop.housing[ids]
    lose_home = (h == INDEPENDENT) & (u < np.clip(p.damage_lose_housing_per_week * mult, 0, 1))
    lose_family = (h == FAMILY) & (u < np.clip(p.damage_lose_family_housing_per_week * mult, 0, 1))
    to_family = rng.uniform(ids, w, Purpose.HOUSING_FALLBACK) < p.housing_loss_to_family
    h = np.where(lose_home, np.where(to_family, FAMILY, NO_HOUSING), h)
    h = np.where(lose_family, NO_HOUSING, h)
    pop.housing[ids] = h
    pop.address[ids] = h != NO_HOUSING
    # income: jobs are lost; benefits stop after a few weeks inside
    inc = pop.income[ids]
    lose_job = (inc == WORK) & rng.bernoulli(ids, w, Purpose.LOSE_JOB, p.damage_lose_job_per_week)
    benefit_stops = (inc == BENEFIT) & (w - pop.entry_week[ids] >= p.benefit_kept_weeks)
    pop.income[ids] = np.where(lose_job | benefit_stops, NO_INCOME, inc)
    pop.job_ready[ids[lose_job]] = 0.5
    pop.has_id[ids] &= ~rng.bernoulli(ids, w, Purpose.LOSE_ID, p.damage_lose_id_per_week)
    lose_care = rng.bernoulli(ids, w, Purpose.LOSE_CARE, p.damage_lose_care_per_week)
    pop.care_met[ids] &= ~lose_care
    # ties and debt (000 M7; 004 l.6496; 000 l.215)
    pop.ties_prosocial[ids] *= np.clip(1 - p.damage_prosocial_fade_per_week * mult, 0, 1)
    tc = pop.ties_criminogenic[ids]
    pop.ties_criminogenic[ids] = tc + np.clip(
        p.damage_criminogenic_growth_per_week * mult, 0, 1
    ) * (1 - tc)
    pop.debt[ids] += p.damage_debt_per_week


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
