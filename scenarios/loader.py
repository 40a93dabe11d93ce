"""Named scenarios (TOML files in this folder) and their loader.

A scenario file has a ``description`` and a ``[parameters]`` table of
overrides on the defaults of :class:`model.parameters.Parameters`. It may name
``base = "other"`` to start from another scenario and list only what changes.
Every failure is a :class:`ScenarioError` with a one-line message.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model.parameters import ParameterError, Parameters

DEFAULT_SCENARIOS = (  # compared by `reentry compare` and `make demo`
    "baseline",
    "buddy_antwerp",
    "buddy_caseload_3",
    "benefit_advance",
    "more_professionals",
)


HERE = Path(__file__).parent
TOP_LEVEL_KEYS = ("description", "base", "parameters")


class ScenarioError(ValueError):
    """A scenario that cannot be loaded; the message is one line for users."""


@dataclass(frozen=True)
class Scenario:
    """A named, validated parameter set."""

    name: str
    description: str
    params: Parameters
    overrides: dict[str, Any]


def available() -> dict[str, str]:
    """Name -> description of every scenario shipped in this folder."""
    out = {}
    for path in sorted(HERE.glob("*.toml")):
        out[path.stem] = _read(path).get("description", "")
    return out


def did_you_mean(word: str, options) -> str:
    """ "; did you mean 'x'?" for the closest option, or nothing."""
    hint = difflib.get_close_matches(word, list(options), n=1)
    return f"; did you mean '{hint[0]}'?" if hint else ""


def read_toml(
    path: Path, what: str, allowed: tuple[str, ...], key: str = "top-level key"
) -> dict[str, Any]:
    """A scenario or design file whose top-level keys are ``allowed``; one-line errors."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"cannot read {what} file {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{what} file {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{what} file {path} is not valid TOML: {exc}") from None
    for name in data:
        if name not in allowed:
            raise ScenarioError(
                f"{path.name}: unknown {key} '{name}'{did_you_mean(name, allowed)} "
                f"(allowed: {', '.join(allowed)})"
            )
    return data


def text_field(data: dict[str, Any], key: str, default: str, where: str) -> str:
    """The string value of ``key``, or a one-line ScenarioError naming it."""
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ScenarioError(f"{where}: {key} must be a string in quotes (got {value!r})")
    return value


def _read(path: Path) -> dict[str, Any]:
    data = read_toml(path, "scenario", TOP_LEVEL_KEYS)
    if not isinstance(data.get("parameters", {}), dict):
        raise ScenarioError(f"{path.name}: 'parameters' must be a table ([parameters])")
    for key in ("description", "base"):
        text_field(data, key, "", path.name)
    return data


def _path_for(name_or_file: str) -> Path:
    path = Path(name_or_file)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ScenarioError(f"scenario file not found: {name_or_file}")
        return path
    shipped = HERE / f"{name_or_file}.toml"
    if not shipped.is_file():
        names = sorted(available())
        raise ScenarioError(
            f"unknown scenario '{name_or_file}'{did_you_mean(name_or_file, names)} "
            f"(available: {', '.join(names)})"
        )
    return shipped


def load(name_or_file: str) -> Scenario:
    """Load a shipped scenario by name, or a TOML file by path."""
    chain: list[Path] = []
    overrides: dict[str, Any] = {}
    current: str | None = name_or_file
    description = ""
    while current is not None:
        path = _path_for(current).resolve()
        if path in chain:
            cycle = " -> ".join(p.stem for p in [*chain, path])
            raise ScenarioError(f"scenario 'base' chain has a cycle: {cycle}")
        chain.append(path)
        data = _read(path)
        description = description or data.get("description", "")
        overrides = {**data.get("parameters", {}), **overrides}
        base = data.get("base")
        current = (
            str(path.parent / f"{base}.toml")
            if base and (path.parent / f"{base}.toml").exists()
            else base
        )
    try:
        params = Parameters.from_dict(overrides)
    except ParameterError as exc:
        raise ScenarioError(f"{chain[0].name}: {exc}") from None
    return Scenario(chain[0].stem, description, params, overrides)
