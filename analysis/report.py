"""One self-contained HTML report: figures embedded as data URIs, tables inline.

Nothing is fetched when the file is opened (no scripts, fonts or style sheets
from elsewhere), so a report can be mailed or read offline.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; color: #222;
       line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; }
table { border-collapse: collapse; font-size: .85em; margin: .5em 0 1.5em; display: block;
        overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: right; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
figure { margin: 1em 0 2em; } figcaption { font-size: .9em; color: #555; }
img { max-width: 100%; } .note { color: #555; font-size: .9em; }
.fail { color: #b00; font-weight: 600; } .pass { color: #070; } td.text { text-align: left; }
"""


@dataclass
class Section:
    """A heading, a paragraph, figures (caption, PNG path) and tables (caption, frame)."""

    heading: str
    text: str = ""
    figures: list[tuple[str, Path]] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)


def _figure(caption: str, path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return f'<span class="{"pass" if value else "fail"}">{"pass" if value else "FAIL"}</span>'
    if isinstance(value, float):
        if pd.isna(value):
            return ""
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    return html.escape(str(value))


def _table(caption: str, frame: pd.DataFrame, max_rows: int = 60) -> str:
    shown = frame.head(max_rows)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="text">{_cell(v)}</td>' if isinstance(v, str) else f"<td>{_cell(v)}</td>"
            for v in row
        )
        + "</tr>"
        for row in shown.itertuples(index=False)
    )
    more = (
        f'<p class="note">First {max_rows} of {len(frame)} rows; the rest are in the folder.</p>'
        if len(frame) > max_rows
        else ""
    )
    heading = f"<h3>{html.escape(caption)}</h3>" if caption else ""
    return f"{heading}<table><tr>{head}</tr>{body}</table>{more}"


def render(title: str, facts: dict[str, str], sections: list[Section]) -> str:
    """The whole report as one HTML string."""
    facts_rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in facts.items()
    )
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><table>{facts_rows}</table>",
    ]
    for s in sections:
        parts.append(f"<h2>{html.escape(s.heading)}</h2>")
        parts.extend(f"<p>{html.escape(line)}</p>" for line in s.text.splitlines() if line.strip())
        parts.extend(_table(c, f) for c, f in s.tables)
        parts.extend(_figure(c, p) for c, p in s.figures)
    parts.append("</body></html>")
    return "\n".join(parts)
