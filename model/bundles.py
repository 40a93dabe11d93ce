"""Named bundles for the compiled kernels: columns and parameters by their own names.

A kernel takes a few NamedTuples instead of dozens of positional arguments, so that
two arguments cannot be swapped without a name saying so. :func:`bundle` fills a
bundle from an object by field name: a bundle of population columns has the
``Population`` attribute names, a bundle of parameters the parameter table's names,
so the names are the same on both sides of the call. Values derived for the kernel
(a policy choice as a flag, three chances as one array) are passed by keyword under
names of their own.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Clock(NamedTuple):
    """Where a kernel is in time: the run's seed, the model week, the week of the run."""

    seed: int
    week: int
    run_week: int


class Domains(NamedTuple):
    """The columns behind the five basic conditions (basisvoorwaarden), in the order
    :func:`model.population.missing` takes them."""

    has_id: Any
    housing: Any
    income: Any
    debt: Any
    debt_managed: Any
    addiction: Any
    mental_health: Any
    care_met: Any


def bundle[T: tuple](cls: type[T], source: Any, **derived: Any) -> T:
    """An instance of the NamedTuple ``cls``: each field from ``derived`` if given there,
    else the attribute of the same name on ``source``; a field ``domains`` is the
    :class:`Domains` bundle of the same source."""
    values = {}
    for name in cls._fields:
        if name in derived:
            values[name] = derived[name]
        elif name == "domains":
            values[name] = bundle(Domains, source)
        else:
            values[name] = getattr(source, name)
    return cls(**values)
