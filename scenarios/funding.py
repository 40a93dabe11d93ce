"""From euros to levers: what a yearly budget buys, and the option files that split it.

Each fundable lever has a cost function: the euros a year that one unit of it costs
(a buddy in the pool, a professional FTE, an intake place a week of a service, a
benefit advance), from the unit-cost table. A budget buys ``budget / cost`` units,
and ``units * cost`` euros buy them back. Units are absolute, for an area with a given
number of releases a year; :meth:`Lever.overrides` turns them into the model's
parameters, which are relative to the release flow.

An option file names ways to spend one budget::

    [options.buddies]
    description = "A buddy programme, as in Antwerp"
    allocation = { buddies = 1.0 }           # shares of the budget, summing to 1
    [options.buddies.parameters]              # how the money is spent (optional)
    buddy_start = "inside"

Levers add to what the baseline and the option's parameters give. With a zero budget
an option changes nothing, its parameters included, so it is the baseline exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model.parameters import SERVICES, ParameterError, Parameters

from .loader import HERE, ScenarioError, did_you_mean, read_toml, text_field

DEFAULT_OPTIONS = HERE / "funding" / "options.toml"
WEEKS_PER_YEAR = 52
RESERVED = ("baseline",)
"""Names an option may not take: the no-extra-budget reference is called baseline."""


@dataclass(frozen=True)
class Lever:
    """A fundable lever: its unit, its cost per unit-year and its effect on the parameters.

    Attributes:
        name: Name in option files.
        unit: What the units are, for people ("buddies in the pool").
        one: One unit ("a buddy in the pool").
        doc: How the cost is made up.
        unit_cost: Euros a year for one unit, from the unit costs and the parameters.
        apply: ``(units, releases_per_year, params, base) -> overrides``: the parameter
            values with ``units`` more of the lever than ``params`` have, for an area of
            ``releases_per_year``; ``base`` is the baseline, before the option's parameters.
    """

    name: str
    unit: str
    one: str
    doc: str
    unit_cost: Callable[[dict[str, float], Parameters], float]
    apply: Callable[[float, float, Parameters, Parameters], dict[str, Any]]

    def units(self, budget: float, costs: dict[str, float], params: Parameters) -> float:
        """Units a yearly budget buys."""
        return budget / self.unit_cost(costs, params)

    def budget(self, units: float, costs: dict[str, float], params: Parameters) -> float:
        """Euros a year that buy ``units`` (the inverse of :meth:`units`)."""
        return units * self.unit_cost(costs, params)


def buddy_replacement_per_year(p: Parameters) -> float:
    """New buddies a year per buddy in the pool, to replace those who leave (turnover)."""
    return 1 - (1 - p.buddy_turnover_per_week) ** WEEKS_PER_YEAR


def _buddy_cost(c: dict[str, float], p: Parameters) -> float:
    return (
        c["professional_fte"] / c["volunteers_per_coordinator"]
        + c["volunteer_expenses"]
        + c["volunteer_recruitment_training"] * buddy_replacement_per_year(p)
    )


def _buddies(units: float, releases: float, p: Parameters, base: Parameters) -> dict[str, Any]:
    per_1000 = units / (releases / 1000)
    pool, recruits = "buddies_per_1000_releases", "buddy_recruitment_per_1000_releases"
    # a programme the baseline does not run has no pool yet, whatever its size defaults say
    start = {k: getattr(p, k) if base.buddy_start != "none" else 0.0 for k in (pool, recruits)}
    return {
        pool: start[pool] + per_1000,
        recruits: start[recruits] + per_1000 * buddy_replacement_per_year(p),
    }


def _professionals(units: float, releases: float, p: Parameters, _: Parameters) -> dict[str, Any]:
    per_1000 = units / (releases / 1000)
    return {"professionals_per_1000_releases": p.professionals_per_1000_releases + per_1000}


def _advance_cost(c: dict[str, float], _: Parameters) -> float:
    return c["advance_administration"] + c["advance_unrecovered_share"] * c["advance_amount"]


def _advances(units: float, releases: float, p: Parameters, _: Parameters) -> dict[str, Any]:
    # advances a year per release a year = advances a week per release a week
    already = p.benefit_advance_places if p.benefit_advance else 0.0
    return {"benefit_advance": True, "benefit_advance_places": already + 100 * units / releases}


def _place_cost(service: str) -> Callable[[dict[str, float], Parameters], float]:
    def cost(c: dict[str, float], _: Parameters) -> float:
        return WEEKS_PER_YEAR * c[f"place_week_{service}"] * c[f"admission_weeks_{service}"]

    return cost


def _places(service: str) -> Callable[[float, float, Parameters], dict[str, Any]]:
    def apply(units: float, releases: float, p: Parameters, _: Parameters) -> dict[str, Any]:
        name = f"capacity_{service}"
        return {name: getattr(p, name) + 100 * units / (releases / WEEKS_PER_YEAR)}

    return apply


LEVERS: dict[str, Lever] = {
    lever.name: lever
    for lever in (
        Lever(
            "buddies",
            "buddies in the pool",
            "a buddy in the pool",
            "a coordinator's share (professional_fte / volunteers_per_coordinator), the "
            "buddy's expenses, and recruiting and training the buddies who replace those "
            "who leave (buddy_turnover_per_week)",
            _buddy_cost,
            _buddies,
        ),
        Lever(
            "professionals",
            "professional FTE",
            "a professional FTE",
            "professional_fte",
            lambda c, _: c["professional_fte"],
            _professionals,
        ),
        *(
            Lever(
                f"{s}_places",
                f"{s.replace('_', ' ')} intake places a week",
                f"an intake place a week of {s.replace('_', ' ')}",
                f"52 admissions a year, each holding a place for admission_weeks_{s} at "
                f"place_week_{s}",
                _place_cost(s),
                _places(s),
            )
            for s in SERVICES
        ),
        Lever(
            "benefit_advance",
            "benefit advances a year",
            "one benefit advance a year",
            "advance_administration plus the share never recovered "
            "(advance_unrecovered_share x advance_amount); the amount itself is a benefit "
            "due anyway",
            _advance_cost,
            _advances,
        ),
    )
}


@dataclass(frozen=True)
class Option:
    """One way to spend the budget: shares per lever and the parameters that go with it."""

    name: str
    description: str
    allocation: dict[str, float]
    parameters: dict[str, Any]

    def spending(self, budget: float) -> dict[str, float]:
        """Euros a year per lever."""
        return {lever: share * budget for lever, share in self.allocation.items()}

    def units(self, budget: float, costs: dict[str, float], base: Parameters) -> dict[str, float]:
        """Units of each lever the budget buys (costs that depend on parameters use ``base``)."""
        params = self.with_parameters(base)
        return {
            lever: LEVERS[lever].units(euros, costs, params)
            for lever, euros in self.spending(budget).items()
        }

    def with_parameters(self, base: Parameters) -> Parameters:
        return Parameters.from_dict(self.parameters, base=base) if self.parameters else base

    def overrides(
        self, budget: float, costs: dict[str, float], base: Parameters, releases: float
    ) -> dict[str, Any]:
        """Parameter overrides on ``base`` for this option at ``budget`` euros a year.

        Nothing changes at a zero budget: the option is then the baseline exactly.
        """
        if budget == 0:
            return {}
        params = self.with_parameters(base)
        out = dict(self.parameters)
        for lever, units in self.units(budget, costs, base).items():
            change = LEVERS[lever].apply(units, releases, params, base)
            params = Parameters.from_dict(change, base=params)
            out.update(change)
        return out


def _share(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ScenarioError(f"{where} must be a share in [0, 1] (got {value!r})")
    return float(value)


def _option(name: str, data: object, path: Path, base: Parameters) -> Option:
    where = f"{path.name} [options.{name}]"
    allowed = ("description", "allocation", "parameters")
    if not isinstance(data, dict):
        raise ScenarioError(f"{where} must be a table with {', '.join(allowed)}")
    if name in RESERVED:
        raise ScenarioError(f"{where}: '{name}' names the reference run; call the option otherwise")
    for key in data:
        if key not in allowed:
            raise ScenarioError(
                f"{where}: unknown key '{key}'{did_you_mean(key, allowed)} "
                f"(allowed: {', '.join(allowed)})"
            )
    allocation = data.get("allocation")
    if not isinstance(allocation, dict) or not allocation:
        raise ScenarioError(
            f"{where}: allocation must name the levers and their shares of the budget, e.g. "
            f"allocation = {{ buddies = 1.0 }} (levers: {', '.join(LEVERS)})"
        )
    for lever in allocation:
        if lever not in LEVERS:
            raise ScenarioError(
                f"{where}: unknown lever '{lever}'{did_you_mean(lever, LEVERS)} "
                f"(levers: {', '.join(LEVERS)})"
            )
    shares = {lever: _share(v, f"{where}: allocation.{lever}") for lever, v in allocation.items()}
    if not math.isclose(sum(shares.values()), 1.0, abs_tol=1e-9):
        raise ScenarioError(
            f"{where}: the allocation's shares must sum to 1 (got {sum(shares.values()):g})"
        )
    parameters = data.get("parameters", {})
    if not isinstance(parameters, dict):
        raise ScenarioError(f"{where}: parameters must be a table ([options.{name}.parameters])")
    try:
        params = Parameters.from_dict(parameters, base=base)
    except ParameterError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    if "buddies" in shares and params.buddy_start == "none":
        raise ScenarioError(
            f"{where}: funds buddies, but buddy_start is 'none'; set buddy_start = \"inside\" "
            f'or "at_release" in [options.{name}.parameters]'
        )
    description = text_field(data, "description", "", where)
    return Option(name, description, shares, dict(parameters))


def load_options(path: str | Path | None, base: Parameters) -> list[Option]:
    """Read and validate an option file (the shipped one by default) against a baseline."""
    path = Path(path) if path is not None else DEFAULT_OPTIONS
    if not path.is_file():
        raise ScenarioError(f"option file not found: {path}")
    data = read_toml(path, "option", ("description", "options"))
    text_field(data, "description", "", path.name)
    options = data.get("options")
    if not isinstance(options, dict) or not options:
        raise ScenarioError(
            f"{path.name}: no options; add at least one [options.NAME] table with an allocation"
        )
    return [_option(name, body, path, base) for name, body in options.items()]
