"""Model against the calibration targets in ``analysis/targets.toml``."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

TARGETS = Path(__file__).with_name("targets.toml")


def load_targets(path: Path = TARGETS) -> list[dict[str, Any]]:
    """Every target: name, outcome, value, source, n, tolerance, kind."""
    targets = tomllib.loads(path.read_text())["target"]
    for t in targets:
        t.setdefault("kind", "equal")
    return targets


def compare_to_targets(runs: pd.DataFrame, targets: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per target: the model's mean over runs, its 95% CI, and pass or fail."""
    rows = []
    for t in targets:
        # a folder from an older version may not hold every outcome: it then fails, as unseen
        column = runs[t["outcome"]] if t["outcome"] in runs else pd.Series(dtype=float)
        values = column.astype(float).dropna().to_numpy()
        n = len(values)
        model = float(values.mean()) if n else np.nan
        half = (stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
        if t["kind"] == "max":
            ok = bool(model <= t["value"] + t["tolerance"])
        else:
            ok = bool(abs(model - t["value"]) <= t["tolerance"])
        rows.append(
            {
                "name": t["name"],
                "outcome": t["outcome"],
                "target": t["value"],
                "model": model,
                "ci_low": model - half,
                "ci_high": model + half,
                "tolerance": t["tolerance"],
                "kind": t["kind"],
                "pass": ok and n > 0,
                "source": t["source"],
                "n": str(t["n"]),
            }
        )
    return pd.DataFrame(rows)


def format_validation(table: pd.DataFrame) -> str:
    lines = [f"{'target':<62}{'target':>8}{'model':>8}  {'95% CI':<15}{'tol':>6}  result"]
    for _, r in table.iterrows():
        ci = f"[{r['ci_low']:.3f}, {r['ci_high']:.3f}]" if not np.isnan(r["ci_low"]) else "-"
        bound = "<=" if r["kind"] == "max" else "±"
        lines.append(
            f"{r['name'][:61]:<62}{r['target']:>8.3f}{r['model']:>8.3f}  {ci:<15}"
            f"{bound}{r['tolerance']:>4.2f}  {'pass' if r['pass'] else 'FAIL'}"
        )
    passed = int(table["pass"].sum())
    lines.append(f"\n{passed} of {len(table)} targets within tolerance")
    return "\n".join(lines)
