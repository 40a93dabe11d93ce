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
    samples = 64                  # sweep: Latin hypercube points; sensitivity: N, giving
                                  # N(d+2) points (Sobol) or N trajectories, N(d+1) points
                                  # (Morris), for d parameters in [ranges]
    outputs = ["reconviction_2y", "stable_6m"]

    [grid]                        # sweep: every combination of these values
    buddy_caseload = [1, 2, 3]
    buddy_contact_interval = [1, 2, 4, "reactive"]

    [ranges]                      # sweep (Latin hypercube) or sensitivity
    success_buddy = [0.6, 0.9]    # uniform on [low, high]
    buddy_caseload = [1, 3]       # integer parameters are rounded
    success_alone = { dist = "triangular", low = 0.6, mode = 0.75, high = 0.9 }
    ask_base_per_week = { dist = "normal", mean = 0.5, sd = 0.1 }

A range is uniform (``[low, high]``, or ``{ dist = "uniform", low, high }``), triangular
(``low``, ``mode``, ``high``) or normal (``mean``, ``sd``), the normal truncated to the
parameter's allowed range (or to optional ``low``, ``high`` inside it) so that every
sample is a valid value. ``Design.ranges`` holds each range's support ``(low, high)``;
``Design.dists`` holds the full specification.

Every key is checked for its type, every name against the parameters and every
value against its allowed range before any run starts; each problem is one
line naming the key and what is allowed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, fields
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
    ranges: dict[str, tuple[float, float]]  # each range's support (low, high)
    outputs: list[str]
    status_quo: list[str]
    # name: {"dist": "uniform" | "triangular" | "normal", and its fields}; see RANGE_FORMS
    dists: dict[str, dict[str, Any]] = field(default_factory=dict)


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


RANGE_FORMS = (
    '[low, high] (uniform), { dist = "uniform", low = L, high = H }, '
    '{ dist = "triangular", low = L, mode = M, high = H } or '
    '{ dist = "normal", mean = M, sd = S } (truncated to the allowed range, or to optional '
    "low, high)"
)
_DIST_FIELDS = {  # dist: (required fields, optional fields)
    "uniform": (("low", "high"), ()),
    "triangular": (("low", "mode", "high"), ()),
    "normal": (("mean", "sd"), ("low", "high")),
}


def _allowed(name: str, where: str) -> tuple[float, float]:
    """A numeric parameter's allowed (low, high); unknown and choice parameters are refused."""
    allowed = {f.name: f.metadata["allowed"] for f in fields(Parameters)}
    if name not in allowed:
        try:
            Parameters.from_dict({name: 0})  # raises the unknown-name error with a suggestion
        except ParameterError as exc:
            raise ScenarioError(f"{where}: {exc}") from None
    if allowed[name][0] == "choice":
        raise ScenarioError(f"{where}: ranges.{name}: {name} is a choice, so it goes in [grid]")
    return float(allowed[name][0]), float(allowed[name][1])


def _dist(name: str, spec: Any, where: str) -> dict[str, Any]:
    """One [ranges] entry as {"dist": ..., "low": ..., "high": ..., and its own fields}.

    ``low`` and ``high`` are always the support: for a normal, its truncation (by default
    the parameter's allowed range, so that every sample is a valid value).
    """

    def bad(problem: str) -> ScenarioError:
        return ScenarioError(
            f"{where}: ranges.{name} must be {RANGE_FORMS}: {problem} (got {spec!r})"
        )

    if isinstance(spec, list):
        if not (len(spec) == 2 and all(map(_is_number, spec)) and spec[0] < spec[1]):
            raise bad("[low, high] takes two numbers with low < high")
        return {"dist": "uniform", "low": float(spec[0]), "high": float(spec[1])}
    if not isinstance(spec, dict):
        raise bad("a list or an inline table")
    dist = spec.get("dist")
    if dist not in _DIST_FIELDS:
        raise bad(f"unknown dist {dist!r}; use uniform, triangular or normal")
    required, optional = _DIST_FIELDS[dist]
    missing = [k for k in required if k not in spec]
    if missing:
        raise bad(f"{dist} needs {', '.join(missing)}")
    unknown = [k for k in spec if k not in ("dist", *required, *optional)]
    if unknown:
        raise bad(f"{dist} takes {', '.join(required + optional)}, not {unknown[0]}")
    if not all(_is_number(v) for k, v in spec.items() if k != "dist"):
        raise bad("every field but dist must be a number")
    values = {k: float(v) for k, v in spec.items() if k != "dist"}
    lo, hi = _allowed(name, where)
    rounded = name in _int_params()  # integer samples are rounded, so are the bounds checked
    outside = [
        f"{k} = {v:g}"
        for k, v in values.items()
        if k != "sd" and not lo <= (round(v) if rounded else v) <= hi
    ]
    if outside:
        raise bad(f"{', '.join(outside)} outside the allowed range [{lo:g}, {hi:g}] of {name}")
    low, high = values.get("low", lo), values.get("high", hi)
    if not low < high:
        raise bad("low must be below high")
    if dist == "triangular" and not low <= values["mode"] <= high:
        raise bad("mode must lie in [low, high]")
    if dist == "normal" and not values["sd"] > 0:
        raise bad("sd must be > 0")
    if dist == "normal" and not low <= values["mean"] <= high:
        raise bad("mean must lie in [low, high]")
    return {"dist": dist, **values, "low": low, "high": high}


