"""Memory of one run against the estimate the commands check before they start.

Each size runs in its own process with every mechanism on (buddies start inside). The
figure is the growth of peak resident memory over a process that has already loaded the
model and run a tiny model (``ru_maxrss`` after minus the resident size before), which is
what :func:`model.limits.memory_needed` estimates. The estimate must stay above every
measurement, but not far above, or runs that would fit get refused.

    .venv/bin/python benchmarks/bench_memory.py [--persons 100000] [--weeks 52,156,520]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = """
import json, resource, sys
from analysis.summary import summarise
from model import ReentryModel

mode, persons, weeks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
params = {"buddy_start": "inside"}
summarise(ReentryModel(mode=mode, persons=50, weeks=30, seed=1, params=params).run())
with open("/proc/self/status") as f:
    before = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
summarise(ReentryModel(mode=mode, persons=persons, weeks=weeks, seed=1, params=params).run())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grown": (peak - before) * 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--weeks", default="52,156,520")
    args = parser.parse_args()
    from model.limits import memory_needed

    print(f"{'mode':<7}{'persons':>10}{'weeks':>7}{'measured':>11}{'estimate':>11}{'ratio':>7}")
    for mode in ("cohort", "flow"):
        for weeks in map(int, args.weeks.split(",")):
            done = subprocess.run(
                [sys.executable, "-c", CHILD, mode, str(args.persons), str(weeks)],
                capture_output=True,
                text=True,
                check=True,
            )
            grown = json.loads(done.stdout.splitlines()[-1])["grown"]
            estimate = memory_needed(mode, args.persons, weeks)
            print(
                f"{mode:<7}{args.persons:>10,}{weeks:>7}{grown / 2**20:>9.0f}MB"
                f"{estimate / 2**20:>9.0f}MB{estimate / grown:>7.2f}"
            )


if __name__ == "__main__":
    main()
