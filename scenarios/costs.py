"""The unit-cost table (``funding/costs.toml`` here, or a user's copy) and its validation.

Every item carries a value, a unit, a price year, a source (a publication, or
``assumption``) and a low-high range. The Monte Carlo of ``reentry funding``
draws each item from a triangular distribution on its range, peaked at its
value. Every failure is a one-line :class:`ScenarioError`.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.parameters import SERVICES

from .loader import HERE, ScenarioError, did_you_mean, read_toml, text_field

DEFAULT_COSTS = HERE / "funding" / "costs.toml"
ITEMS: tuple[str, ...] = (
    "professional_fte",
    "volunteers_per_coordinator",
    "volunteer_expenses",
    "volunteer_recruitment_training",
    *(f"{kind}_{s}" for s in SERVICES for kind in ("place_week", "admission_weeks")),
    "advance_administration",
    "advance_amount",
    "advance_unrecovered_share",
    "detention_day_average",
    "detention_day_marginal",
    "supervision_week",
    "police_per_contact",
    "court_per_contact",
    "victim_cost_per_offence",
    "benefit_month",
)
"""Every item a cost table must give, in the order ``reentry costs`` lists them."""
FIELDS = ("value", "unit", "year", "source", "low", "high")
RATIOS = ("volunteers_per_coordinator", *(f"admission_weeks_{s}" for s in SERVICES))
"""Items that divide or multiply a cost, so zero is not a valid value."""


@dataclass(frozen=True)
class CostItem:
    """One unit cost with its unit, price year, source and range."""

    name: str
    value: float
    unit: str
    year: int
    source: str
    low: float
    high: float

    @property
    def assumption(self) -> bool:
        return self.source.lower().startswith("assumption")


@dataclass(frozen=True)
class CostTable:
    """A validated cost table: ``table.value("professional_fte")``, or draws from it."""

    path: Path
    description: str
    items: dict[str, CostItem]

    def values(self) -> dict[str, float]:
        """Every item at its value (the best estimate)."""
        return {name: item.value for name, item in self.items.items()}

    def draw(self, rng: np.random.Generator) -> dict[str, float]:
        """One Monte Carlo draw: each item from a triangular distribution on its range."""
        out = {}
        for name, item in self.items.items():
            if item.low == item.high:
                out[name] = item.value
            else:
                out[name] = float(rng.triangular(item.low, item.value, item.high))
        return out


def _number(data: dict, field: str, where: str) -> float:
    value = data.get(field)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScenarioError(f"{where}: {field} must be a number (got {value!r})")
    if value < 0:
        raise ScenarioError(f"{where}: {field} must not be negative (got {value!r})")
    return float(value)


def _item(name: str, data: object, where: str) -> CostItem:
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{where}: '{name}' must be a table ([{name}]) with {', '.join(FIELDS)}"
        )
    here = f"{where} [{name}]"
    for key in data:
        if key not in FIELDS:
            raise ScenarioError(
                f"{here}: unknown field '{key}'{did_you_mean(key, FIELDS)} "
                f"(allowed: {', '.join(FIELDS)})"
            )
    missing = [f for f in FIELDS if f not in data]
    if missing:
        raise ScenarioError(
            f"{here}: missing {', '.join(missing)} (each item needs {', '.join(FIELDS)})"
        )
    value, low, high = (_number(data, f, here) for f in ("value", "low", "high"))
    year = data["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 1950 <= year <= 2100:
        raise ScenarioError(f"{here}: year must be a whole year in [1950, 2100] (got {year!r})")
    unit, source = (text_field(data, f, "", here) for f in ("unit", "source"))
    if not source.strip():
        raise ScenarioError(f"{here}: source must name a publication or say 'assumption'")
    if low > high:
        raise ScenarioError(f"{here}: the range is reversed: low {low:g} > high {high:g}")
    if not low <= value <= high:
        raise ScenarioError(f"{here}: value {value:g} is outside its range [{low:g}, {high:g}]")
    if name in RATIOS and low == 0:
        raise ScenarioError(f"{here}: low must be above 0 (a ratio); got {low:g}")
    return CostItem(name, value, unit, year, source, low, high)


def load_costs(path: str | Path | None = None) -> CostTable:
    """Read and validate a cost table (the shipped one by default)."""
    path = Path(path) if path is not None else DEFAULT_COSTS
    if not path.is_file():
        raise ScenarioError(f"cost file not found: {path}")
    data = read_toml(path, "cost", ("description", *ITEMS), key="cost item")
    description = text_field(data, "description", "", path.name)
    missing = [name for name in ITEMS if name not in data]
    if missing:
        raise ScenarioError(f"{path.name}: missing cost items: {', '.join(missing)}")
    items = {name: _item(name, data[name], path.name) for name in ITEMS}
    if items["detention_day_marginal"].high > items["detention_day_average"].low:
        raise ScenarioError(
            f"{path.name}: detention_day_marginal must stay below detention_day_average over "
            "both ranges (a day fewer saves less than the average day costs); got high "
            f"{items['detention_day_marginal'].high:g} > low {items['detention_day_average'].low:g}"
        )
    return CostTable(path, description, items)


def format_costs(table: CostTable) -> str:
    """The table as text for ``reentry costs``: value, range, unit, year and source."""
    lines = [f"Unit costs from {table.path}", table.description, ""]
    width = max(map(len, table.items))
    for item in table.items.values():
        mark = " (assumption)" if item.assumption else ""
        lines.append(
            f"{item.name:<{width}}  {item.value:>10,.6g}  [{item.low:,.6g} to {item.high:,.6g}]  "
            f"{item.unit}, {item.year}{mark}"
        )
        lines.append(
            textwrap.fill(
                f"source: {item.source}", 96, initial_indent=" " * 4, subsequent_indent=" " * 12
            )
        )
    n = sum(item.assumption for item in table.items.values())
    lines.append(
        f"\n{n} of {len(table.items)} items are assumptions: replace them with local figures."
    )
    return "\n".join(lines)
