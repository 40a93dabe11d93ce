"""The buddy programme (BrugBinnenBuiten2023 ch.3-5; HU2020; ESHPM2019).

* **Intake.** Referral inside prison when release is near (BrugBinnenBuiten2023 §5.4),
  or at release; people who accept join the buddy waiting list.
* **An offer lapses** when no buddy is free by ``buddy_offer_lapse_weeks``
  after release: a buddy is for the transition, and a late start has much less
  chance (BrugBinnenBuiten2023 §5.4). So the list holds the people a buddy can still
  help, and it cannot grow without end when the pool is full.
* **Matching.** Each week a coordinator matches people on the list, first come
  first served, to buddies with free capacity, emptiest buddies first. Match
  quality is drawn per match; a diverse pool makes good matches likelier
  (BrugBinnenBuiten2023 §5.2.1.1).
* **Trajectory.** About 26 weeks after release (BrugBinnenBuiten2023 p.121), then
  closure and handover. The rational type leaves once their questions are
  answered: an early *completion*, not a drop-out (BrugBinnenBuiten2023 §2.3.2.3).
* **Contact.** Proactive every 1, 2 or 4 weeks, or reactive only
  (BrugBinnenBuiten2023 §3.3.1.1). A buddy's hours are shared among their clients, so each
  contact does less when the caseload is higher.
* **What buddies do.** They go along to services (the buddy grade of access
  success), calm stress and build trust (BrugBinnenBuiten2023 §3.2; Leiden2024 §7.4.3), are
  a prosocial tie and catch escalations early (through ``has_helper``), and
  signal risk to the professional (HU2020 p.2).
* **Strain.** Each contact adds strain, more for demanding and complex clients,
  and more when professionals are overloaded and buddies fill the gap
  (substitution, BrugBinnenBuiten2023 §3.1). Coaching takes strain off; above a threshold
  burnout makes buddies leave; new buddies are recruited at a funded rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import njit

from .bundles import Clock, Domains, KeepsBundles, bundle
from .declare import WEEKS_PER_YEAR, Events, choice, param
from .population import (
    DETAINED,
    LEFT,
    N_CONDITIONS,
    NO_INCOME,
    NO_WEEK,
    RELEASED,
    TYPOLOGY,
    WITH_BUDDY,
    missing,
)
from .professionals import PER_THOUSAND
from .rng import stream_key, unit
from .services import TIE_JITTER, int_list, needs, places_in_week, start_benefit
from .services import Purpose as ServicePurpose
from .support import Contacts, Helper

if TYPE_CHECKING:
    from .model import ReentryModel


@dataclass(frozen=True)
class BuddyProgrammeParameters:
    """The volunteer buddy programme: pool, matching, contacts and strain."""

    buddy_start: str = param(
        "none",
        "choice",
        choice("inside", "at_release", "none"),
        "BrugBinnenBuiten2023 §5.4 (start inside before release)",
        "When people are referred to the buddy programme; none switches it off.",
        "lever",
    )

    buddies_per_1000_releases: float = param(
        130.0,
        "buddies per 1,000 releases a year",
        (0.0, 2000.0),
        "assumption (range 10-200): about the size at which recruitment (30 a year) balances "
        "turnover (about 20% a year) and burnout at the default caseload, so that the pool "
        "starts near its steady state",
        "Size of the buddy pool at the start, relative to the yearly release volume; "
        "recruitment and departures set its size later.",
        "lever",
    )

    buddy_recruitment_per_1000_releases: float = param(
        30.0,
        "new buddies a year per 1,000 releases a year",
        (0.0, 2000.0),
        "BrugBinnenBuiten2023 preface, ch.5 (recruitment depends on funding); assumption "
        "(range 10-60)",
        "Recruitment of new buddies, relative to the yearly release volume.",
        "lever",
    )

    buddy_caseload: int = param(
        1,
        "clients per buddy",
        (1, 10),
        "BrugBinnenBuiten2023 p.121 (one client per volunteer)",
        "Most clients a buddy supports at once; above 1 is a lever beyond the sources.",
        "lever",
    )

    buddy_contact_interval: int | str = param(
        1,
        "weeks",
        choice(1, 2, 4, "reactive"),
        "BrugBinnenBuiten2023 §3.3.1.1 (at least weekly)",
        "Proactive contact every 1, 2 or 4 weeks, or reactive only (when the client asks).",
        "lever",
    )

    buddy_trajectory_weeks: int = param(
        26,
        "weeks",
        (4, 104),
        "BrugBinnenBuiten2023 p.121 (about six months)",
        "Length of a buddy trajectory after release, then closure and handover.",
        "lever",
    )

    buddy_intake_weeks_before_release: int = param(
        8,
        "weeks",
        (1, 52),
        "BrugBinnenBuiten2023 §5.4 (release date must be near); assumption",
        "With a start inside, referral happens this many weeks before release.",
    )

    buddy_offer_lapse_weeks: int = param(
        13,
        "weeks after release",
        (1, 104),
        "BrugBinnenBuiten2023 §5.4 (a late start has much less chance), "
        "BrugBinnenBuiten2023 p.121 (a trajectory "
        "of about 26 weeks after release); assumption (range 4-26)",
        "An offer of a buddy lapses when no buddy is free this many weeks after release.",
    )

    buddy_uptake: float = param(
        0.6,
        "share",
        (0.0, 1.0),
        "assumption (range 0.3-0.9)",
        "Share of people offered a buddy who accept.",
    )

    buddy_uptake_after_release: float = param(
        0.35,
        "share",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §5.4 (starting only after release has much "
        "less chance of success); size assumption (range 0.2-0.6)",
        "Share who accept and engage when the offer only comes at release.",
    )

    buddy_pool_diversity: float = param(
        0.5,
        "score 0-1",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §5.2.1.1 (diversity helps matching); assumption",
        "Diversity of the buddy pool; a diverse pool gives better matches.",
    )

    buddy_hours_per_week: float = param(
        4.0,
        "hours per week",
        (1.0, 20.0),
        "BrugBinnenBuiten2023 §5.1 (at least four hours)",
        "Hours a buddy gives per week, shared among their clients.",
        "fixed",
    )

    buddy_hours_per_client: float = param(
        4.0,
        "hours per week",
        (1.0, 20.0),
        "BrugBinnenBuiten2023 §5.1 (at least four hours a week for a volunteer who follows one "
        "client; research gives no exact figure); as a need per client an assumption "
        "(range 2-8)",
        "Buddy hours a week one client needs for a contact's full effect; below it, a "
        "contact does the share of it the buddy's hours per client give.",
    )

    buddy_relief: float = param(
        0.06,
        "stress per contact",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §3.2 (a buddy calms); size assumption",
        "Stress taken off by a full buddy contact.",
    )

    buddy_trust_gain: float = param(
        0.03,
        "trust per contact",
        (0.0, 0.3),
        "Leiden2024 §7.4.3 (volunteers trusted more); size assumption",
        "Trust gained from a full buddy contact.",
    )

    buddy_dropout_per_week: float = param(
        0.01,
        "probability per week",
        (0.0, 0.3),
        "assumption (range 0.003-0.03)",
        "Weekly chance a match breaks off, at average match quality and trust.",
    )

    buddy_dropout_match_offset: float = param(
        1.5,
        "multiplier",
        (1.0, 3.0),
        "BrugBinnenBuiten2023 §5.2.1.1, §5.2.1.3 (a tailored match); size assumption "
        "(range 1.1-2.5)",
        "The drop-out hazard scales with this minus match quality: at 1.5, from 1.5 times the "
        "base rate at quality 0 to half of it at 1 (at least 1, so it stays positive).",
    )

    buddy_dropout_trust_offset: float = param(
        1.5,
        "multiplier",
        (1.0, 3.0),
        "assumption (range 1.1-2.5)",
        "The drop-out hazard scales with this minus trust: at 1.5, from 1.5 times the base "
        "rate at trust 0 to half of it at 1 (at least 1, so it stays positive).",
    )

    rational_early_exit_weeks: int = param(
        4,
        "weeks",
        (1, 26),
        "BrugBinnenBuiten2023 §2.3.2.3 (the rational type leaves once the question is "
        "answered); size assumption (range 2-8)",
        "A rational client's trajectory can close after this many weeks once no need is left.",
    )

    match_quality_diversity_weight: float = param(
        3.0,
        "per unit diversity",
        (0.0, 20.0),
        "BrugBinnenBuiten2023 §5.2.1.1 (a diverse pool raises the chance of a tailored "
        "match); size assumption (range 1-9)",
        "Match quality is a uniform draw to the power 1 / (1 + this x buddy_pool_diversity): "
        "mean 0.5 for a uniform pool, 0.8 for a fully diverse one at 3 (only the product "
        "with buddy_pool_diversity matters, so the two are not identifiable apart).",
    )

    buddy_reactive_ask_base_per_week: float = param(
        0.05,
        "probability per week",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §3.3.1.1 (many do not ask: shame, bad experiences); size "
        "assumption (range 0.0-0.2)",
        "With reactive buddy contact, the weekly chance that a client without help-seeking "
        "asks for a contact.",
    )

    buddy_reactive_ask_slope: float = param(
        0.5,
        "probability per week per unit help-seeking",
        (0.0, 0.95),
        "BrugBinnenBuiten2023 §3.3.1.1 (many do not ask: shame, bad experiences); size "
        "assumption (range 0.25-0.8)",
        "With reactive buddy contact, the weekly chance of asking added per unit of help-seeking.",
    )

    buddy_signal_probability: float = param(
        0.62,
        "probability",
        (0.0, 1.0),
        "HU2020 p.2 (62% of respondents name signalling risk); as a chance per "
        "risky contact an assumption (range 0.3-0.8)",
        "Chance a buddy signals a client's risky situation to the professional.",
    )

    signal_criminogenic_threshold: float = param(
        0.5,
        "score 0-1",
        (0.0, 1.0),
        "HU2020 p.2 (volunteers signal risky behaviour); threshold assumption (range 0.3-0.8)",
        "A buddy sees a risky situation (besides a relapse) when criminogenic ties are above this.",
    )

    signal_stress_threshold: float = param(
        0.6,
        "score 0-1",
        (0.0, 1.0),
        "HU2020 p.2 (volunteers signal risky behaviour); threshold assumption (range 0.3-0.8)",
        "A buddy sees a risky situation (besides a relapse) when stress is above this.",
    )

    buddy_strain_per_contact: float = param(
        0.02,
        "strain per contact",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §3.1, §4.4.1; size assumption",
        "Strain a contact adds for an ordinary client.",
    )

    demanding_strain_extra: float = param(
        1.0,
        "multiplier",
        (0.0, 5.0),
        "BrugBinnenBuiten2023 §2.3.2.4 (demanding type); size assumption",
        "Extra strain from a demanding client (1 doubles it).",
    )

    complexity_strain_weight: float = param(
        1.0,
        "multiplier per missing domain share",
        (0.0, 5.0),
        "assumption",
        "Extra strain per share of basic conditions the client misses.",
    )

    buddy_strain_recovery_per_week: float = param(
        0.01,
        "strain per week",
        (0.0, 0.5),
        "assumption (range 0.005-0.05)",
        "Strain that fades each week on its own.",
    )

    strain_missed_contact_share: float = param(
        0.5,
        "share of contacts",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §5.2.2, §3.1 (unsupported volunteers burn out); size assumption "
        "(range 0.0-1.0)",
        "Share of contacts a buddy at full strain (1) misses; fewer at lower strain.",
    )

    coaching: bool = param(
        True,
        "on/off",
        choice(True, False),
        "BrugBinnenBuiten2023 p.121, §5.2.2",
        "Professionals coach buddies (group supervision and follow-up).",
        "lever",
    )

    coaching_interval_weeks: int = param(
        4,
        "weeks",
        (1, 26),
        "BrugBinnenBuiten2023 p.121 (monthly supervision)",
        "Interval of coaching sessions.",
        "lever",
    )

    coaching_relief: float = param(
        0.06,
        "strain per session",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §5.2.2; size assumption",
        "Strain taken off a buddy by one coaching session.",
    )

    burnout_threshold: float = param(
        0.5,
        "strain",
        (0.0, 1.0),
        "assumption (range 0.3-0.8)",
        "Strain above which burnout makes buddies leave.",
    )

    burnout_hazard: float = param(
        0.2,
        "probability per week per unit strain",
        (0.0, 1.0),
        "assumption",
        "Weekly chance of leaving per unit of strain above the threshold.",
    )

    buddy_turnover_per_week: float = param(
        0.004,
        "probability per week",
        (0.0, 0.1),
        "assumption (about 20% a year)",
        "Weekly chance a buddy leaves for other reasons.",
    )

    substitution_strain_factor: float = param(
        1.0,
        "multiplier per unit overload",
        (0.0, 5.0),
        "BrugBinnenBuiten2023 §3.1, §4.5; size assumption",
        "Extra buddy strain per unit of professional overload (substitution).",
    )


STATE: dict[str, tuple] = {
    "buddy": (np.int32, -1),
    "buddy_status": (np.int8, 0),
    "buddy_since": (np.int32, NO_WEEK),
    "buddy_end": (np.int32, NO_WEEK),
    "buddy_episode": (np.int32, NO_WEEK),
    "buddy_offered": (np.int32, NO_WEEK),
    "match_quality": (np.float64, 0.0),
    "buddy_ever": (np.bool_, False),
    "buddy_support": (np.float64, 0.0),
}
"""Each person's buddy trajectory."""

