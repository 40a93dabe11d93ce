"""Citations point to published documents, never to private text copies or their lines.

Sources are cited by a key of docs/references.md and a chapter, section, table, figure or
page (``Leiden2024 §6.2.3``, ``BrugBinnenBuiten2023 p.121``). A line number of a text copy
(``004 l.7639``), a bare document number (``000 ch.4``, ``004 Table 2.1``), the name of a
text copy, a path into a folder beside the repository or a note (``*.md``) the repository
does not hold means nothing to a reader and must not return.
"""

import re
import shutil
import subprocess
import tomllib
from dataclasses import fields
from pathlib import Path

import pytest

from model.parameters import Parameters

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT / "docs" / "references.md"

FORBIDDEN = {
    "a line-number citation": re.compile(r"\b\d{3} ?l\.\s?\d"),
    "a line number of a source": re.compile(r"(?:^|[\s(;,])l\.\s?\d{2,}"),
    "a bare document number": re.compile(
        r"\b00[0-4]\s+(?:l\.|ch\.|§|p\.|M\d|Tables?\b|Fig(?:ure)?\.?\s|Appendix\b)"
    ),
    "the name of a private text copy": re.compile(r"\b00[0-4]_[0-9a-f]{6}"),
    "a path into a folder beside the repository": re.compile(r"\.\./[\w.-]+/"),
}
KEY = re.compile(r"\b[A-Z][A-Za-z]+\d{4}\b")
NOTE = re.compile(r"\b[A-Z][A-Z_]+\.md\b")
"""A note such as README.md: users have it only if the repository holds it."""


def tracked_text_files() -> list[Path]:
    """Every file git tracks, except this one and binary files."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    files = []
    for name in out.decode().split("\0"):
        path = ROOT / name
        if not name or path.resolve() == Path(__file__).resolve() or not path.is_file():
            continue
        files.append(path)
    return files


def read_text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def find_bad(text: str, notes: frozenset[str] = frozenset()) -> list[tuple[int, str, str]]:
    """(line number, what, line) for every forbidden pattern in a text, and for every note
    named that is not among ``notes`` (the repository's own)."""
    hits = []
    for number, line in enumerate(text.splitlines(), 1):
        for what, pattern in FORBIDDEN.items():
            if pattern.search(line):
                hits.append((number, what, line.strip()[:120]))
        if any(name not in notes for name in NOTE.findall(line)):
            hits.append((number, "a note the repository does not hold", line.strip()[:120]))
    return hits


@pytest.mark.parametrize(
    "bad",
    [
        "waits 8-12 weeks (004 l.7639)",
        "source = '000 l.2605-2607, 3682'",
        "groups of 004 Fig 1.1",
        "as in 000 ch.3-5",
        "(004 Table 2.1: 72%)",
        "the regime (004 M3)",
        "see NOTES.md",
        "from 004_0123abcd.txt",
        "../outside/copies/",
        "the footnote (l.4935-4937)",
    ],
)
def test_the_check_catches_each_kind_of_bad_citation(bad):
    assert find_bad(bad)


@pytest.mark.parametrize(
    "good",
    [
        "waits 8-12 weeks (Leiden2024 §6.2.3)",
        "Leiden2024 Table 2.1 (72% had been detained before)",
        "BrugBinnenBuiten2023 p.121 (one client per volunteer)",
        "HU2020 p.2; ESHPM2019 'Oren en ogen van de organisatie'",
        "seed = 1, 1,000 releases, 0.004 per week",
        "see README.md and docs/ODD.md",
    ],
)
def test_the_check_passes_good_citations(good):
    assert not find_bad(good, frozenset({"README.md", "ODD.md"}))


def test_no_tracked_file_cites_lines_or_private_copies():
    bad = []
    files = tracked_text_files()
    notes = frozenset(path.name for path in files) | {Path(__file__).name}
    for path in files:
        text = read_text(path)
        if text is None:
            continue
        for number, what, line in find_bad(text, notes):
            bad.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line}")
    assert not bad, "cite a key of docs/references.md and a section instead:\n" + "\n".join(bad)


def cited_keys(sources: list[str]) -> set[str]:
    return {key for source in sources for key in KEY.findall(source)}


def test_every_key_cited_by_a_parameter_is_in_the_references():
    sources = [f.metadata["source"] for f in fields(Parameters)]
    keys = cited_keys(sources)
    assert {"BrugBinnenBuiten2023", "HU2020", "Leiden2024"} <= keys
    references = REFERENCES.read_text(encoding="utf-8")
    missing = sorted(k for k in keys if f"`{k}`" not in references)
    assert not missing, f"keys cited by parameters but not in docs/references.md: {missing}"


def test_every_key_cited_by_a_target_is_in_the_references():
    targets = tomllib.loads((ROOT / "analysis" / "targets.toml").read_text(encoding="utf-8"))
    keys = cited_keys([t["source"] for t in targets["target"]])
    assert keys
    references = REFERENCES.read_text(encoding="utf-8")
    missing = sorted(k for k in keys if f"`{k}`" not in references)
    assert not missing, f"keys cited by targets but not in docs/references.md: {missing}"
