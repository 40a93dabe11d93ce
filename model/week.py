"""What happens to a person in one week, in the order it happens.

1. **Entering detention.** People enter at their entry week: in flow mode a
   Poisson stream; in cohort mode timed so that everyone leaves at week 0.
2. **Inside.** Good or bad behaviour moves people between the basic and plus
   regime; detention damage accrues (worse on the basic regime); people ask for
   in-prison services, wait, and may be cut off by an early stop or by release.
3. **Release day.** Frozen problems surface; prepared help takes effect;
   supervision may start.
4. **Outside.**
   a. Helpers update who has whom: probation; professionals take cases; the
      buddy programme ends trajectories, recruits and loses buddies, takes in
      referrals and matches people to buddies. A pending benefit may pay out.
      Contacts (inside too, for a buddy who starts before release) calm stress
      and build trust; outside they discover needs and refer people to the next
      step they can actually take.
   b. People ask for help themselves (more often when capable, trusting and
      not stressed).
   c. Services work through their waiting lists: some people give up, places
      are filled, decisions are made.
   d. Life happens: evictions, family places ending, jobs lost and found,
      relapses.
   e. Stress, motivation, trust and ties adjust, with memory.
   f. Some people offend; some offences lead to justice contact, some of those
      to re-detention, and the person goes back to step 2.
   g. Some leave the system for good: their reentry period is over, or they die
      or move away. Everyone in the system is a week older.
5. **Recording.** A weekly row, and the state of release events at milestones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .community import (
    benefit_arrives,
    life_events,
    proactive_contacts,
    seek_help,
    update_states,
)
from .declare import WEEKS_PER_YEAR
from .detention import detention_week, enter_detention
from .leaving import leave
from .offending import offending
from .population import DETAINED, PRE_ENTRY, RELEASED
from .release import release
from .services import run_services

if TYPE_CHECKING:
    from .model import ReentryModel


def one_week(m: ReentryModel) -> None:
    """Advance every person by one week (see the module docstring)."""
    pop = m.pop
    m.counts = dict.fromkeys(
        (
            "arrivals",
            "releases",
            "advances",
            "offences",
            "justice_contacts",
            "redetentions",
            "exits",
        ),
        0,
    )

    # 1. entering detention
    entering = np.flatnonzero((pop.phase == PRE_ENTRY) & (pop.entry_week == m.week))
    m.counts["arrivals"] = len(entering)
    enter_detention(m, entering, pop.release_week[entering] - m.week, pop.length_group[entering])

    # 2. inside
    detention_week(m, np.flatnonzero(pop.phase == DETAINED))

    # 3. release day
    leaving = np.flatnonzero((pop.phase == DETAINED) & (pop.release_week <= m.week))
    release(m, leaving)
    m.counts["releases"] = len(leaving)

    # 4. outside
    out = np.flatnonzero(pop.phase == RELEASED)
    m.support.step(m)
    m.support.refresh(m)
    benefit_arrives(m, out)
    proactive_contacts(m)
    seek_help(m, out)
    run_services(m)
    life_events(m, out)
    update_states(m, out)
    offending(m, out)
    leave(m, np.flatnonzero(pop.phase == RELEASED))
    pop.age[(pop.phase == DETAINED) | (pop.phase == RELEASED)] += 1 / WEEKS_PER_YEAR  # a week older

    # 5. recording
    m.record_week()