MEASURED: tuple[str, ...] = ("buddy_ever", "buddy_support")
"""Whether a person ever had a buddy, and the support they had: counted from the end of
the warm-up."""


class Purpose(IntEnum):
    """Random-number streams of the buddy programme."""

    BUDDY_UPTAKE = 71
    MATCH_QUALITY = 72
    BUDDY_DROPOUT = 73
    BUDDY_EXIT = 74
    BUDDY_ASK = 75
    SIGNAL = 76
    COACHING = 77
    BUDDY_ESCORT = 78


EVENTS = Events(
    (
        "buddy_matched",
        "buddy_completed",
        "buddy_completed_early",
        "buddy_dropped",
        "buddy_ended_by_detention",
        "buddy_ended_by_leaving",
        "buddy_offer_lapsed",
    ),
    ("buddy_programme",),
)
"""Buddy trajectories and how they end."""


# buddy_status of a person
NO_BUDDY, ON_LIST, MATCHED = 0, 1, 2
RATIONAL, DEMANDING = TYPOLOGY.index("rational"), TYPOLOGY.index("demanding")
"""Typology codes (the index in :data:`model.population.TYPOLOGY`)."""
# plain ints, so that compiled kernels can key their draws
_DROPOUT, _EXIT = int(Purpose.BUDDY_DROPOUT), int(Purpose.BUDDY_EXIT)
_UPTAKE, _QUEUE_TIE = int(Purpose.BUDDY_UPTAKE), int(ServicePurpose.QUEUE_TIE)
_QUALITY, _COACHING = int(Purpose.MATCH_QUALITY), int(Purpose.COACHING)
_ESCORT, _ASK, _SIGNAL = int(Purpose.BUDDY_ESCORT), int(Purpose.BUDDY_ASK), int(Purpose.SIGNAL)


