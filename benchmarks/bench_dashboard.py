"""Dashboard speed: one step of the model plus the redraw of every view, at a class size.

Renders app.Page with solara's test renderer (no browser), sets the class size and a
preset with buddies, resets, steps to the given week after the first releases (every
chart then has data), and times Step clicks: each runs one model week and builds every
chart of the open tab, plus their JSON for the browser. The browser draws the charts
itself (Vega-Lite).

``--browser`` times what a user sees instead: the dashboard served as users start it,
in headless Chromium on the same machine, from the click on Step until every chart of
the Whole class tab has been drawn again (solara's chart widget waits 100 ms for more
changes before it draws; that wait is included). Target (issue 14): at most 300 ms at
2,000 people on 2 cores.

    .venv/bin/python benchmarks/bench_dashboard.py [--persons 2000] [--steps 20] [--browser]
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
    parser.add_argument("--week", type=int, default=20, help="week timed from")
    parser.add_argument("--preset", default="buddy_antwerp")
    parser.add_argument("--browser", action="store_true", help="time it in Chromium")
    args = parser.parse_args()
    if args.browser:
        in_browser(args)
        return

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
            sent = sum(len(c.widget.rows) for c in rc.find(app.Chart))
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


# Times, in the page, from the click on Step to the status line showing the next week
# (the server has stepped and sent the new data) and to every chart drawn again (each
# chart counts its draws in a data-drawn attribute).
REDRAWN = """([week, count]) => {
    const charts = () => [...document.querySelectorAll('[data-drawn]')];
    const before = new Map(charts().map(c => [c, c.dataset.drawn]));
    let clicked = null, answered = null;
    document.addEventListener('click', () => { clicked = performance.now(); },
                              {capture: true, once: true});
    window.__redrawn = new Promise(resolve => {
        const tick = () => {
            const now = charts();
            const status = document.body.innerText.includes(`Week ${week} |`);
            if (status && answered === null) answered = performance.now();
            if (status && now.length === count && now.every(c => before.get(c) !== c.dataset.drawn))
                resolve([answered - clicked, performance.now() - clicked]);
            else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
    });
}"""


def week_of(status) -> int:
    return int(status.inner_text().split()[1])


def in_browser(args) -> None:
    import re
    import subprocess
    import urllib.request

    from playwright.sync_api import sync_playwright

    port = 8799
    server = subprocess.Popen(
        [sys.executable, "-m", "experiments.cli", "dashboard", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parents[1], start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless=new"]
            )
            page = browser.new_page(viewport={"width": 1500, "height": 1150})
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_role("button", name="Step").wait_for(timeout=60_000)
            size = page.locator(".v-input").filter(has_text="Class size")
            size.locator("[role=slider]").focus()
            page.keyboard.press("End")
            page.locator(".v-select").filter(has_text="Buddy start").click()
            page.get_by_role("option", name="inside").click()
            page.get_by_role("button", name="Reset", exact=True).click()
            page.get_by_text(f"{args.persons} people").wait_for(timeout=60_000)
            status = page.get_by_text(re.compile(r"^Week -?\d+ \|")).first
            render = page.locator(".v-input").filter(has_text="Render Interval")
            render.locator("[role=slider]").focus()
            page.keyboard.press("End")  # Step runs as many weeks as Render Interval: 100
            step = page.get_by_role("button", name="Step", exact=True)
            step.click()
            page.get_by_text(re.compile(r"^Week -?\d+ \|")).first.wait_for()
            render.locator("[role=slider]").focus()
            page.keyboard.press("Home")  # one week a Step again
            page.wait_for_timeout(1000)
            while week_of(status) < args.week:
                before = week_of(status)
                step.click()
                page.get_by_text(f"Week {before + 1} |").wait_for()
            page.wait_for_timeout(1000)
            answers, times = [], []
            for _ in range(args.steps):
                week = week_of(status)
                page.evaluate(REDRAWN, [week + 1, 5])
                step.click()
                answered, drawn = page.evaluate("() => window.__redrawn")
                answers.append(answered / 1000)
                times.append(drawn / 1000)
                page.wait_for_timeout(300)
            browser.close()
    finally:
        server.terminate()
        server.wait()
    print(f"in Chromium, {args.persons} people, buddies from inside, {args.steps} steps from "
          f"week {args.week}; target <= 300 ms")  # fmt: skip
    for label, values in (("the next week shown", answers), ("every chart redrawn", times)):
        values.sort()
        print(
            f"  click to {label}: median {1000 * values[len(values) // 2]:.0f} ms, "
            f"90th percentile {1000 * values[int(0.9 * len(values))]:.0f} ms"
        )


if __name__ == "__main__":
    main()
