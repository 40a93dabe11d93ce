"""The teaching dashboard in a real browser: Chromium (Debian's package) driven by Playwright.

The server runs as users start it (``reentry dashboard``) on 127.0.0.1. Every request
to another host is blocked and recorded; any one fails the test. Screenshots go to
``$DASHBOARD_SCREENSHOTS`` (docs/teaching.md uses them) or to the test's temporary folder.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-extensions",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    assert Path(CHROMIUM).is_file(), "Chromium is missing: make test installs it (apt-get)"
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "experiments.cli", "dashboard", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f"the dashboard did not answer at {url}: {process.stdout.read()}")
    yield url
    process.terminate()  # the command became the server (exec), so this stops it
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def drawn_share(png: bytes) -> float:
    """Share of a plot's pixels in a line colour (not white, grey or black)."""
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    spread = rgb.max(axis=2) - rgb.min(axis=2)
    return float((spread > 60).mean())


def press(page, label: str, times: int, key: str = "ArrowRight", first: str = "") -> None:
    """Move a slider with the keyboard, as a user can: ``first`` once, then ``key``."""
    page.locator(".v-input").filter(has_text=label).locator("[role=slider]").focus()
    for k in ([first] if first else []) + [key] * max(times, 1):
        page.keyboard.press(k)


def week(status) -> int:
    return int(status.inner_text().split()[1])


def test_the_dashboard_runs_in_chromium_without_leaving_the_machine(server, tmp_path):
    shots = Path(os.environ.get("DASHBOARD_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    outside, errors = [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1150})

        def only_local(route):
            url = route.request.url
            if url.startswith(("http://127.0.0.1", "data:", "blob:")):
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        page.route("**/*", only_local)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server)
        page.get_by_role("button", name="Step").wait_for(timeout=30_000)
        status = page.get_by_text(re.compile(r"^Week -?\d+ \|")).first
        start = week(status)
        for _ in range(6):
            page.get_by_role("button", name="Step", exact=True).click()
        page.get_by_text(f"Week {start + 6} ").wait_for(timeout=60_000)
        page.get_by_role("button", name="▶").click()  # Play
        page.get_by_role("button", name="❚❚").click(timeout=60_000)  # Pause
        page.get_by_role("button", name="▶").wait_for(timeout=60_000)
        assert week(status) >= start + 6

        # a slider change, then Reset: the model starts again with the new value
        press(page, "Living climate", 10)
        page.get_by_role("button", name="Reset", exact=True).click()
        page.get_by_text("living climate 1.5").wait_for(timeout=60_000)

        # Skip through detention into the months after release, as a teacher can: Step
        # runs as many weeks as the Render Interval (100, then 11)
        step = page.get_by_role("button", name="Step", exact=True)
        press(page, "Render Interval", 0, key="End")
        before = week(status)
        step.click()
        page.get_by_text(f"Week {before + 100} |").wait_for(timeout=60_000)
        press(page, "Render Interval", 5, key="ArrowRight", first="Home")
        while week(status) < 26:
            before = week(status)
            step.click()
            page.get_by_text(f"Week {before + 11} |").wait_for(timeout=60_000)
        page.wait_for_timeout(1500)  # the charts draw themselves after a short pause
        page.screenshot(path=shots / "dashboard.png")
        plots = page.locator(".vega-embed")
        assert plots.count() == 5
        shares = [drawn_share(plots.nth(k).screenshot()) for k in range(plots.count())]
        # conditions, stability, justice and waiting lists have lines (the axes alone
        # have no line colour: a chart without lines measures 0); the baseline has no
        # buddies, and its chart has no lines
        assert min(shares[:4]) > 0.001 > shares[4], shares

        # a person's story, in plain words
        page.get_by_role("tab", name="One person").click()
        page.get_by_text("entered detention").first.wait_for(timeout=60_000)
        page.wait_for_timeout(2000)  # the tab's grid lays itself out after its text arrives
        page.screenshot(path=shots / "person_story.png")
        page.get_by_role("tab", name="Side by side").click()  # side by side, on the same seed
        page.get_by_text(re.compile(r"^buddy_antwerp: person \d+")).wait_for(timeout=30_000)
        page.wait_for_timeout(2000)
        page.screenshot(path=shots / "side_by_side.png")
        page.get_by_role("tab", name="About this model").click()
        page.get_by_text("Things to try").wait_for(timeout=60_000)
        page.wait_for_timeout(2000)
        page.screenshot(path=shots / "info.png")
        browser.close()
    assert not outside, outside
    assert not errors, errors
