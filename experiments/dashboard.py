"""``reentry dashboard``: serve the teaching dashboard (app.py) on this machine only.

The server listens on 127.0.0.1, sends no telemetry, and serves the front-end assets
from the installed packages: a missing asset fails at once instead of being fetched
from a public CDN (the CDN address points at a closed local port).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from .errors import UserError
from .options import integer

APP = Path(__file__).resolve().parents[1] / "app.py"
PRIVATE_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/npm/",
}


def server_command(port: int) -> list[str]:
    """The solara command that serves app.py on 127.0.0.1:port, offline."""
    solara = shutil.which("solara", path=str(Path(sys.executable).parent))
    if solara is None or not APP.is_file():
        raise UserError(
            "the dashboard needs the project's viz extra and app.py: run 'make dashboard', "
            "or '.venv/bin/pip install -e .[viz]' in a checkout"
        )
    return [
        solara, "run", str(APP), "--host", "127.0.0.1", "--port", str(port), "--production",
        "--no-open", "--no-check-version",
    ]  # fmt: skip


def link_chart_assets(cdn: Path) -> None:
    """Let solara's chart widget find the bundled Vega files.

    The widget asks for ``vega@5``, ``vega-lite@5`` and ``vega-embed@6``; solara-assets
    ships them under their full versions (``vega@5.21.0``). Without the short names
    the server would fetch them from a public CDN.
    """
    for bundled in cdn.glob("vega*@*.*"):
        name, version = bundled.name.split("@")
        alias = cdn / f"{name}@{version.split('.')[0]}"
        if not alias.exists():
            alias.symlink_to(bundled.name)


def cmd_dashboard(args: argparse.Namespace) -> None:
    command = server_command(args.port)
    link_chart_assets(Path(sys.prefix) / "share" / "solara" / "cdn")
    print(f"Teaching dashboard at http://127.0.0.1:{args.port}/ (Ctrl-C stops it)", flush=True)
    os.chdir(APP.parent)
    # become the server, so that a signal to this process (a test's terminate, a service
    # manager's stop) reaches it: a child would be left running
    os.execve(command[0], command, {**os.environ, **PRIVATE_ENV})


def register(sub: argparse._SubParsersAction) -> None:
    """The ``dashboard`` command's parser."""
    dashboard = sub.add_parser(
        "dashboard",
        help="serve the teaching dashboard (app.py) on 127.0.0.1",
        description="Serve the teaching dashboard: a cohort through detention, release and "
        "after, live in the browser, with presets for the shipped scenarios. Local only: no "
        "telemetry, no request leaves the machine.",
    )
    dashboard.add_argument(
        "--port",
        type=integer("--port", 1024, 65535),
        default=8765,
        metavar="N",
        help="port on 127.0.0.1 (default: 8765)",
    )
    dashboard.set_defaults(handler=cmd_dashboard)
