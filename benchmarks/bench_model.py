"""Throughput and memory of the full model against an empty Mesa loop.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_model.py``).
Each size runs in its own process so that peak memory (ru_maxrss) is that
run's own. Figures go into benchmarks/README.md by hand, with date and machine.

Targets (issue 18): the cost per person-week at 100k is within 1.5x of the cost at 10k,
and peak memory stays under 2 GB at 100k people over 156 weeks. The empty Mesa loop and
the Mesa tutorial's wealth step are printed for information: the old target of 3x the
empty loop is retired (the loop measures no work, and varies by a third between runs).
The overhead around the compiled kernels is measured by ``bench_overhead.py``.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time

# every mechanism on: the buddy programme starting inside, with professionals
ALL_ON = {"buddy_start": "inside"}


def run_model(persons: int, weeks: int, mode: str, repeats: int) -> dict:
    from model import ReentryModel

    best = None
    for _ in range(repeats):
        start = time.perf_counter()
        m = ReentryModel(mode=mode, persons=persons, weeks=weeks, seed=1, params=ALL_ON).run()
        seconds = time.perf_counter() - start
        if best is None or seconds < best[0]:
            # every simulated week, the warm-up's too (m.person_weeks counts measured weeks)
            weekly = m.weekly_table()
            best = (seconds, int((weekly["detained"] + weekly["released"]).sum()))
    seconds, person_weeks = best
    return {
        "persons": persons,
        "mode": mode,
        "weeks": weeks,
        "person_weeks": person_weeks,
        "seconds": round(seconds, 3),
        "person_weeks_per_s": round(person_weeks / seconds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _agent_steps_per_s(model, agents: int, steps: int, repeats: int) -> dict:
    """Best of ``repeats`` timings of ``steps`` Mesa ``shuffle_do("step")`` calls, as for
    the model, so both sides of a ratio see the machine at its quietest."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            model.agents.shuffle_do("step")
        best = min(best, time.perf_counter() - start)
    return {"agents": agents, "agent_steps_per_s": round(agents * steps / best)}


def run_empty_mesa(agents: int, steps: int, repeats: int) -> dict:
    """The target's reference: agents whose step does nothing."""
    import mesa

    class Empty(mesa.Agent):
        def step(self) -> None:
            pass

    model = mesa.Model(rng=1)
    Empty.create_agents(model, agents)
    return _agent_steps_per_s(model, agents, steps, repeats)


def run_wealth_mesa(agents: int, steps: int, repeats: int) -> dict:
    """For information, not a target: the Mesa tutorial's wealth-exchange step, a
    five-line step and about the least work a real agent does."""
    import mesa

    class Wealth(mesa.Agent):
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.wealth = 1

        def step(self) -> None:
            if self.wealth > 0:
                other = self.random.choice(everyone)
                other.wealth += 1
                self.wealth -= 1

    model = mesa.Model(rng=1)
    Wealth.create_agents(model, agents)
    everyone = list(model.agents)  # AgentSet indexing copies the set; a list does not
    return _agent_steps_per_s(model, agents, steps, repeats)


def _child(args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated persons")
    parser.add_argument("--weeks", type=int, default=156)
    parser.add_argument("--mode", choices=("cohort", "flow"), default="cohort")
    parser.add_argument("--child", choices=("model", "mesa", "wealth"), help=argparse.SUPPRESS)
    parser.add_argument("--persons", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.child == "model":
        print(json.dumps(run_model(args.persons, args.weeks, args.mode, args.repeats)))
        return
    if args.child == "mesa":
        print(json.dumps(run_empty_mesa(args.persons, 50, args.repeats)))
        return
    if args.child == "wealth":
        print(json.dumps(run_wealth_mesa(args.persons, 50, args.repeats)))
        return

    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    empty = _child(["--child", "mesa", "--persons", "10000", "--repeats", str(args.repeats)])
    print(f"empty Mesa shuffle_do loop, 10k agents: {empty['agent_steps_per_s']:,} agent-steps/s")
    wealth = _child(["--child", "wealth", "--persons", "10000", "--repeats", str(args.repeats)])
    print(
        f"Mesa tutorial wealth step, 10k agents: {wealth['agent_steps_per_s']:,} agent-steps/s "
        "(for information)"
    )
    rows = {}
    for n in map(int, args.sizes.split(",")):
        repeats = "1" if n >= 100_000 else str(args.repeats)
        r = _child(
            [
                "--child",
                "model",
                "--persons",
                str(n),
                "--weeks",
                str(args.weeks),
                "--mode",
                args.mode,
                "--repeats",
                repeats,
            ]
        )
        rows[n] = r
        print(
            f"{args.mode} {n:>7,} persons x {args.weeks} weeks: "
            f"{r['person_weeks']:>11,} person-weeks in {r['seconds']:7.2f} s "
            f"= {r['person_weeks_per_s']:>10,}/s, peak RSS {r['peak_rss_mb']:,.0f} MB"
        )
    if 10_000 in rows:
        ratio = rows[10_000]["person_weeks_per_s"] / empty["agent_steps_per_s"]
        print(f"full model / empty Mesa loop at 10k: {ratio:.2f}x (for information)")
        ratio = rows[10_000]["person_weeks_per_s"] / wealth["agent_steps_per_s"]
        print(f"full model / Mesa wealth step at 10k: {ratio:.2f}x (for information)")
    if 10_000 in rows and 100_000 in rows:
        cost = rows[10_000]["person_weeks_per_s"] / rows[100_000]["person_weeks_per_s"]
        print(f"cost per person-week, 100k vs 10k: {cost:.2f}x (target <= 1.5x)")
        print(f"peak memory at 100k: {rows[100_000]['peak_rss_mb']:,.0f} MB (target < 2048 MB)")


if __name__ == "__main__":
    main()
