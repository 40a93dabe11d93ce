"""The volunteer buddy, as a Mesa agent whose state lives in the programme's arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from model.model import ReentryModel


class Buddy(mesa.Agent):
    """A volunteer with limited hours and a caseload cap (BrugBinnenBuiten2023 §5.1, p.121).

    Args:
        model: The model.
        index: This buddy's row in ``model.buddies`` (the programme's arrays).
    """

    model: ReentryModel

    def __init__(self, model: ReentryModel, index: int) -> None:
        super().__init__(model)
        self.index = int(index)

    @property
    def active(self) -> bool:
        """Still volunteering (not left through burnout or turnover)."""
        return bool(self.model.buddies.active[self.index])

    @property
    def strain(self) -> float:
        return float(self.model.buddies.strain[self.index])

    @property
    def clients(self) -> np.ndarray:
        """Rows of the people this buddy supports now."""
        return np.flatnonzero(self.model.pop.buddy == self.index)

    @property
    def tenure_weeks(self) -> int:
        b = self.model.buddies
        end = b.left[self.index] if not b.active[self.index] else self.model.week
        return int(end - b.joined[self.index])