_NOBODY = np.zeros(0, dtype=np.int64)


class BuddyProgramme(Helper, KeepsBundles):
    """The buddy provider of :class:`model.support.Support`; owns the buddy arrays."""

    def __init__(self, m: ReentryModel) -> None:
        p = m.p
        self.on = p.buddy_start != "none"
        per_year = m.releases_per_week * WEEKS_PER_YEAR / PER_THOUSAND
        self.recruit_rate = (
            p.buddy_recruitment_per_1000_releases * per_year / WEEKS_PER_YEAR if self.on else 0
        )
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
                "ended_by_leaving",
                "offers_lapsed",
                "exits",
                "recruits",
                "three_way_talks",
            ),
            0,
        )
        self.stats: dict[str, float] = {}
        self._recruit(m, round(p.buddies_per_1000_releases * per_year) if self.on else 0)
        m.professionals.coach(self.active_count())

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
        # imported here: the parameter registry reads this module, and Mesa takes seconds
        from agents import Buddy

        for index in range(start, start + k):
            Buddy(m, index)

    def active_count(self) -> int:
        return int(self.active.sum())

    # ------------------------------------------------------------------ weekly
    def step(self, m: ReentryModel) -> None:
        """Endings, buddies leaving and joining, intake, matching, strain and coaching."""
        if not self.on:
            return
        pop, p, w = m.pop, m.p, m.week
        clock = Clock(m.crn.seed, w, w - m.start_week)
        ended = _endings_and_exits(
            clock, bundle(EndingPeople, pop), bundle(Buddies, self), bundle(EndingParams, p)
        )
        completed, early, dropped, by_detention, by_leaving, lapsed, exits = ended
        k = places_in_week(self.recruit_rate, w - m.start_week)  # spread like service places
        self._recruit(m, k)
        inside = p.buddy_start == "inside"
        matched, waits, three_way_talks, waitlist = _intake_match_and_strain(
            clock,
            bundle(IntakePeople, pop),
            bundle(Buddies, self),  # anew: recruiting replaced the pool's arrays
            bundle(
                IntakeParams, p,
                starts_inside=inside,
                uptake=p.buddy_uptake if inside else p.buddy_uptake_after_release,
                coaching_interval=p.coaching_interval_weeks if p.coaching else 0,
                coaching_capacity=m.professionals.coaching_capacity(),
                professional_has_room=m.professionals.load < 1,
            ),
        )  # fmt: skip
        for kind, ids in (
            ("buddy_ended_by_detention", by_detention),
            ("buddy_ended_by_leaving", by_leaving),
            ("buddy_completed", completed),
            ("buddy_completed_early", early),
            ("buddy_dropped", dropped),
            ("buddy_offer_lapsed", lapsed),
        ):
            m.events.record(kind, ids, week=w)
        m.events.record("buddy_matched", matched, week=w, wait=waits)
        week_totals = {
            "matches": len(matched),
            "completed": len(completed),
            "completed_early": len(early),
            "dropped": len(dropped),
            "ended_by_detention": len(by_detention),
            "ended_by_leaving": len(by_leaving),
            "offers_lapsed": len(lapsed),
            "exits": exits,
            "recruits": k,
            "three_way_talks": three_way_talks,
        }
        for key, value in week_totals.items():
            self.totals[key] += value
        active = self.active_count()
        m.professionals.coach(active)
        capacity = active * p.buddy_caseload
        clients = int(self.clients.sum())
        self.stats = {
            "buddies_active": active,
            "buddy_clients": clients,
            "buddy_utilisation": clients / capacity if capacity else np.nan,
            "buddy_waitlist": waitlist,
            "mean_buddy_strain": float(self.strain[self.active].mean()) if capacity else np.nan,
            **{f"buddy_{k}": v for k, v in week_totals.items()},
        }

    # ------------------------------------------------------------------ provider
    def attach(self, m: ReentryModel) -> tuple[np.ndarray, int]:
        """Released clients, with a buddy who has time to go along this week."""
        pop = m.pop
        if not self.on:
            return _NOBODY, WITH_BUDDY
        ids = _escorts(
            m.crn.seed, m.week, pop.buddy_status, pop.phase, pop.buddy, self.clients,
            bundle(EscortParams, m.p),
        )  # fmt: skip
        return ids, WITH_BUDDY

    def contacts(self, m: ReentryModel) -> Contacts:
        pop, p = m.pop, m.p
        if not self.on:
            return Contacts(_NOBODY, WITH_BUDDY, 0.0, 0.0, 0.0)
        reactive = p.buddy_contact_interval == "reactive"
        due, relief, trust_change, keep = _buddy_contacts(
            Clock(m.crn.seed, m.week, m.week - m.start_week),
            bundle(BuddyContactPeople, pop),
            bundle(Buddies, self),
            bundle(
                BuddyContactParams, p,
                contact_interval=0 if reactive else p.buddy_contact_interval,
            ),
        )  # fmt: skip
        return Contacts(due, WITH_BUDDY, relief, trust_change, keep)

    def contacted(self, m: ReentryModel, ids: np.ndarray) -> None:
        """Kept contacts cost the buddy strain; a buddy signals risk to the professional."""
        pop, p = m.pop, m.p
        if len(ids) == 0:
            return
        signals = _after_contact(
            ids,
            Clock(m.crn.seed, m.week, m.week - m.start_week),
            bundle(SupportedPeople, pop),
            bundle(Buddies, self),
            bundle(
                AfterContactParams, p,
                substitution=1 + p.substitution_strain_factor * m.professionals.overload(),
            ),
        )  # fmt: skip
        m.professionals.refer(signals)

    def weekly_stats(self) -> dict[str, float]:
        return self.stats

    def on_release(self, m: ReentryModel, ids: np.ndarray) -> None:
        """A buddy matched inside has helped arrange ID and the benefit claim
        (BrugBinnenBuiten2023 §5.4)."""
        pop = m.pop
        with_buddy = ids[pop.buddy_status[ids] == MATCHED]
        pop.has_id[with_buddy] = True
        unclaimed = with_buddy[
            (pop.income[with_buddy] == NO_INCOME) & (pop.benefit_due_week[with_buddy] == NO_WEEK)
        ]
        start_benefit(m, unclaimed, advance=False)

    def start_measuring(self) -> None:
        self.totals = dict.fromkeys(self.totals, 0)


