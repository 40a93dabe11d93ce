"""The person after detention, as a Mesa agent whose state lives in arrays.

A ``Person`` is a thin view onto one row of :class:`model.population.Population`:
reading ``person.housing`` reads the model's column, so Mesa tooling, agent
reporters and the dashboard see real agents while the weekly update stays
vectorised. There is no copy of the state to go stale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from model.model import ReentryModel

_VIEWED = (
    "phase",
    "regime",
    "self_reliance",
    "help_seeking",
    "trust",
    "motivation",
    "stress",
    "ties_prosocial",
    "ties_criminogenic",
    "has_id",
    "address",
    "housing",
    "income",
    "debt",
    "debt_managed",
    "care_met",
    "relapse",
    "typology",
    "detentions",
)


class Person(mesa.Agent):
    """A person entering detention and, later, leaving it.

    Args:
        model: The model.
        row: This person's row in ``model.pop`` (also their CRN person id).
    """

    model: ReentryModel

    def __init__(self, model: ReentryModel, row: int) -> None:
        super().__init__(model)
        self.row = int(row)

    def state(self) -> dict[str, object]:
        """This person's current state as plain values."""
        return {name: getattr(self, name) for name in _VIEWED}


def _view(name: str) -> property:
    def get(self: Person) -> object:
        return getattr(self.model.pop, name)[self.row].item()

    get.__doc__ = f"``{name}`` of this person (a view onto the population array)."
    return property(get)


for _name in _VIEWED:
    setattr(Person, _name, _view(_name))
