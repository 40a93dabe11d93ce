"""Experiment-level benchmarks: Sobol throughput and flat memory.

* Sobol: the 10-parameter design ``experiments/designs/sobol_10.toml`` (flow
  baseline, 156 weeks, 3 replications per sample) with a small N, timed end
  to end with the default process pool, then extrapolated to N=256
  (N(d+2) = 3,072 samples x 3 = 9,216 runs). Target (issue 18): 5 minutes or less on
  2 cores, and an executor overhead (wall time against the runs' own time divided by
  the workers) of at most 1.3.
* Memory: the same small sweep with 2x and 8x the runs, each in a fresh
  process; peak RSS must not grow with the number of runs.

Run: ``.venv/bin/python benchmarks/bench_experiments.py [--n 16]``; ``--n 256`` runs the
full analysis (over an hour today) instead of extrapolating.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DESIGN = ROOT / "experiments" / "designs" / "sobol_10.toml"


def sobol(n: int, workers: int) -> tuple[float, float]:
    """Wall seconds of a Sobol analysis of base size ``n``, and the sum of its runs' own
    seconds (each run's model built, run and summarised, from the results' timings)."""
    import pandas as pd

    text = re.sub(r"samples = \d+", f"samples = {n}", DESIGN.read_text())
    with tempfile.TemporaryDirectory() as tmp:
        design = Path(tmp) / "sobol.toml"
        design.write_text(text)
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "experiments.cli",
                "sensitivity",
                str(design),
                "--out",
                f"{tmp}/out",
                "--workers",
                str(workers),
                "--no-progress",
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        wall = time.perf_counter() - start
        return wall, float(pd.read_csv(f"{tmp}/out/timings.csv")["seconds"].sum())


CHILD = """
import resource, sys
from experiments.cli import main
main(sys.argv[1:])
print("RSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def memory(samples: int) -> float:
    """Peak RSS (MB) of a serial in-process sweep with ``samples`` x 2 runs."""
    text = (
        f"persons = 100\nweeks = 30\nreplications = 2\nsamples = {samples}\n"
        "[ranges]\nsuccess_alone = [0.3, 0.8]\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        design = Path(tmp) / "d.toml"
        design.write_text(text)
        args = [
            "sweep",
            str(design),
            "--out",
            f"{tmp}/o",
            "--executor",
            "serial",
            "--no-progress",
            "--chunk-size",
            "10",
        ]
        out = subprocess.run(
            [sys.executable, "-c", CHILD, *args],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
    return float(out.split("RSS")[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=16, help="Sobol base sample size to time")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-memory", action="store_true", help="skip the memory sweeps")
    args = parser.parse_args()
    runs = args.n * 12 * 3
    seconds, own = sobol(args.n, args.workers)
    full = seconds / runs * 9216
    print(
        f"Sobol N={args.n}: {runs} runs in {seconds:.0f} s ({seconds / runs:.3f} s per run "
        f"with {args.workers} workers; a run's own time {own / runs:.3f} s)"
    )
    how = "measured" if args.n == 256 else "extrapolated"
    print(f"{how} for N=256 (9,216 runs): {full / 60:.1f} min (target <= 5 min)")
    overhead = seconds / (own / args.workers)
    print(f"executor overhead: wall / (runs' own time / workers) = {overhead:.2f} (target <= 1.3)")
    if args.no_memory:
        return
    small, large = memory(25), memory(100)
    print(
        f"peak RSS: 50 runs {small:.0f} MB, 200 runs {large:.0f} MB "
        f"(growth {large - small:+.0f} MB)"
    )


if __name__ == "__main__":
    main()