class Buddies(NamedTuple):
    """The buddy pool, one entry per buddy, by the programme's attribute names: whether
    each is active, their strain, the week they left, and their clients now."""

    active: np.ndarray
    strain: np.ndarray
    left: np.ndarray
    clients: np.ndarray


class EndingPeople(NamedTuple):
    """The population columns the endings of trajectories read and change."""

    buddy_status: np.ndarray
    buddy: np.ndarray
    buddy_since: np.ndarray
    buddy_end: np.ndarray
    buddy_episode: np.ndarray
    release_week: np.ndarray
    phase: np.ndarray
    typology: np.ndarray
    match_quality: np.ndarray
    trust: np.ndarray
    benefit_due_week: np.ndarray
    domains: Domains


class EndingParams(NamedTuple):
    """Endings of trajectories and buddies leaving, by the parameter table's names."""

    debt_problem_threshold: float
    buddy_dropout_per_week: float
    buddy_turnover_per_week: float
    burnout_hazard: float
    burnout_threshold: float
    buddy_offer_lapse_weeks: int
    rational_early_exit_weeks: int
    buddy_dropout_match_offset: float
    buddy_dropout_trust_offset: float


@njit(cache=True)
def _endings_and_exits(clock, people, buddies, par):
    """Trajectories end (detention, leaving, completion, early completion, drop-out),
    offers lapse, and buddies leave.

    The clients of a buddy who leaves go back on the list to be matched again.
    Returns the people whose trajectory ended, by how, and the number of exits.
    """
    seed, week, _ = clock
    buddy_status = people.buddy_status
    buddy = people.buddy
    buddy_since = people.buddy_since
    buddy_end = people.buddy_end
    buddy_episode = people.buddy_episode
    release_week = people.release_week
    phase = people.phase
    typology = people.typology
    match_quality = people.match_quality
    trust = people.trust
    has_id, housing, income, debt, debt_managed, addiction, mental_health, care_met = people.domains
    benefit_due_week = people.benefit_due_week
    active = buddies.active
    strain = buddies.strain
    left = buddies.left
    clients = buddies.clients
    k_drop = stream_key(seed, week, _DROPOUT)
    k_exit = stream_key(seed, week, _EXIT)
    # buddies leave through turnover and burnout (a lookup by buddy index)
    gone = np.zeros(active.shape[0], dtype=np.bool_)
    exits = 0
    for b in range(active.shape[0]):
        if not active[b]:
            continue
        excess = max(strain[b] - par.burnout_threshold, 0.0)
        hazard = par.buddy_turnover_per_week + par.burnout_hazard * excess
        if unit(k_exit, b) < min(max(hazard, 0.0), 1.0):
            active[b] = False
            left[b] = week
            gone[b] = True
            exits += 1
    completed, early, dropped, by_detention = int_list(), int_list(), int_list(), int_list()
    by_leaving, lapsed = int_list(), int_list()
    clients[:] = 0
    for i in range(buddy_status.shape[0]):
        if buddy_status[i] == NO_BUDDY:
            continue
        ends = False
        if release_week[i] != buddy_episode[i]:
            # a new detention episode ends the trajectory (and the place on the list)
            if buddy_status[i] == MATCHED:
                by_detention.append(i)
            ends = True
        elif phase[i] == LEFT:
            if buddy_status[i] == MATCHED:
                by_leaving.append(i)
            ends = True
        elif buddy_status[i] == MATCHED and phase[i] == RELEASED:
            if buddy_end[i] <= week:
                completed.append(i)
                ends = True
            elif (
                typology[i] == RATIONAL
                and week - buddy_since[i] >= par.rational_early_exit_weeks
                and needs(
                    Domains(
                        has_id[i], housing[i], income[i], debt[i], debt_managed[i],
                        addiction[i], mental_health[i], care_met[i],
                    ),
                    benefit_due_week[i], par.debt_problem_threshold,
                ) == 0
            ):  # fmt: skip
                # the rational type leaves once their questions are answered: a completion
                early.append(i)
                ends = True
            elif unit(k_drop, i) < (
                par.buddy_dropout_per_week
                * (par.buddy_dropout_match_offset - match_quality[i])
                * (par.buddy_dropout_trust_offset - trust[i])
            ):
                dropped.append(i)
                ends = True
        if ends:
            buddy[i] = -1
            buddy_status[i] = NO_BUDDY
        elif buddy[i] >= 0 and gone[buddy[i]]:
            buddy[i] = -1
            buddy_status[i] = ON_LIST
            buddy_since[i] = week
        # the offer lapses, also for a client whose buddy left late in the trajectory
        if (
            buddy_status[i] == ON_LIST
            and phase[i] == RELEASED
            and week - release_week[i] >= par.buddy_offer_lapse_weeks
        ):
            lapsed.append(i)
            buddy_status[i] = NO_BUDDY
        if buddy[i] >= 0:
            clients[buddy[i]] += 1
    return (
        np.array(completed, dtype=np.int64),
        np.array(early, dtype=np.int64),
        np.array(dropped, dtype=np.int64),
        np.array(by_detention, dtype=np.int64),
        np.array(by_leaving, dtype=np.int64),
        np.array(lapsed, dtype=np.int64),
        exits,
    )


