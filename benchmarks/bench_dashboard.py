"""Dashboard speed: one step of the model plus the redraw of every view, at a class size.

Renders app.Page with solara's test renderer (no browser), sets the class size and a
preset with buddies, resets, steps to the given week after the first releases (every
chart then has data), and times Step clicks: each runs one model week and builds every
chart of the open tab, plus their JSON for the browser. The browser draws the charts
itself (Vega-Lite); that time is on the pupil's machine, not the server's. Target
(issue 14): at most 300 ms at 2,000 people on 2 cores.

    .venv/bin/python benchmarks/bench_dashboard.py [--persons 2000] [--steps 20]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # app.py sits at the root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--week", type=int, default=20, help="week timed from")
    parser.add_argument("--preset", default="buddy_antwerp")
    args = parser.parse_args()

    import ipyvuetify as v
    import solara

    import app

    _, rc = solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)
    rc.find(v.Slider, label="Class size (people)").widget.v_model = args.persons
    rc.find(v.Select, label="Preset (a shipped scenario)").widget.v_model = args.preset
    rc.find(v.Btn, children=["Reset"]).widget.click()
    step = rc.find(v.Btn, children=["Step"]).widget
    model = app.DashboardModel(persons=args.persons, preset=args.preset)
    model.catch_up(args.week)
    for _ in range(model.week - model.start_week):
        step.click()
    tabs = rc.find(v.Tabs).widget
    for index, tab in enumerate(app.TABS):
        tabs.v_model = index
        times, sent = [], 0
        for _ in range(args.steps):
            start = time.perf_counter()
            step.click()
            sent = len(json.dumps([c.widget.spec for c in rc.find(solara.widgets.VegaLite)]))
            times.append(time.perf_counter() - start)
        times.sort()
        print(f"{tab:>16}: {sent / 1000:4.0f} kB of charts a step; step + redraw median "
              f"{1000 * times[len(times) // 2]:3.0f} ms, 90th percentile "
              f"{1000 * times[int(0.9 * len(times))]:3.0f} ms")  # fmt: skip
    start = time.perf_counter()
    for _ in range(args.steps):
        model.step()
    print(f"the model step alone: {1000 * (time.perf_counter() - start) / args.steps:.1f} ms")
    print(f"({args.persons} people, {args.preset}, {args.steps} steps per tab from week "
          f"{args.week}; target <= 300 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
