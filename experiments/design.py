"""Experiment design files for ``reentry sweep`` and ``reentry sensitivity``.

A design file is TOML::

    description = "Caseload against contact interval"
    scenario = "buddy_antwerp"   # start from this scenario (default: baseline)
    mode = "flow"                 # run settings (defaults shown in docs/researchers.md)
    persons = 1000
    weeks = 156
    replications = 3
    seed = 1

    [grid]                        # sweep: every combination of these values
    buddy_caseload = [1, 2, 3]
    buddy_contact_interval = [1, 2, 4, "reactive"]

    [ranges]                      # sweep (Latin hypercube) or sensitivity: [low, high]
    success_buddy = [0.6, 0.9]
    buddy_caseload = [1, 3]       # integer parameters are rounded

    samples = 64                  # Latin hypercube points (sweep); N (sensitivity)

Every name is checked against the parameters and every value against its
allowed range before any run starts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from model.parameters import ParameterError, Parameters
from model.rng import MAX_SEED
from scenarios.loader import ScenarioError, load, read_toml

from .runner import Task

KEYS = (
    "description",
    "scenario",
    "mode",
    "persons",
    "weeks",
    "replications",
    "seed",
    "samples",
    "grid",
    "ranges",
    "outputs",
)


@dataclass(frozen=True)
class Design:
    """A parsed, validated design file."""

    name: str
    description: str
    scenario: str
    base: dict[str, Any]
    mode: str
    persons: int
    weeks: int
    replications: int
    seed: int
    samples: int
    grid: dict[str, list]
    ranges: dict[str, tuple[float, float]]
    outputs: list[str]


def _int_params() -> set[str]:
    return {f.name for f in fields(Parameters) if f.type == "int"}


def read_design(path: str | Path) -> Design:
    """Read and validate a design file; every problem is a one-line ScenarioError."""
    path = Path(path)
    data = read_toml(path, "design", KEYS, key="key")
    scenario = load(data.get("scenario", "baseline"))
    grid = {k: list(v) if isinstance(v, list) else [v] for k, v in data.get("grid", {}).items()}
    ranges = {}
    for name, bounds in data.get("ranges", {}).items():
        if not (isinstance(bounds, list) and len(bounds) == 2 and bounds[0] < bounds[1]):
            raise ScenarioError(f"{path.name}: ranges.{name} must be [low, high] with low < high")
        ranges[name] = (float(bounds[0]), float(bounds[1]))
    # every value a run could use must be valid: check grid values and range ends
    try:
        for name, values in grid.items():
            for value in values:
                Parameters.from_dict({name: value}, base=scenario.params)
        for name, (low, high) in ranges.items():
            for value in (low, high):
                v = round(value) if name in _int_params() else value
                Parameters.from_dict({name: v}, base=scenario.params)
    except ParameterError as exc:
        raise ScenarioError(f"{path.name}: {exc}") from None
    design = Design(
        name=path.stem,
        description=data.get("description", ""),
        scenario=scenario.name,
        base=scenario.overrides,
        mode=data.get("mode", "flow"),
        persons=int(data.get("persons", 1000)),
        weeks=int(data.get("weeks", 156)),
        replications=int(data.get("replications", 3)),
        seed=int(data.get("seed", 1)),
        samples=int(data.get("samples", 32)),
        grid=grid,
        ranges=ranges,
        outputs=list(data.get("outputs", ["reconviction_2y", "redetention_2y", "stable_6m"])),
    )
    if design.mode not in ("cohort", "flow"):
        raise ScenarioError(f"{path.name}: mode must be one of cohort, flow (got {design.mode!r})")
    for name, value, low in (
        ("persons", design.persons, 1),
        ("weeks", design.weeks, 1),
        ("replications", design.replications, 1),
        ("samples", design.samples, 1),
        ("seed", design.seed, 0),
    ):
        if value < low:
            raise ScenarioError(f"{path.name}: {name} must be >= {low} (got {value})")
    if design.seed > MAX_SEED:
        raise ScenarioError(f"{path.name}: seed must be at most 2**62 (got {design.seed})")
    return design


def round_integers(points: list[dict[str, float]]) -> list[dict[str, Any]]:
    """Samplers give floats; integer parameters are rounded to the nearest whole number."""
    ints = _int_params()
    return [{k: (round(v) if k in ints else float(v)) for k, v in p.items()} for p in points]


def sweep_points(design: Design) -> list[dict[str, Any]]:
    """Grid: every combination. Ranges: a Latin hypercube of ``samples`` points, crossed with
    the grid when both are given."""
    grid = [
        dict(zip(design.grid, combo, strict=True))
        for combo in itertools.product(*design.grid.values())
    ] or [{}]
    if not design.ranges:
        return grid
    from scipy.stats import qmc  # a second to import: only designs with ranges need it

    names = list(design.ranges)
    unit = qmc.LatinHypercube(d=len(names), seed=design.seed).random(design.samples)
    lows = np.array([design.ranges[n][0] for n in names])
    highs = np.array([design.ranges[n][1] for n in names])
    lhs = round_integers(
        [dict(zip(names, row, strict=True)) for row in qmc.scale(unit, lows, highs)]
    )
    return [{**g, **s} for g in grid for s in lhs]


def tasks_for(design: Design, points: list[dict[str, Any]]) -> list[Task]:
    """Replication r of every point gets seed + r: common random numbers across points."""
    return [
        Task(
            run_id=f"p{i:05d}/r{r:03d}",
            scenario=design.scenario,
            params={**design.base, **point},
            replication=r,
            seed=design.seed + r,
            mode=design.mode,
            persons=design.persons,
            weeks=design.weeks,
            point=i,
            tags=point,
        )
        for i, point in enumerate(points)
        for r in range(design.replications)
    ]
