"""Every model parameter, in one flat, typed and validated namespace.

Each mechanism declares its own parameters next to its code (see :mod:`model.declare`);
:class:`Parameters` gathers them in the order of :data:`model.mechanisms.MECHANISMS`.

Each parameter has a default, a unit, an allowed range and a source: a place in
one of the four source documents, cited by a short key and a chapter, section,
table, figure or page (``Leiden2024 §6.2.3`` means section 6.2.3 of the Leiden
study, ``BrugBinnenBuiten2023 p.121`` page 121 of the Antwerp book), or
``assumption``. docs/references.md gives the full reference behind each key, and
docs/sources.md quotes each passage.
An assumption is a number that no source gives; its range is the plausible span for
sensitivity analysis, never a finding. ``kind`` separates policy ``lever``
parameters (never calibrated) from ``calibrated`` free parameters and ``fixed``
numbers read off a source.

Parameters are set from a dict (``Parameters.from_dict``) or a TOML file; a bad
name or value raises :class:`ParameterError` with a one-line message naming the
field and the allowed values.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import MISSING, asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from .declare import PRISON_SERVICES, SERVICES, ParameterError
from .mechanisms import parameter_classes

__all__ = ["PRISON_SERVICES", "SERVICES", "ParameterError", "Parameters", "parameter_table"]


# Dataclass fields come base-last-first, so the reversed list keeps the mechanisms' order.
@dataclass(frozen=True)
class Parameters(*reversed(parameter_classes())):
    """All parameters of :class:`model.ReentryModel`, in one flat namespace.

    Each mechanism declares its own parameters next to its code (``DetentionParameters``
    in :mod:`model.detention`, ...); this class inherits them all, in the order of
    :data:`model.mechanisms.MECHANISMS`. Field metadata holds unit, allowed range,
    source and kind; see :func:`parameter_table` for a printable table.
    """

    # frozen: the kernels' parameter bundles are filled once (model.bundles)
    _keeps_bundles = True

    # -------------------------------------------------------------------------
    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            _check(f.name, value, f.metadata, f.type)
            # TOML and samplers give 6.0 for 6; store each value in its declared type.
            if f.type in ("int", "float") and not isinstance(value, bool):
                object.__setattr__(self, f.name, int(value) if f.type == "int" else float(value))
        if self.benefit_delay_min_weeks > self.benefit_delay_max_weeks:
            raise ParameterError(
                "benefit_delay_min_weeks must be <= benefit_delay_max_weeks "
                f"(got {self.benefit_delay_min_weeks} > {self.benefit_delay_max_weeks})"
            )
        if self.detention_share_short + self.detention_share_medium > 1:
            raise ParameterError(
                "detention_share_short + detention_share_medium must be <= 1 "
                f"(got {self.detention_share_short + self.detention_share_medium:.3f})"
            )

    @classmethod
    def from_dict(cls, values: dict[str, Any], base: Parameters | None = None) -> Parameters:
        """Build parameters from a dict, on top of ``base`` (defaults if None).

        Raises:
            ParameterError: unknown name (with a suggestion) or a bad value.
        """
        names = {f.name for f in fields(cls)}
        for key in values:
            if key not in names:
                hint = difflib.get_close_matches(key, sorted(names), n=1)
                did = f"; did you mean '{hint[0]}'?" if hint else ""
                raise ParameterError(f"unknown parameter '{key}'{did}")
        return replace(base or cls(), **values)

    @classmethod
    def from_toml(cls, path: str | Path) -> Parameters:
        """Read parameters from a TOML file with a ``[parameters]`` table or flat keys."""
        try:
            data = tomllib.loads(Path(path).read_text())
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ParameterError(f"cannot read parameter file {path}: {exc}") from None
        return cls.from_dict(data.get("parameters", data))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check(name: str, value: Any, meta: Any, typ: Any) -> None:
    allowed = meta["allowed"]
    if allowed and allowed[0] == "choice":
        choices = allowed[1:]
        if not any(value is c or (type(value) is type(c) and value == c) for c in choices):
            shown = ", ".join(repr(c).lower() if isinstance(c, bool) else repr(c) for c in choices)
            raise ParameterError(f"{name} must be one of {shown} (got {value!r})")
        return
    lo, hi = allowed
    want_int = typ in ("int", int)
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = "an integer" if want_int else "a number"
        raise ParameterError(f"{name} must be {kind} in [{lo}, {hi}] (got {value!r})")
    if want_int and float(value) != int(value):
        raise ParameterError(f"{name} must be an integer in [{lo}, {hi}] (got {value!r})")
    if not lo <= value <= hi:
        raise ParameterError(f"{name} must be in [{lo}, {hi}] {meta['unit']} (got {value!r})")


def parameter_table() -> list[dict[str, Any]]:
    """One row per parameter: name, default, unit, allowed, kind, source, doc."""
    rows = []
    for f in fields(Parameters):
        m = f.metadata
        allowed = m["allowed"]
        shown = (
            " | ".join(str(v) for v in allowed[1:])
            if allowed[0] == "choice"
            else f"{allowed[0]} to {allowed[1]}"
        )
        default = f.default if f.default is not MISSING else None
        rows.append(
            {
                "name": f.name,
                "default": default,
                "unit": m["unit"],
                "allowed": shown,
                "kind": m["kind"],
                "source": m["source"],
                "doc": m["doc"],
            }
        )
    return rows
