"""Dashboard speed: one step of the model plus the redraw of every view, at a class size.

Renders app.Page with solara's test renderer (no browser), sets the class size, resets,
and times Step clicks: each runs one model week and redraws the plots. The browser's
own drawing of the PNGs is not included. Target (issue 14): at most 300 ms at 2,000
people on 2 cores.

    .venv/bin/python benchmarks/bench_dashboard.py [--persons 2000] [--steps 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # app.py sits at the root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()

    import ipyvuetify as v
    import solara

    import app

    _, rc = solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)
    rc.find(v.Slider, label="Class size (people)").widget.v_model = args.persons
    rc.find(v.Btn, children=["Reset"]).widget.click()
    step = rc.find(v.Btn, children=["Step"]).widget
    for _ in range(3):  # warm caches
        step.click()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step.click()
        times.append(time.perf_counter() - start)
    model = app.DashboardModel(persons=args.persons)
    start = time.perf_counter()
    for _ in range(args.steps):
        model.step()
    alone = (time.perf_counter() - start) / args.steps
    times.sort()
    print(f"{args.persons} people, {args.steps} steps: step + redraw median "
          f"{1000 * times[len(times) // 2]:.0f} ms, worst {1000 * times[-1]:.0f} ms "
          f"(the model step alone {1000 * alone:.1f} ms); target <= 300 ms")  # fmt: skip


if __name__ == "__main__":
    main()
