"""One run as a pure function: a task in, a small record out.

Every executor (serial, process pool, Dask) calls :func:`run_task` and nothing
else, so results are identical whatever runs them: the model's random draws
are keyed by (seed, person, week, purpose), not by process or order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from model.parameters import SERVICES

if TYPE_CHECKING:
    import pandas as pd

    from model.model import ReentryModel

WEEK_COLUMNS = (
    "week",
    "released",
    "detained",
    "left",
    "releases",
    "exits",
    "share_housing",
    "share_income",
    "share_work",
    "share_benefit",
    "share_valid_id",
    "share_debt_unmanaged",
    "share_care_met",
    "share_stable",
    "stability_index",
    "mean_stress",
    "mean_ties_criminogenic",
    "mean_ties_prosocial",
    "offences",
    "justice_contacts",
    "redetentions",
    "advances",
    "in_shelter",
    "supervised",
    "buddy_waitlist",
    "buddy_utilisation",
    "mean_buddy_strain",
    "buddies_active",
    "buddy_recruits",
    "professional_load",
    *(f"waiting_{s}" for s in SERVICES),
)
"""Weekly columns kept per run (a small table, so that sweeps stay light)."""


@dataclass(frozen=True)
class Task:
    """One run: a scenario's parameters, a mode and size, and a seed.

    Attributes:
        run_id: Unique name within an experiment, e.g. ``baseline/r003``.
        scenario: Scenario name (for grouping).
        params: Parameter overrides on the defaults (the scenario's, resolved).
        replication: Replication number; runs with the same number share a seed.
        seed: The run's seed.
        mode, persons, weeks, warmup: As for :class:`model.ReentryModel`.
        point: Sweep or sensitivity sample the run belongs to (empty for compare).
    """

    run_id: str
    scenario: str
    params: dict[str, Any]
    replication: int
    seed: int
    mode: str
    persons: int
    weeks: int
    warmup: int = 0
    point: int = -1
    tags: dict[str, Any] = field(default_factory=dict)


def flatten(summary: dict[str, Any]) -> dict[str, Any]:
    """Scalar outcomes of a summary as one flat row (``month6.housing`` -> ``month6_housing``)."""
    row: dict[str, Any] = {}
    for key, value in summary.items():
        if key in (
            "process",
            "by_typology",
            "by_length_group",
            "reach_by_typology",
            "needs_by_typology",
            "buddy_trajectories",
            "overrides",
        ):
            continue
        if isinstance(value, dict):
            for sub, v in value.items():
                if not isinstance(v, dict):
                    row[f"{key}_{sub}"] = v
        else:
            row[key] = value
    for service in SERVICES:
        row[f"wait_weeks_{service}"] = summary["process"][service]["wait_mean_weeks"]
        row[f"abandonment_{service}"] = summary["process"][service]["abandonment"]
        row[f"places_used_{service}"] = summary["process"][service]["places_used"]
    for group in ("by_typology", "by_length_group"):
        for name, outcomes in summary[group].items():
            for k in ("month6_stable", "justice_contact_2y"):
                row[f"{k}_{name}"] = outcomes[k]
    return row


def model_for(task: Task) -> ReentryModel:
    """The model a task describes, not yet run."""
    from model import ReentryModel  # here, so that building tasks stays instant

    return ReentryModel(
        mode=task.mode,
        persons=task.persons,
        weeks=task.weeks,
        seed=task.seed,
        params=task.params,
        warmup=task.warmup,
    )


def run_task(task: Task) -> tuple[dict[str, Any], pd.DataFrame]:
    """Run one task; return its flat record and its small weekly table."""
    from analysis.summary import summarise

    model = model_for(task).run()
    return results_of(task, model, summarise(model))


def results_of(
    task: Task, model: ReentryModel, summary: dict[str, Any]
) -> tuple[dict[str, Any], pd.DataFrame]:
    """A finished run's flat record and its small weekly table, keyed by the task."""
    record = {
        "run_id": task.run_id,
        "scenario": task.scenario,
        "replication": task.replication,
        "point": task.point,
        **{f"param_{k}": v for k, v in task.tags.items()},
        **flatten(summary),
    }
    weekly = model.weekly_table()
    weekly = weekly[[c for c in WEEK_COLUMNS if c in weekly.columns]].copy()
    # each week carries what it belongs to, so that tables join without lookups
    keys = {"run_id": task.run_id, "scenario": task.scenario, "point": task.point,
            **{f"param_{k}": v for k, v in task.tags.items()}}  # fmt: skip
    for position, (name, value) in enumerate(keys.items()):
        weekly.insert(position, name, value)
    return record, weekly


def recorded_outcomes() -> list[str]:
    """The columns every run records, learnt from a one-person, one-week run.

    Design files name their outputs among these; a list kept by hand would drift
    from what :func:`flatten` writes.
    """
    probe = Task("probe", "probe", {}, 0, 1, "cohort", persons=1, weeks=1)
    record, _ = run_task(probe)
    return list(record)
