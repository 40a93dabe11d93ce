"""The vocabulary in which a mechanism module declares what it owns.

Each mechanism of the model (``model/detention.py``, ``model/offending.py``, ...)
declares, next to the code that uses them:

* ``<Name>Parameters``: a frozen dataclass of :func:`param` fields, each with its
  default, unit, allowed range, kind and source;
* ``STATE``: the person columns it owns, ``name -> (dtype, fill)``, or
  ``name -> ((dtype, rows), fill)`` for one row per service;
* ``MEASURED``: those of its columns that count what a run measures (weeks of need,
  whether a person ever had a buddy), which restart when the warm-up ends;
* ``Purpose``: an ``IntEnum`` of its random-number streams (each number unique in
  the whole model, so that two mechanisms never share draws by accident);
* ``EVENTS``: the process-log event kinds it records, and the services they refer to.

:mod:`model.mechanisms` lists the mechanisms and gathers these declarations into
the registries the rest of the code reads: one flat, validated parameter namespace
(:class:`model.parameters.Parameters`), the population's columns, the random-number
streams and the event kinds. This module imports nothing from the model, so every
mechanism can import it.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, NamedTuple

SERVICES: tuple[str, ...] = (
    "id_office",
    "shelter",
    "benefit_office",
    "addiction_care",
    "mental_health_care",
    "debt_counselling",
    "housing",
    "employment_support",
)
"""Services outside, in the order a helper works through the chain of prerequisites."""

PRISON_SERVICES: tuple[str, ...] = ("caw_support", "prison_mh_therapy", "vocational_training")
"""In-prison services with their own waiting lists (Leiden2024 §3.4, §6.2.1; sizes are
assumptions)."""

WEEKS_PER_YEAR = 52
"""The model's clock ticks in weeks; a year is 52 of them."""

KINDS = ("lever", "calibrated", "fixed")
"""What a parameter is: a policy choice (never fitted), a free assumption that
calibration may fit, or a number taken from a source."""


class ParameterError(ValueError):
    """A bad parameter name or value. The message is one line meant for users."""


def param(
    default: Any,
    unit: str,
    allowed: tuple,
    source: str,
    doc: str,
    kind: str = "calibrated",
) -> Any:
    """Declare one parameter.

    Args:
        default: Default value.
        unit: Unit of measurement ("share", "weeks", "per week", ...).
        allowed: ``(low, high)`` for numbers, or :func:`choice` for choices (strings
            and booleans).
        source: Citation such as ``"Leiden2024 §6.2.3 (8-12 weeks)"`` (a key of
            docs/references.md and a section) or ``"assumption"``.
        doc: One sentence on what it does.
        kind: ``lever`` (a policy choice, never fitted), ``calibrated`` (a free
            assumption that calibration may fit) or ``fixed`` (taken from a source).
    """
    return field(
        default=default,
        metadata={"unit": unit, "allowed": allowed, "source": source, "doc": doc, "kind": kind},
    )


def choice(*values: Any) -> tuple:
    """The allowed values of a choice parameter."""
    return ("choice", *values)


class Events(NamedTuple):
    """The process-log event kinds one mechanism records, and the services (in the
    log's ``service`` column) its records refer to by local index."""

    kinds: tuple[str, ...]
    services: tuple[str, ...]
