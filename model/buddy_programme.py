"""The buddy programme (mechanism 12; 000 ch.3-5; 001; 003).

* **Intake.** Referral inside prison when release is near (000 l.2917-2940),
  or at release; people who accept join the buddy waiting list.
* **Matching.** Each week a coordinator matches people on the list, first come
  first served, to buddies with free capacity, emptiest buddies first. Match
  quality is drawn per match; a diverse pool makes good matches likelier
  (000 l.2735-2738).
* **Trajectory.** About 26 weeks after release (000 l.3686), then closure and
  handover. The rational type leaves once their questions are answered: an
  early *completion*, not a drop-out (000 l.1124-1139).
* **Contact.** Proactive every 1, 2 or 4 weeks, or reactive only (000
  l.1519-1523). A buddy's hours are shared among their clients, so each
  contact does less when the caseload is higher.
* **What buddies do.** They go along to services (the buddy grade of access
  success), calm stress and build trust (000 l.1345-1347; 004 l.8422-8427), are
  a prosocial tie and catch escalations early (through ``has_helper``), and
  signal risk to the professional (001 l.65-69).
* **Strain.** Each contact adds strain, more for demanding and complex clients,
  and more when professionals are overloaded and buddies fill the gap
  (substitution, 000 l.1262-1272). Coaching takes strain off; above a threshold
  burnout makes buddies leave; new buddies are recruited at a funded rate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from agents import Buddy

from .population import DETAINED, NO_WEEK, RELEASED, WITH_BUDDY
from .rng import Purpose
from .services import unmet_needs
from .support import Contacts

if TYPE_CHECKING:
    from .model import ReentryModel

# buddy_status of a person
NO_BUDDY, ON_LIST, MATCHED = 0, 1, 2
HOURS_PER_CLIENT = 4.0
"""Hours of buddy time one client needs for the full effect (000 l.2605-2607)."""
EARLY_EXIT_WEEKS = 4
"""The rational type's trajectory can close once no need is left, after this many weeks
(assumption, range 2-8)."""
DEMANDING = 3  # typology code


_NOBODY = np.zeros(0, dtype=np.int64)


class BuddyProgramme:
    """The buddy provider of :class:`model.support.Support`; owns the buddy arrays."""

    def __init__(self, m: ReentryModel) -> None:
        p = m.p
        self.on = p.buddy_start != "none"
        per_year = m.releases_per_week * 52 / 1000
        self.recruit_rate = p.buddy_recruitment_per_1000_releases * per_year / 52 if self.on else 0
        self.active = np.zeros(0, dtype=bool)
        self.strain = np.zeros(0)
        self.joined = np.zeros(0, dtype=np.int32)
        self.left = np.zeros(0, dtype=np.int32)
        self.clients = np.zeros(0, dtype=np.int64)
        self.totals = dict.fromkeys(
            (
                "matches",
                "completed",
                "completed_early",
                "dropped",
                "ended_by_detention",
                "exits",
                "recruits",
                "three_way_talks",
            ),
            0,
        )
        self.stats: dict[str, float] = {}
        self._recruit(m, round(p.buddies_per_1000_releases * per_year) if self.on else 0)

    # ------------------------------------------------------------------ buddies
    def _recruit(self, m: ReentryModel, k: int) -> None:
        if k <= 0:
            return
        start = len(self.active)
        self.active = np.concatenate([self.active, np.ones(k, dtype=bool)])
        self.strain = np.concatenate([self.strain, np.zeros(k)])
        self.joined = np.concatenate([self.joined, np.full(k, m.week, dtype=np.int32)])
        self.left = np.concatenate([self.left, np.full(k, NO_WEEK, dtype=np.int32)])
        self.clients = np.concatenate([self.clients, np.zeros(k, dtype=np.int64)])
        for index in range(start, start + k):
            Buddy(m, index)

    def active_count(self) -> int:
        return int(self.active.sum())

    def _count_clients(self, m: ReentryModel) -> None:
        b = m.pop.buddy
        self.clients = np.bincount(b[b >= 0], minlength=len(self.active))

    # ------------------------------------------------------------------ weekly
    def step(self, m: ReentryModel) -> None:
        """Endings, buddies leaving and joining, intake, matching, strain and coaching."""
        if not self.on:
            return
        week_totals = dict.fromkeys(self.totals, 0)
        self._endings(m, week_totals)
        self._buddies_leave(m, week_totals)
        k = int(
            np.floor(self.recruit_rate * (m.week - m.start_week + 1))
            - np.floor(self.recruit_rate * (m.week - m.start_week))
        )
        self._recruit(m, k)
        week_totals["recruits"] = k
        self._intake(m)
        self._match(m, week_totals)
        self._strain_and_coaching(m, week_totals)
        for key, value in week_totals.items():
            self.totals[key] += value
        capacity = self.active_count() * m.p.buddy_caseload
        pop = m.pop
        self.stats = {
            "buddies_active": self.active_count(),
            "buddy_clients": int(self.clients.sum()),
            "buddy_utilisation": self.clients.sum() / capacity if capacity else np.nan,
            "buddy_waitlist": int((pop.buddy_status == ON_LIST).sum()),
            "mean_buddy_strain": float(self.strain[self.active].mean()) if capacity else np.nan,
            **{f"buddy_{k}": v for k, v in week_totals.items()},
        }

    def _end(self, m: ReentryModel, ids: np.ndarray) -> None:
        m.pop.buddy[ids] = -1
        m.pop.buddy_status[ids] = NO_BUDDY

    def _endings(self, m: ReentryModel, totals: dict[str, int]) -> None:
        pop, p, w = m.pop, m.p, m.week
        engaged = np.flatnonzero(pop.buddy_status != NO_BUDDY)
        # a new detention episode ends the trajectory (and the place on the list)
        detained_again = engaged[pop.release_week[engaged] != pop.buddy_episode[engaged]]
        ended = detained_again[pop.buddy_status[detained_again] == MATCHED]
        totals["ended_by_detention"] = len(ended)
        m.events.record("buddy_ended_by_detention", ended, week=w)
        self._end(m, detained_again)
        out = np.flatnonzero((pop.buddy_status == MATCHED) & (pop.phase == RELEASED))
        done = out[pop.buddy_end[out] <= w]
        self._end(m, done)
        totals["completed"] = len(done)
        m.events.record("buddy_completed", done, week=w)
        out = out[pop.buddy_end[out] > w]
        # the rational type leaves once their questions are answered: a completion
        rational = out[(pop.typology[out] == 2) & (w - pop.buddy_since[out] >= EARLY_EXIT_WEEKS)]
        answered = rational[~unmet_needs(m, rational).any(axis=0)]
        self._end(m, answered)
        totals["completed_early"] = len(answered)
        m.events.record("buddy_completed_early", answered, week=w)
        out = out[m.pop.buddy_status[out] == MATCHED]
        hazard = p.buddy_dropout_per_week * (1.5 - pop.match_quality[out]) * (1.5 - pop.trust[out])
        drop = out[m.crn.bernoulli(out, w, Purpose.BUDDY_DROPOUT, hazard)]
        self._end(m, drop)
        totals["dropped"] = len(drop)
        m.events.record("buddy_dropped", drop, week=w)
        self._count_clients(m)

    def _buddies_leave(self, m: ReentryModel, totals: dict[str, int]) -> None:
        p, w = m.p, m.week
        idx = np.flatnonzero(self.active)
        hazard = p.buddy_turnover_per_week + p.burnout_hazard * np.maximum(
            self.strain[idx] - p.burnout_threshold, 0
        )
        leaving = idx[m.crn.bernoulli(idx, w, Purpose.BUDDY_EXIT, np.clip(hazard, 0, 1))]
        self.active[leaving] = False
        self.left[leaving] = w
        totals["exits"] = len(leaving)
        if len(leaving) == 0:
            return
        # their clients go back on the list to be matched again
        # a lookup by buddy index (the extra last slot is "no buddy", index -1)
        gone = np.zeros(len(self.active) + 1, dtype=bool)
        gone[leaving] = True
        orphans = np.flatnonzero(gone[m.pop.buddy])
        m.pop.buddy[orphans] = -1
        m.pop.buddy_status[orphans] = ON_LIST
        m.pop.buddy_since[orphans] = w
        self._count_clients(m)

    def _intake(self, m: ReentryModel) -> None:
        pop, p, w = m.pop, m.p, m.week
        fresh = pop.buddy_offered != pop.release_week  # not yet offered this episode
        if p.buddy_start == "inside":
            due = (pop.phase == DETAINED) & (
                pop.release_week - w <= p.buddy_intake_weeks_before_release
            )
        else:
            due = (pop.phase == RELEASED) & (pop.release_week == w)
        offered = np.flatnonzero(due & fresh & (pop.buddy_status == NO_BUDDY))
        pop.buddy_offered[offered] = pop.release_week[offered]
        uptake = p.buddy_uptake if p.buddy_start == "inside" else p.buddy_uptake_after_release
        accept = offered[m.crn.bernoulli(offered, w, Purpose.BUDDY_UPTAKE, uptake)]
        pop.buddy_status[accept] = ON_LIST
        pop.buddy_since[accept] = w
        pop.buddy_episode[accept] = pop.release_week[accept]

    def _match(self, m: ReentryModel, totals: dict[str, int]) -> None:
        pop, p, w = m.pop, m.p, m.week
        waiting = np.flatnonzero(pop.buddy_status == ON_LIST)
        free = np.where(self.active, p.buddy_caseload - self.clients, 0)
        if len(waiting) == 0 or free.sum() <= 0:
            return
        # first come first served; ties broken by a keyed draw
        key = pop.buddy_since[waiting] + 0.5 * m.crn.uniform(waiting, 0, Purpose.QUEUE_TIE)
        waiting = waiting[np.argsort(key, kind="stable")]
        n = min(len(waiting), int(free.sum()))
        chosen, buddies = waiting[:n], self._slot_order(free)[:n]
        # quality in [0, 1]: mean 0.5 for a uniform pool, 0.8 for a fully diverse one
        # (assumption: the coordinator finds a better fit in a more diverse pool)
        u = m.crn.uniform(chosen, w, Purpose.MATCH_QUALITY)
        pop.match_quality[chosen] = u ** (1 / (1 + 3 * p.buddy_pool_diversity))
        pop.buddy[chosen] = buddies
        pop.buddy_status[chosen] = MATCHED
        m.events.record("buddy_matched", chosen, week=w, wait=w - pop.buddy_since[chosen])
        pop.buddy_since[chosen] = w
        pop.buddy_end[chosen] = np.maximum(w, pop.release_week[chosen]) + p.buddy_trajectory_weeks
        pop.buddy_ever[chosen] = True
        totals["matches"] = n
        self._count_clients(m)

    @staticmethod
    def _slot_order(free: np.ndarray) -> np.ndarray:
        """Buddy index per free place, so that the emptiest buddies fill first."""
        rounds = [np.flatnonzero(free > j) for j in range(int(free.max()))]
        return np.concatenate(rounds) if rounds else np.zeros(0, dtype=np.int64)

    def _strain_and_coaching(self, m: ReentryModel, totals: dict[str, int]) -> None:
        p, w = m.p, m.week
        idx = np.flatnonzero(self.active)
        self.strain[idx] = np.maximum(self.strain[idx] - p.buddy_strain_recovery_per_week, 0)
        # each buddy has a session every interval, in a week of its own: sessions are
        # spread over the interval, as a coordinator's diary would spread them
        due = (
            idx[(w - m.start_week + idx) % p.coaching_interval_weeks == 0]
            if p.coaching
            else idx[:0]
        )
        if len(due):
            weekly_capacity = m.professionals.coaching_capacity() / p.coaching_interval_weeks
            share = min(1.0, weekly_capacity / len(due))
            coached = due[m.crn.bernoulli(due, w, Purpose.COACHING, share)]
            self.strain[coached] = np.maximum(self.strain[coached] - p.coaching_relief, 0)
        # three-way talk when a match struggles (000 l.2329-2335), if a professional has room
        struggling = idx[(self.strain[idx] > p.three_way_strain_trigger) & (self.clients[idx] > 0)]
        if len(struggling) and m.professionals.load < 1:
            self.strain[struggling] = np.maximum(self.strain[struggling] - p.three_way_relief, 0)
            totals["three_way_talks"] = len(struggling)

    # ------------------------------------------------------------------ provider
    def time_share(self, m: ReentryModel, ids: np.ndarray) -> np.ndarray:
        """Share of the time a client needs that their buddy has (hours split by caseload)."""
        clients = np.maximum(self.clients[m.pop.buddy[ids]], 1)
        return np.minimum(1.0, m.p.buddy_hours_per_week / (HOURS_PER_CLIENT * clients))

    def attach(self, m: ReentryModel) -> tuple[np.ndarray, int]:
        """Released clients, with a buddy who has time to go along this week."""
        pop = m.pop
        if not self.on:
            return _NOBODY, WITH_BUDDY
        ids = np.flatnonzero((pop.buddy_status == MATCHED) & (pop.phase == RELEASED))
        goes_along = m.crn.bernoulli(ids, m.week, Purpose.BUDDY_ESCORT, self.time_share(m, ids))
        return ids[goes_along], WITH_BUDDY

    def contacts(self, m: ReentryModel) -> Contacts:
        pop, p, w = m.pop, m.p, m.week
        if not self.on:
            return Contacts(_NOBODY, WITH_BUDDY, 0.0, 0.0, 0.0)
        ids = np.flatnonzero(pop.buddy_status == MATCHED)
        if p.buddy_contact_interval == "reactive":
            # only when the client asks: initiative decides, so the shy are rarely seen
            # (assumption: 5% to 55% a week from help-seeking 0 to 1)
            out = ids[pop.phase[ids] == RELEASED]
            asks = m.crn.bernoulli(out, w, Purpose.BUDDY_ASK, 0.05 + 0.5 * pop.help_seeking[out])
            due = out[asks]
        else:
            # ...and on the day of release, when a buddy matched inside is at the gate
            due = ids[
                ((w - pop.buddy_since[ids]) % p.buddy_contact_interval == 0)
                | (pop.release_week[ids] == w)
            ]
        b = pop.buddy[due]
        effect = pop.match_quality[due] * self.time_share(m, due)
        return Contacts(
            ids=due,
            grade=WITH_BUDDY,
            relief=p.buddy_relief * effect,
            trust_change=p.buddy_trust_gain * effect,
            keep_probability=p.contact_kept_probability * (1 - 0.5 * np.minimum(self.strain[b], 1)),
        )

    def contacted(self, m: ReentryModel, ids: np.ndarray) -> None:
        """Kept contacts cost the buddy strain; a buddy signals risk to the professional."""
        pop, p = m.pop, m.p
        if len(ids) == 0:
            return
        pop.buddy_support[ids] += pop.match_quality[ids] * self.time_share(m, ids)
        demand = (
            (1 + p.demanding_strain_extra * (pop.typology[ids] == DEMANDING))
            * (1 + p.complexity_strain_weight * pop.missing_count(p, ids) / 5)
            * (1 + p.substitution_strain_factor * m.professionals.overload())
        )
        np.add.at(self.strain, pop.buddy[ids], p.buddy_strain_per_contact * demand)
        # a risky situation: relapse, a strong old network or high stress (assumption)
        at_risk = ids[
            (pop.phase[ids] == RELEASED)
            & (pop.relapse[ids] | (pop.ties_criminogenic[ids] > 0.5) | (pop.stress[ids] > 0.6))
        ]
        signals = at_risk[
            m.crn.bernoulli(at_risk, m.week, Purpose.SIGNAL, p.buddy_signal_probability)
        ]
        m.professionals.refer(signals)

    def weekly_stats(self) -> dict[str, float]:
        return self.stats