def _ranges(
    data: dict, where: str
) -> tuple[dict[str, tuple[float, float]], dict[str, dict[str, Any]]]:
    """The [ranges] table as supports (low, high) and distribution specifications."""
    dists = {name: _dist(name, spec, where) for name, spec in _table(data, "ranges", where).items()}
    ranges = {name: (d["low"], d["high"]) for name, d in dists.items()}
    return ranges, dists


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
    grid, (ranges, dists) = _grid(data, where), _ranges(data, where)
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
                try:
                    Parameters.from_dict({name: v}, base=scenario.params)
                except ParameterError as exc:
                    if dists[name]["dist"] == "uniform":
                        raise  # the message of plain [low, high] ranges, as it always was
                    raise ParameterError(
                        f"ranges.{name}: {exc} at {v:g}, an end of its support "
                        f"[{low:g}, {high:g}]; give low, high inside which every value is valid"
                    ) from None
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
        dists=dists,
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
    values = qmc.scale(unit, lows, highs)  # uniform ranges, as always
    for j, name in enumerate(names):
        spec = design.dists.get(name, {"dist": "uniform"})
        if spec["dist"] != "uniform":  # the same stratified u, through the inverse CDF
            values[:, j] = from_unit(spec, unit[:, j])
    lhs = round_integers([dict(zip(names, row, strict=True)) for row in values])
    return [{**g, **s} for g in grid for s in lhs]


def from_unit(spec: dict[str, Any], u: np.ndarray) -> np.ndarray:
    """Map values in [0, 1] through the inverse CDF (scipy ``ppf``) of a [ranges] entry.

    A Latin hypercube stays one in the new distribution: each of its strata holds the same
    probability. The result is kept inside the support against rounding in ``ppf``.
    """
    from scipy import stats

    low, high = spec["low"], spec["high"]
    if spec["dist"] == "triangular":
        c = (spec["mode"] - low) / (high - low)
        values = stats.triang.ppf(u, c, loc=low, scale=high - low)
    elif spec["dist"] == "normal":
        mean, sd = spec["mean"], spec["sd"]
        values = stats.truncnorm.ppf(u, (low - mean) / sd, (high - mean) / sd, loc=mean, scale=sd)
    else:
        values = low + np.asarray(u, dtype=float) * (high - low)
    return np.clip(values, low, high)


def salib_problem(design: Design) -> dict[str, Any]:
    """The SALib problem for ``design.ranges``; all-uniform designs give plain bounds.

    SALib's conventions (SALib.util._nonuniform_scale_samples, 1.6): ``triang`` bounds are
    [low, high, c] with the peak at low + c (high - low) and 0 <= c < 1; ``truncnorm``
    bounds are [lower, upper, mean, sd].
    """
    names = list(design.ranges)
    specs = [design.dists.get(n, {"dist": "uniform"}) for n in names]
    problem: dict[str, Any] = {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(design.ranges[n]) for n in names],
    }
    if all(s["dist"] == "uniform" for s in specs):
        return problem
    salib, bounds = [], []
    for s in specs:
        low, high = s["low"], s["high"]
        if s["dist"] == "triangular":
            # SALib refuses c = 1 (mode at high): the float just below is the same triangle
            c = min((s["mode"] - low) / (high - low), float(np.nextafter(1.0, 0.0)))
            salib.append("triang")
            bounds.append([low, high, c])
        elif s["dist"] == "normal":
            salib.append("truncnorm")
            bounds.append([low, high, s["mean"], s["sd"]])
        else:
            salib.append("unif")
            bounds.append([low, high])
    return {**problem, "bounds": bounds, "dists": salib}


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


def with_overrides(design: Design, args) -> Design:
    """The design with the size, warm-up, seed and replications given on the command line.

    Flags left out keep the design file's values; a warm-up is checked against the mode.
    """
    import dataclasses

    changes = {
        key: getattr(args, key)
        for key in ("persons", "weeks", "replications", "seed", "warmup")
        if getattr(args, key, None) is not None
    }
    if "warmup" in changes:
        try:
            warmup_weeks(design.mode, changes["warmup"])
        except ParameterError as exc:
            raise ScenarioError(f"--warmup: {exc}") from None
    return dataclasses.replace(design, **changes)
