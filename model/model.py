"""``ReentryModel``: people through detention, release and life after it."""

from __future__ import annotations

import time
from typing import Any

import mesa
import numpy as np
import pandas as pd

from agents import Person

from .buddy_programme import BuddyProgramme
from .community import KEY_SLOTS_PER_WEEK
from .events import ProcessLog
from .limits import check_memory, check_run, warmup_weeks
from .mechanisms import MEASURED, STATE
from .outcomes import ReleaseEvents, weekly_row
from .parameters import SERVICES, Parameters
from .population import (
    NO_WEEK,
    PHASES,
    TYPOLOGY,
    Population,
    draw_detention_length,
    sample_people,
)
from .population import Purpose as EntryPurpose
from .professionals import Professionals
from .rng import KeyedRNG
from .services import places_in_week
from .supervision import Supervision
from .support import Provider, Support
from .week import one_week


class ReentryModel(mesa.Model):
    """An agent-based model of the months around release from prison.

    One step is one week. People are :class:`agents.Person` agents whose state
    lives in the column store ``self.pop``; the weekly update is vectorised
    (see :mod:`model.week` for what happens in a week).

    Args:
        mode: ``"flow"``: people enter detention as a Poisson stream of
            ``persons / weeks`` a week, are released, may return, and leave the
            system when their reentry period ends, so stocks, queues and
            re-detention settle into a steady state. The run starts ``warmup``
            weeks before week 0 and is measured from week 0. ``"cohort"``:
            ``persons`` people released evenly over the first
            ``cohort_release_weeks`` weeks after a detention phase (at negative
            weeks), for following one group through detention and release.
        persons: Cohort size, or the expected number of entries over the measured
            weeks (the warm-up adds entries at the same rate).
        weeks: Weeks measured: from the first release (cohort) or after the warm-up.
        seed: Seed of every random draw (common random numbers).
        params: A :class:`model.parameters.Parameters`, or a dict of overrides.
        providers: Extra helpers (buddies, professionals) next to supervision.
        warmup: Flow mode: weeks simulated before week 0 and not measured
            (default :data:`model.limits.DEFAULT_WARMUP_WEEKS`).
    """

    def __init__(
        self,
        mode: str = "cohort",
        persons: int = 1000,
        weeks: int = 156,
        seed: int = 1,
        params: Parameters | dict[str, Any] | None = None,
        providers: list[Provider] | None = None,
        warmup: int | None = None,
    ) -> None:
        check_run(mode, persons, weeks, seed)
        warmup = warmup_weeks(mode, warmup)
        check_memory(mode, persons, weeks, warmup)
        super().__init__(rng=seed)
        self.p = params if isinstance(params, Parameters) else Parameters.from_dict(params or {})
        self.mode, self.persons, self.weeks, self.seed = mode, persons, weeks, seed
        self.warmup = warmup
        self.crn = KeyedRNG(seed)
        self.pop = Population(STATE)
        self.events = ProcessLog()
        self.releases = ReleaseEvents()
        self.weekly: list[dict[str, float]] = []
        self.counts: dict[str, int] = {}
        self.person_weeks = 0
        self._started = time.perf_counter()

        # Everyone who will ever enter is created up front, waiting in the pre-entry
        # phase until their entry week: cheaper than adding people week by week, and
        # the same people (ids, traits, draws) either way.
        p = self.p
        if mode == "cohort":
            # released evenly over the first weeks, into services sized for that stream
            releases_per_week = persons / p.cohort_release_weeks
            ids = self._add_people(persons)
            u = self.crn.uniform(ids, 0, EntryPurpose.COHORT_RELEASE)
            release = np.floor(u * p.cohort_release_weeks).astype(np.int32)
            lengths, groups = draw_detention_length(ids, 0, p, self.crn)
            self._schedule_entry(ids, release - lengths, lengths, groups)
            self.start_week = int((release - lengths).min())
        else:
            # entries from the start of the warm-up, at the rate of the measured weeks
            rate = persons / weeks
            releases_per_week = rate * p.flow_releases_per_entry
            counts = self.crn.poisson(rate, -warmup, warmup + weeks, EntryPurpose.ARRIVALS)
            everyone = self._add_people(int(counts.sum()))
            entry = np.repeat(np.arange(-warmup, weeks), counts)
            lengths, groups = draw_detention_length(everyone, entry, p, self.crn)
            self._schedule_entry(everyone, entry, lengths, groups)
            self.start_week = -warmup
        self.end_week = weeks
        self.releases_per_week = releases_per_week
        self.service_rate = np.array(
            [getattr(self.p, f"capacity_{s}") / 100 * releases_per_week for s in SERVICES]
        )
        self.advance_rate = p.benefit_advance_places / 100 * releases_per_week
        self.week = self.start_week
        self.professionals = Professionals(self)
        self.buddies = BuddyProgramme(self)
        self.support = Support(
            [Supervision(), self.professionals, self.buddies, *(providers or [])]
        )
        if len(self.support.providers) > KEY_SLOTS_PER_WEEK:  # checked once, not each week
            raise ValueError(f"at most {KEY_SLOTS_PER_WEEK} providers keep contacts")
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "released": lambda m: m.weekly[-1]["released"] if m.weekly else 0,
                "detained": lambda m: m.weekly[-1]["detained"] if m.weekly else 0,
                "stable": lambda m: m.weekly[-1]["share_stable"] if m.weekly else np.nan,
            }
        )

    # ------------------------------------------------------------------ people
    def _add_people(self, k: int) -> np.ndarray:
        ids = self.pop.add(k)
        sample_people(self.pop, ids, self.p, self.crn)
        Person.create_agents(self, k, ids)
        return ids

    def _schedule_entry(self, ids, entry_week, lengths, groups) -> None:
        """People ``ids`` enter detention at ``entry_week`` for ``lengths`` weeks."""
        self.pop.entry_week[ids] = entry_week
        self.pop.release_week[ids] = entry_week + lengths
        self.pop.length_group[ids] = groups

    # ------------------------------------------------------------------ time
    def step(self) -> None:
        """One week."""
        if self.week == 0 and self.warmup:
            self._start_measuring()
        one_week(self)
        self.datacollector.collect(self)
        self.week += 1
        self.running = self.week < self.end_week

    def run(self) -> ReentryModel:
        """Run to the end of the horizon."""
        while self.running:
            self.step()
        return self

    def _start_measuring(self) -> None:
        """The warm-up is over: counters start again, so outcomes describe the steady state.

        The weekly table keeps the warm-up's rows (weeks below 0) to show how the
        system settled; summaries leave them out, and release events before week 0.
        """
        for name in MEASURED:
            getattr(self.pop, name)[:] = 0
        self.events = ProcessLog()
        self.support.start_measuring()
        self.person_weeks = 0

    def advances_in_week(self) -> int:
        """Benefit advances the scheme offers this week (spread like service places)."""
        return places_in_week(self.advance_rate, self.week - self.start_week)

    def record_week(self) -> None:
        self.releases.snapshot(self)
        row = weekly_row(self)
        self.weekly.append(row)
        self.person_weeks += row["detained"] + row["released"]

    # ------------------------------------------------------------------ results
    @property
    def seconds(self) -> float:
        return time.perf_counter() - self._started

    def weekly_table(self) -> pd.DataFrame:
        return pd.DataFrame(self.weekly)

    def release_table(self) -> pd.DataFrame:
        return self.releases.table(last_week=self.week)

    def process_table(self) -> pd.DataFrame:
        df = self.events.table()
        df["typology"] = pd.Categorical.from_codes(
            self.pop.typology[df["person"].to_numpy()], TYPOLOGY
        )
        return df

    def person_table(self) -> pd.DataFrame:
        """One row per person: phase, traits, help received and weeks of known and hidden
        need (counted from week 0 in flow mode, after the warm-up)."""
        pop = self.pop
        return pd.DataFrame(
            {
                "person": pop.ids,
                "phase": pd.Categorical.from_codes(pop.phase, PHASES),
                "left_week": pd.Series(pop.left_week)
                .where(pop.left_week != NO_WEEK)
                .astype("Int32"),
                "typology": pd.Categorical.from_codes(pop.typology, TYPOLOGY),
                "self_reliance": pop.self_reliance,
                "help_seeking": pop.help_seeking,
                "detentions": pop.detentions,
                "need_weeks": pop.need_weeks,
                "hidden_need_weeks": pop.hidden_need_weeks,
                "client_need_weeks": pop.client_need_weeks,
                "client_hidden_need_weeks": pop.client_hidden_need_weeks,
                "buddy_support": pop.buddy_support,
                "buddy_ever": pop.buddy_ever,
                "pro_ever": pop.pro_ever,
            }
        )