class IntakePeople(NamedTuple):
    """The population columns intake and matching read and change."""

    buddy_status: np.ndarray
    buddy: np.ndarray
    buddy_since: np.ndarray
    buddy_end: np.ndarray
    buddy_episode: np.ndarray
    buddy_offered: np.ndarray
    buddy_ever: np.ndarray
    release_week: np.ndarray
    phase: np.ndarray
    match_quality: np.ndarray


class IntakeParams(NamedTuple):
    """Intake, matching and strain, by the parameter table's names; plus
    ``starts_inside`` (buddy_start is "inside"), the ``uptake`` of that start,
    ``coaching_interval`` (0 without coaching), the professionals'
    ``coaching_capacity`` and whether a professional has room (load below 1) for a
    three-way talk."""

    starts_inside: bool
    buddy_intake_weeks_before_release: int
    uptake: float
    buddy_pool_diversity: float
    match_quality_diversity_weight: float
    buddy_caseload: int
    buddy_trajectory_weeks: int
    buddy_strain_recovery_per_week: float
    coaching_interval: int
    coaching_capacity: int
    coaching_relief: float
    three_way_strain_trigger: float
    three_way_relief: float
    professional_has_room: bool


@njit(cache=True)
def _intake_match_and_strain(clock, people, buddies, par):
    """Referrals join the list, the coordinator matches, and buddies' strain moves.

    Returns the people matched, their waits, the number of three-way talks and the
    length of the list after matching.
    """
    seed, week, run_week = clock
    buddy_status = people.buddy_status
    buddy = people.buddy
    buddy_since = people.buddy_since
    buddy_end = people.buddy_end
    buddy_episode = people.buddy_episode
    buddy_offered = people.buddy_offered
    buddy_ever = people.buddy_ever
    release_week = people.release_week
    phase = people.phase
    match_quality = people.match_quality
    active = buddies.active
    strain = buddies.strain
    clients = buddies.clients
    k_uptake = stream_key(seed, week, _UPTAKE)
    k_tie = stream_key(seed, 0, _QUEUE_TIE)
    k_quality = stream_key(seed, week, _QUALITY)
    k_coaching = stream_key(seed, week, _COACHING)
    # intake: referral inside when release is near, or at release (BrugBinnenBuiten2023 §5.4)
    waiting = int_list()
    for i in range(buddy_status.shape[0]):
        if buddy_status[i] == NO_BUDDY and buddy_offered[i] != release_week[i]:  # not yet offered
            if par.starts_inside:
                due = (
                    phase[i] == DETAINED
                    and release_week[i] - week <= par.buddy_intake_weeks_before_release
                )
            else:
                due = phase[i] == RELEASED and release_week[i] == week
            if due:
                buddy_offered[i] = release_week[i]
                if unit(k_uptake, i) < par.uptake:
                    buddy_status[i] = ON_LIST
                    buddy_since[i] = week
                    buddy_episode[i] = release_week[i]
        if buddy_status[i] == ON_LIST:
            waiting.append(i)

    # matching: first come first served (ties broken by a keyed draw), to the
    # emptiest buddies first
    free = np.zeros(active.shape[0], dtype=np.int64)
    for b in range(active.shape[0]):
        if active[b]:
            free[b] = par.buddy_caseload - clients[b]
    n = min(len(waiting), max(free.sum(), 0))
    chosen = np.empty(n, dtype=np.int64)
    waits = np.empty(n, dtype=np.int64)
    if n > 0:
        key = np.empty(len(waiting))
        for r in range(len(waiting)):
            key[r] = buddy_since[waiting[r]] + TIE_JITTER * unit(k_tie, waiting[r])
        # only the head of the list is matched: select it, then sort it (keys are distinct)
        head = np.argpartition(key, n - 1)[:n] if n < len(waiting) else np.arange(n)
        order = head[np.argsort(key[head], kind="mergesort")]
        slot, b, round_ = 0, 0, 0
        while slot < n:
            if free[b] > round_:  # a place in this round: buddies fill one place at a time
                i = waiting[order[slot]]
                chosen[slot] = i
                waits[slot] = week - buddy_since[i]
                # quality in [0, 1]: mean 0.5 for a uniform pool, 0.8 for a fully diverse
                # one at the default weight (assumption: the coordinator finds a better fit
                # in a diverse pool)
                diversity = par.match_quality_diversity_weight * par.buddy_pool_diversity
                match_quality[i] = unit(k_quality, i) ** (1 / (1 + diversity))
                buddy[i] = b
                buddy_status[i] = MATCHED
                buddy_since[i] = week
                buddy_end[i] = max(week, release_week[i]) + par.buddy_trajectory_weeks
                buddy_ever[i] = True
                clients[b] += 1
                slot += 1
            b += 1
            if b == active.shape[0]:
                b, round_ = 0, round_ + 1

    # strain recovers; coaching takes strain off; a struggling match gets a three-way
    # talk (BrugBinnenBuiten2023 §4.4.4) when a professional has room
    due = int_list()
    for b in range(active.shape[0]):
        if active[b]:
            strain[b] = max(strain[b] - par.buddy_strain_recovery_per_week, 0.0)
            # each buddy has a session every interval, in a week of its own: sessions
            # are spread as a coordinator's diary would spread them
            if par.coaching_interval and (run_week + b) % par.coaching_interval == 0:
                due.append(b)
    if len(due):
        share = min(1.0, par.coaching_capacity / par.coaching_interval / len(due))
        for b in due:
            if unit(k_coaching, b) < share:
                strain[b] = max(strain[b] - par.coaching_relief, 0.0)
    three_way = 0
    if par.professional_has_room:
        for b in range(active.shape[0]):
            if active[b] and strain[b] > par.three_way_strain_trigger and clients[b] > 0:
                strain[b] = max(strain[b] - par.three_way_relief, 0.0)
                three_way += 1
    return chosen, waits, three_way, len(waiting) - n


