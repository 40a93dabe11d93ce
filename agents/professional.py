"""The professional (a generalist social worker), as a Mesa agent."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from model.model import ReentryModel


class Professional(mesa.Agent):
    """A social worker with a caseload who also coaches buddies (BrugBinnenBuiten2023 ch.4).

    Args:
        model: The model.
        index: This professional's number in ``model.professionals``.
    """

    model: ReentryModel

    def __init__(self, model: ReentryModel, index: int) -> None:
        super().__init__(model)
        self.index = int(index)

    @property
    def clients(self) -> np.ndarray:
        """Rows of the people this professional holds as cases now."""
        return np.flatnonzero(self.model.pop.professional == self.index)

    @property
    def load(self) -> float:
        """The whole team's load: 1 is full; above it contacts get rushed."""
        return float(self.model.professionals.load)
