"""The golden baseline: a few small runs whose outputs must not change by accident.

Each case is a small run (cohort and flow, the buddy programme off and on, the main
levers). Its fingerprint is the run's summary (every number, exactly) and a hash of
each of its tables (weekly, release events, process log, persons). A refactor must
leave every fingerprint byte-identical; ``tests/test_golden.py`` checks that.

When a change is meant to change outputs (a new mechanism, a fixed bug, a new default),
regenerate the baseline and say why in the commit::

    make update-baseline        # = python -m tests.golden --update
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

BASELINE = Path(__file__).parent / "golden" / "baseline.json"
LEVERS = {
    "benefit_advance": True,
    "professional_outreach": "proactive",
    "professionals_per_1000_releases": 16.0,
    "capacity_housing": 65.6,
    "gating_inside": False,
    "gating_outside": True,
    "queue_policy": "priority",
    "share_supervised": 0.4,
}
BUDDIES = {"buddy_start": "inside", "buddy_caseload": 1, "buddy_contact_interval": 1}
CASES: dict[str, dict[str, Any]] = {
    "cohort_baseline": {"mode": "cohort", "persons": 400, "weeks": 80, "params": {}},
    "cohort_buddies": {"mode": "cohort", "persons": 400, "weeks": 80, "params": BUDDIES},
    "flow_baseline": {"mode": "flow", "persons": 300, "weeks": 110, "warmup": 104, "params": {}},
    "flow_buddies_reactive": {
        "mode": "flow",
        "persons": 300,
        "weeks": 110,
        "warmup": 104,
        "params": {
            **BUDDIES,
            "buddy_start": "at_release",
            "buddy_caseload": 3,
            "buddy_contact_interval": "reactive",
        },
    },
    "flow_levers": {"mode": "flow", "persons": 300, "weeks": 110, "warmup": 104, "params": LEVERS},
}
"""name -> the run: mode, persons, weeks, warm-up and parameter overrides (seed 7)."""
SEED = 7


def _table_hash(frame) -> str:
    """A hash of a table's columns, types and every value (row order included)."""
    import pandas as pd

    digest = hashlib.sha256()
    digest.update(json.dumps([[c, str(t)] for c, t in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def fingerprint(case: dict[str, Any]) -> dict[str, Any]:
    """The summary and table hashes of one case's run."""
    from analysis.summary import summarise
    from model import ReentryModel

    m = ReentryModel(
        mode=case["mode"], persons=case["persons"], weeks=case["weeks"], seed=SEED,
        params=case["params"], warmup=case.get("warmup"),
    ).run()  # fmt: skip
    summary = summarise(m)
    summary.pop("seconds")  # wall time, not an output
    tables = {
        "weekly": m.weekly_table(),
        "releases": m.release_table(),
        "process": m.process_table(),
        "persons": m.person_table(),
    }
    return {"summary": summary, "tables": {k: _table_hash(v) for k, v in tables.items()}}


def compute() -> dict[str, Any]:
    return {name: fingerprint(case) for name, case in CASES.items()}


def differences(stored: dict[str, Any], now: dict[str, Any], where: str = "") -> list[str]:
    """Every path at which two fingerprints differ, with both values."""
    if isinstance(stored, dict) and isinstance(now, dict):
        out = []
        for key in sorted(set(stored) | set(now)):
            out += differences(stored.get(key), now.get(key), f"{where}.{key}" if where else key)
        return out
    return [] if stored == now else [f"{where}: {stored!r} -> {now!r}"]


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print("usage: python -m tests.golden --update", file=sys.stderr)
        return 2
    BASELINE.parent.mkdir(exist_ok=True)
    BASELINE.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n")
    print(f"golden baseline written to {BASELINE} ({len(CASES)} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