@njit(cache=True, inline="always")
def time_share(clients_of_buddy, hours_per_week, hours_per_client):
    """Share of the time a client needs that their buddy has (hours split by caseload)."""
    return min(1.0, hours_per_week / (hours_per_client * max(clients_of_buddy, 1)))


class EscortParams(NamedTuple):
    """A buddy's time, by the parameter table's names."""

    buddy_hours_per_week: float
    buddy_hours_per_client: float


@njit(cache=True)
def _escorts(seed, week, status, phase, buddy, clients, par):
    """Released clients whose buddy has time to go along this week."""
    key = stream_key(seed, week, _ESCORT)
    hours_per_week = par.buddy_hours_per_week
    hours_per_client = par.buddy_hours_per_client
    out = int_list()
    for i in range(status.shape[0]):
        matched_out = status[i] == MATCHED and phase[i] == RELEASED
        if matched_out and unit(key, i) < time_share(
            clients[buddy[i]], hours_per_week, hours_per_client
        ):
            out.append(i)
    return np.array(out, dtype=np.int64)


class BuddyContactPeople(NamedTuple):
    """The population columns that decide which buddy contacts are due and what they bring."""

    buddy_status: np.ndarray
    phase: np.ndarray
    buddy: np.ndarray
    buddy_since: np.ndarray
    release_week: np.ndarray
    help_seeking: np.ndarray
    match_quality: np.ndarray


