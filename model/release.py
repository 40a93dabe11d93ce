"""The day of release: problems frozen inside surface all at once (Leiden2024 §4.2).

Whatever CAW trajectory support arranged inside takes effect (ID, benefit, a
shelter place); the benefit advance lever bridges the 8-12 week benefit delay
(Leiden2024 §6.2.3); hope is high on the day (Leiden2024 §5.3.1). Helpers act on the
day through their ``on_release`` hook (:mod:`model.support`): probation starts for about
one release in five, and a buddy matched inside has arranged ID and the benefit claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .declare import choice, param
from .detention import end_prison_services
from .population import BENEFIT, NO_HOUSING, NO_INCOME, RELEASED, SHELTER
from .services import start_benefit

if TYPE_CHECKING:
    from .model import ReentryModel


@dataclass(frozen=True)
class ReleaseParameters:
    """The day of release and the benefit advance."""

    release_motivation_boost: float = param(
        0.25,
        "motivation",
        (0.0, 1.0),
        "Leiden2024 §5.3.1 (hope high at release); size assumption (range 0.1-0.4)",
        "Motivation gained on the day of release (then fragile).",
    )

    benefit_advance: bool = param(
        False,
        "on/off",
        choice(True, False),
        "Leiden2024 §6.2.3",
        "An advance on the benefit at release bridges the 8-12 week delay.",
        "lever",
    )

    benefit_advance_places: float = param(
        100.0,
        "advances per week per 100 releases per week",
        (0.0, 1000.0),
        "a policy choice (assumption): at 100, one for every release, more than the people "
        "released without income need; a funded scheme may offer fewer",
        "With benefit_advance on, the advances a week at release, relative to the release "
        "flow; people released without income beyond them wait for their benefit.",
        "lever",
    )


def release(m: ReentryModel, ids: np.ndarray) -> None:
    """Release the people ``ids`` this week."""
    if len(ids) == 0:
        return
    pop, p = m.pop, m.p
    end_prison_services(m, ids)

    prepared = ids[pop.prepared[ids]]
    pop.has_id[prepared] = True
    homeless = prepared[pop.housing[prepared] == NO_HOUSING]
    pop.housing[homeless] = SHELTER
    pop.address[homeless] = True
    no_income = ids[pop.income[ids] == NO_INCOME]
    # CAW lodged the benefit claim inside, so it pays from release; others must apply
    pop.income[no_income[pop.prepared[no_income]]] = BENEFIT
    if p.benefit_advance:
        # as many as the scheme funds this week; the others apply for their benefit later
        advanced = no_income[~pop.prepared[no_income]][: m.advances_in_week()]
        start_benefit(m, advanced, advance=True)
        m.counts["advances"] = len(advanced)

    # helpers act on the day: supervision starts, a buddy matched inside has arranged things
    m.support.on_release(m, ids)

    pop.phase[ids] = RELEASED
    pop.motivation[ids] = np.minimum(pop.motivation[ids] + p.release_motivation_boost, 1.0)
    surfaced = p.stress_per_missing_domain * pop.missing_count(p, ids)
    pop.stress[ids] = np.maximum(pop.stress[ids], np.minimum(surfaced, 1.0))
    m.releases.new(m, ids)
