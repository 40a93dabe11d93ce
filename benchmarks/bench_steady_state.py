"""Is the default flow baseline in a steady state? The warm-up by Welch, and the table.

Two parts, each printed as a table:

1. **Warm-up (Welch's procedure).** Replications of the baseline run from an empty
   system for ``--welch-years`` years with no warm-up; each stock's smoothed mean
   over replications settles at some week, and the warm-up must cover the latest.
2. **Stationarity.** Replications of the baseline with the default warm-up, measured
   for ``--years`` years and followed two more so that every yearly release cohort
   has its 2-year outcomes. Every stock and queue, and the 2-year justice contact,
   2-year re-detention and 6-month stability of each yearly cohort, must be
   stationary (see :mod:`analysis.steady_state`).

    .venv/bin/python benchmarks/bench_steady_state.py [--entries 10000] [--seeds 8]
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from analysis.steady_state import WEEKS_PER_YEAR, steady_state_table, welch_warmup
from model.limits import DEFAULT_WARMUP_WEEKS


def simulate(job: tuple[int, int, int, int, dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One baseline flow run: its weekly table and its release table."""
    from model import ReentryModel

    seed, persons, weeks, warmup, params = job
    m = ReentryModel(
        mode="flow", persons=persons, weeks=weeks, seed=seed, params=params, warmup=warmup
    ).run()
    return m.weekly_table().assign(run_id=seed), m.release_table()


def run_all(jobs: list, workers: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(simulate, jobs))
    return (
        pd.concat([w for w, _ in results], ignore_index=True),
        pd.concat([r for _, r in results], ignore_index=True),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000, help="entries over the years")
    parser.add_argument("--years", type=int, default=8, help="measured years")
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--welch-years", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--buddies", action="store_true", help="with the buddy programme on")
    args = parser.parse_args()
    params = {"buddy_start": "inside"} if args.buddies else {}
    per_week = args.entries / (args.years * WEEKS_PER_YEAR)
    start = time.perf_counter()

    welch_weeks = args.welch_years * WEEKS_PER_YEAR
    jobs = [
        (args.first_seed + s, round(per_week * welch_weeks), welch_weeks, 0, params)
        for s in range(args.seeds)
    ]
    weekly, _ = run_all(jobs, args.workers)
    settled = welch_warmup(weekly)
    print(f"Welch's procedure: {args.seeds} replications from an empty system, a 26-week moving")
    print("average; the week after which each stock stays within 5% (or 1 person) of its level")
    print("over the last half (stocks of fewer than 5 people have no build-up and are left out):")
    for column, week in sorted(settled.items(), key=lambda kv: -kv[1]):
        print(f"  {column:<32}{week:>6} weeks")
    print(f"latest: {max(settled.values())} weeks; the default warm-up is {DEFAULT_WARMUP_WEEKS}\n")

    # two more years, so that every measured year's releases are followed for two years
    weeks = (args.years + 2) * WEEKS_PER_YEAR
    jobs = [
        (args.first_seed + s, round(per_week * weeks), weeks, DEFAULT_WARMUP_WEEKS, params)
        for s in range(args.seeds)
    ]
    weeks_all, releases_all = run_all(jobs, args.workers)
    table = steady_state_table(weeks_all, releases_all, args.years)
    buddies = "on" if args.buddies else "off"
    print(
        f"Stationarity over {args.years} years after a {DEFAULT_WARMUP_WEEKS}-week warm-up, "
        f"{args.entries:,} entries, seeds {args.first_seed}..{args.first_seed + args.seeds - 1}, "
        f"buddies {buddies}:"
    )
    shown = ["series", "years", "mean", "largest_yearly_gap", "trend_per_year", "trend_ci_low",
             "trend_ci_high", "why"]  # fmt: skip
    with pd.option_context("display.width", 200, "display.max_colwidth", 48):
        print(table[shown].to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    print(
        f"\n{int(table['stationary'].sum())} of {len(table)} series stationary; "
        f"{time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