class BuddyContactParams(NamedTuple):
    """Buddy contacts, by the parameter table's names; plus ``contact_interval``, the
    weeks between proactive contacts (0: reactive)."""

    contact_interval: int
    buddy_hours_per_week: float
    buddy_hours_per_client: float
    buddy_relief: float
    buddy_trust_gain: float
    contact_kept_probability: float
    buddy_reactive_ask_base_per_week: float
    buddy_reactive_ask_slope: float
    strain_missed_contact_share: float


@njit(cache=True)
def _buddy_contacts(clock, people, buddies, par):
    """Contacts due this week, with their relief, trust change and chance of being kept.

    ``contact_interval`` 0 means reactive: only when the client asks, so initiative
    decides and the shy are rarely seen (``buddy_reactive_ask_base_per_week`` plus
    ``buddy_reactive_ask_slope`` per unit of help-seeking: 5% to 55% a week by default).
    Proactive buddies also meet a client matched inside at the gate on release day.
    """
    seed, week, _ = clock
    buddy_status = people.buddy_status
    phase = people.phase
    buddy = people.buddy
    buddy_since = people.buddy_since
    release_week = people.release_week
    help_seeking = people.help_seeking
    match_quality = people.match_quality
    clients = buddies.clients
    strain = buddies.strain
    key = stream_key(seed, week, _ASK)
    due = int_list()
    for i in range(buddy_status.shape[0]):
        if buddy_status[i] != MATCHED:
            continue
        if par.contact_interval == 0:
            asks = (
                par.buddy_reactive_ask_base_per_week
                + par.buddy_reactive_ask_slope * help_seeking[i]
            )
            if phase[i] == RELEASED and unit(key, i) < asks:
                due.append(i)
        elif (week - buddy_since[i]) % par.contact_interval == 0 or release_week[i] == week:
            due.append(i)
    n = len(due)
    relief, trust, keep = np.empty(n), np.empty(n), np.empty(n)
    for j in range(n):
        i = due[j]
        share = time_share(clients[buddy[i]], par.buddy_hours_per_week, par.buddy_hours_per_client)
        effect = match_quality[i] * share
        relief[j] = par.buddy_relief * effect
        trust[j] = par.buddy_trust_gain * effect
        missed = par.strain_missed_contact_share * min(strain[buddy[i]], 1.0)
        keep[j] = par.contact_kept_probability * (1 - missed)
    return np.array(due, dtype=np.int64), relief, trust, keep


