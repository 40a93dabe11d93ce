"""Experiment design files for ``reentry sweep``, ``sensitivity`` and ``calibrate``.

A design file is TOML::

    description = "Caseload against contact interval"
    scenario = "buddy_antwerp"   # start from this scenario (default: baseline)
    mode = "flow"                 # run settings (defaults shown in docs/researchers.md)
    persons = 1000
    weeks = 156
    warmup = 520                  # flow mode (default shown); a cohort has none
    replications = 3
    seed = 1
    samples = 64                  # Latin hypercube points (sweep); N (sensitivity)
    outputs = ["reconviction_2y", "stable_6m"]

    [grid]                        # sweep: every combination of these values
    buddy_caseload = [1, 2, 3]
    buddy_contact_interval = [1, 2, 4, "reactive"]

    [ranges]                      # sweep (Latin hypercube) or sensitivity: [low, high]
    success_buddy = [0.6, 0.9]
    buddy_caseload = [1, 3]       # integer parameters are rounded

Every key is checked for its type, every name against the parameters and every
value against its allowed range before any run starts; each problem is one
line naming the key and what is allowed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from model.limits import MAX_PERSONS, MAX_SEED, MAX_WEEKS, MODES, warmup_weeks
from model.parameters import ParameterError, Parameters
from scenarios.loader import ScenarioError, did_you_mean, load, read_toml, text_field

from .runner import Task

KEYS = (
    "description",
    "scenario",
    "mode",
    "persons",
    "weeks",
    "warmup",
    "replications",
    "seed",
    "samples",
    "grid",
    "ranges",
    "outputs",
    "status_quo",
)
DEFAULT_OUTPUTS = ["reconviction_2y", "redetention_2y", "stable_6m"]
COUNTS = {  # key: (default, lowest, highest)
    "persons": (1000, 1, MAX_PERSONS),
    "weeks": (156, 1, MAX_WEEKS),
    "replications": (3, 1, 10_000),
    "samples": (32, 1, 1_000_000),
    "seed": (1, 0, MAX_SEED),
}


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
    warmup: int
    replications: int
    seed: int
    samples: int
    grid: dict[str, list]
    ranges: dict[str, tuple[float, float]]
    outputs: list[str]
    status_quo: list[str]


def _int_params() -> set[str]:
    return {f.name for f in fields(Parameters) if f.type == "int"}


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _count(data: dict, key: str, where: str) -> int:
    default, lo, hi = COUNTS[key]
    value = data.get(key, default)
    if not (isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi):
        raise ScenarioError(
            f"{where}: {key} must be a whole number in [{lo}, {hi}] (got {value!r})"
        )
    return value


def _table(data: dict, key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}: {key} must be a table ([{key}] with name = values lines)")
    return value


def _grid(data: dict, where: str) -> dict[str, list]:
    grid = {}
    for name, values in _table(data, "grid", where).items():
        values = values if isinstance(values, list) else [values]
        if not values:
            raise ScenarioError(f"{where}: grid.{name} must list at least one value")
        grid[name] = values
    return grid


def _ranges(data: dict, where: str) -> dict[str, tuple[float, float]]:
    ranges = {}
    for name, bounds in _table(data, "ranges", where).items():
        if not (
            isinstance(bounds, list)
            and len(bounds) == 2
            and all(map(_is_number, bounds))
            and bounds[0] < bounds[1]
        ):
            raise ScenarioError(
                f"{where}: ranges.{name} must be [low, high], two numbers with low < high "
                f"(got {bounds!r})"
            )
        ranges[name] = (float(bounds[0]), float(bounds[1]))
    return ranges


def _outputs(data: dict, where: str) -> list[str]:
    outputs = data.get("outputs", DEFAULT_OUTPUTS)
    if not (isinstance(outputs, list) and outputs and all(isinstance(o, str) for o in outputs)):
        raise ScenarioError(
            f"{where}: outputs must be a list of outcome names in quotes (got {outputs!r})"
        )
    return outputs


def _status_quo(data: dict, ranges: dict, where: str) -> list[str]:
    """Levers whose status-quo level a calibration may infer (each must have a range)."""
    names = data.get("status_quo", [])
    if not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
        raise ScenarioError(f"{where}: status_quo must be a list of lever names in quotes")
    kinds = {f.name: f.metadata["kind"] for f in fields(Parameters)}
    for name in names:
        if kinds.get(name) != "lever" or name not in ranges:
            raise ScenarioError(
                f"{where}: status_quo.{name} must be a policy lever with a range in [ranges]"
            )
    return names


def read_design(path: str | Path) -> Design:
    """Read and validate a design file; every problem is a one-line ScenarioError."""
    path = Path(path)
    where = path.name
    data = read_toml(path, "design", KEYS, key="key")
    if not data:
        raise ScenarioError(f"{where} is empty: a design needs a [grid] or a [ranges] table")
    scenario = load(text_field(data, "scenario", "baseline", where))
    grid, ranges = _grid(data, where), _ranges(data, where)
    if not grid and not ranges:
        raise ScenarioError(f"{where}: nothing to vary; add a [grid] or a [ranges] table")
    mode = text_field(data, "mode", "flow", where)
    if mode not in MODES:
        raise ScenarioError(f"{where}: mode must be one of {', '.join(MODES)} (got {mode!r})")
    try:
        warmup = warmup_weeks(mode, data.get("warmup"))
    except ParameterError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    # every value a run could use must be valid: check grid values and range ends
    choices = {f.name for f in fields(Parameters) if f.metadata["allowed"][0] == "choice"}
    try:
        for name, values in grid.items():
            for value in values:
                Parameters.from_dict({name: value}, base=scenario.params)
        for name, (low, high) in ranges.items():
            if name in choices:
                raise ParameterError(f"ranges.{name}: {name} is a choice, so it goes in [grid]")
            for value in (low, high):
                v = round(value) if name in _int_params() else value
                Parameters.from_dict({name: v}, base=scenario.params)
    except ParameterError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    return Design(
        name=path.stem,
        description=text_field(data, "description", "", where),
        scenario=scenario.name,
        base=scenario.overrides,
        mode=mode,
        warmup=warmup,
        **{key: _count(data, key, where) for key in COUNTS},
        grid=grid,
        ranges=ranges,
        outputs=_outputs(data, where),
        status_quo=_status_quo(data, ranges, where),
    )


def check_outputs(design: Design, path: Path, recorded: list[str]) -> None:
    """Refuse outputs that runs do not record, before any run starts."""
    for name in design.outputs:
        if name not in recorded:
            numeric = [c for c in recorded if c not in ("run_id", "scenario", "mode")]
            raise ScenarioError(
                f"{path.name}: outputs: unknown outcome '{name}'{did_you_mean(name, numeric)} "
                "(the columns of runs.parquet; see docs/researchers.md)"
            )


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


def _labels(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The swept values as stored in the ``param_*`` columns.

    A parameter whose values mix numbers and words (contact every 1, 2 or 4 weeks, or
    "reactive") is stored as text, so that its column has one type.
    """
    names = points[0] if points else {}
    mixed = {n for n in names if len({isinstance(p[n], str) for p in points}) > 1}
    return [{k: (str(v) if k in mixed else v) for k, v in p.items()} for p in points]


def tasks_for(design: Design, points: list[dict[str, Any]]) -> list[Task]:
    """Replication r of every point gets seed + r: common random numbers across points."""
    labels = _labels(points)
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
            warmup=design.warmup,
            point=i,
            tags=labels[i],
        )
        for i, point in enumerate(points)
        for r in range(design.replications)
    ]
