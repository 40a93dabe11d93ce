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


def sampling_half_width(value: float, n: int | str) -> float:
    """Half the 95% interval of a share ``value`` observed in a sample of ``n`` people.

    A target from a sample of 69 is itself uncertain by about ±0.12; a model value
    inside that interval is as close as the data can tell. National register figures
    (``n = "national"``) have none.
    """
    if not isinstance(n, int) or n <= 0 or not 0 <= value <= 1:
        return np.nan
    return float(stats.norm.ppf(0.975) * np.sqrt(value * (1 - value) / n))


def compare_to_targets(runs: pd.DataFrame, targets: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per target: the model's mean over runs, its 95% CI, and the verdict.

    ``pass`` is within tolerance. ``verdict`` says more: ``tolerance``, else
    ``sampling`` when the model lies inside the target's own 95% sampling interval
    given its N, else ``outside``.
    """
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
        sampling = sampling_half_width(t["value"], t["n"])
        in_sampling = t["kind"] != "max" and bool(abs(model - t["value"]) <= sampling)
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
                "sampling_half_width": sampling,
                "verdict": "tolerance" if ok and n else "sampling" if in_sampling else "outside",
                "source": t["source"],
                "n": str(t["n"]),
            }
        )
    return pd.DataFrame(rows)


_VERDICTS = {"tolerance": "pass", "sampling": "pass (sampling)", "outside": "FAIL"}


def format_validation(table: pd.DataFrame) -> str:
    lines = [f"{'target':<62}{'target':>8}{'model':>8}  {'95% CI':<15}{'tol':>6}  result"]
    for _, r in table.iterrows():
        ci = f"[{r['ci_low']:.3f}, {r['ci_high']:.3f}]" if not np.isnan(r["ci_low"]) else "-"
        bound = "<=" if r["kind"] == "max" else "±"
        lines.append(
            f"{r['name'][:61]:<62}{r['target']:>8.3f}{r['model']:>8.3f}  {ci:<15}"
            f"{bound}{r['tolerance']:>4.2f}  {_VERDICTS[r['verdict']]}"
        )
    passed = int(table["pass"].sum())
    sampled = int((table["verdict"] == "sampling").sum())
    lines.append(
        f"\n{passed} of {len(table)} targets within tolerance, {sampled} more within their "
        "own sampling interval (the target's 95% interval given its N)"
    )
    return "\n".join(lines)