class SupportedPeople(NamedTuple):
    """The population columns a kept buddy contact reads and changes."""

    buddy: np.ndarray
    buddy_support: np.ndarray
    match_quality: np.ndarray
    typology: np.ndarray
    phase: np.ndarray
    relapse: np.ndarray
    ties_criminogenic: np.ndarray
    stress: np.ndarray
    domains: Domains


class AfterContactParams(NamedTuple):
    """A kept buddy contact, by the parameter table's names; plus ``substitution``, the
    strain multiplier while professionals are overloaded."""

    debt_problem_threshold: float
    buddy_hours_per_week: float
    buddy_hours_per_client: float
    buddy_strain_per_contact: float
    demanding_strain_extra: float
    complexity_strain_weight: float
    substitution: float
    buddy_signal_probability: float
    signal_criminogenic_threshold: float
    signal_stress_threshold: float


@njit(cache=True)
def _after_contact(ids, clock, people, buddies, par):
    """A kept contact supports the client and strains the buddy, more for demanding and
    complex clients and when buddies fill in for overloaded professionals. A buddy
    signals a risky situation (relapse, or criminogenic ties or stress above their
    thresholds: an assumption) to the professional. Returns the people signalled."""
    seed, week, _ = clock
    has_id, housing, income, debt, debt_managed, addiction, mental_health, care_met = people.domains
    buddy = people.buddy
    buddy_support = people.buddy_support
    match_quality = people.match_quality
    typology = people.typology
    phase = people.phase
    relapse = people.relapse
    ties_criminogenic = people.ties_criminogenic
    stress = people.stress
    clients = buddies.clients
    strain = buddies.strain
    key = stream_key(seed, week, _SIGNAL)
    signals = int_list()
    for i in ids:
        share = time_share(clients[buddy[i]], par.buddy_hours_per_week, par.buddy_hours_per_client)
        buddy_support[i] += match_quality[i] * share
        person = Domains(
            has_id[i], housing[i], income[i], debt[i], debt_managed[i], addiction[i],
            mental_health[i], care_met[i],
        )  # fmt: skip
        lacks = missing(person, par.debt_problem_threshold)
        demand = (
            (1 + par.demanding_strain_extra * (typology[i] == DEMANDING))
            * (1 + par.complexity_strain_weight * lacks / N_CONDITIONS)
            * par.substitution
        )
        strain[buddy[i]] += par.buddy_strain_per_contact * demand
        at_risk = (
            relapse[i]
            or ties_criminogenic[i] > par.signal_criminogenic_threshold
            or stress[i] > par.signal_stress_threshold
        )
        if phase[i] == RELEASED and at_risk and unit(key, i) < par.buddy_signal_probability:
            signals.append(i)
    return np.array(signals, dtype=np.int64)
