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

from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

import numpy as np


class Clock(NamedTuple):
    """Where a kernel is in time: the run's seed, the model week, the week of the run."""

    seed: int
    week: int
    run_week: int


class Domains(NamedTuple):
    """The columns behind the five basic conditions (basisvoorwaarden); inside a kernel,
    also one person's values of them, which :func:`model.population.missing` and
    :func:`model.services.needs` take."""

    has_id: Any
    housing: Any
    income: Any
    debt: Any
    debt_managed: Any
    addiction: Any
    mental_health: Any
    care_met: Any


class KeepsBundles:
    """A holder of the arrays kernels read (the population's columns, the buddy pool).

    The bundles filled from it are kept until one of its attributes is set again, which
    is when an array is replaced (people or buddies added): a bundle of thirty columns is
    then filled once a week instead of at every call. Changes inside an array need no
    refill, since a bundle holds the arrays themselves.
    """

    _keeps_bundles = True

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        self.__dict__.pop("_bundles", None)


def bundle[T: tuple](cls: type[T], source: Any, **derived: Any) -> T:
    """An instance of the NamedTuple ``cls``: each field from ``derived`` if given there,
    else the attribute of the same name on ``source``; a field ``domains`` is the
    :class:`Domains` bundle of the same source.

    A source that is frozen (the parameters) or a :class:`KeepsBundles` keeps the bundle
    for the next call with the same ``cls`` and equal ``derived`` scalars; a derived
    array is not compared, so a bundle with one is filled anew each call.
    """
    kept = source.__dict__.get("_bundles")
    if not derived and kept is not None:  # the common call, kept: no more work than a lookup
        last = kept.get(cls)
        if last is not None and not last[0]:  # kept without derived values
            return last[1]
    fill = _filler(cls, tuple(derived))
    if not getattr(source, "_keeps_bundles", False) or any(
        isinstance(value, np.ndarray) for value in derived.values()
    ):
        return fill(source, **derived)
    key = tuple((name, type(value), value) for name, value in derived.items())
    kept = source.__dict__.setdefault("_bundles", {})
    last = kept.get(cls)
    if last is None or last[0] != key:
        last = kept[cls] = (key, fill(source, **derived))
    return last[1]


@cache
def _filler(cls: type, derived: tuple[str, ...]) -> Callable[..., Any]:
    """The function that fills ``cls`` from a source and the ``derived`` values.

    It is written out once per bundle and set of derived names, each field read as
    ``_source.name``: a read written in the code is cached where it stands, while a
    ``getattr`` by name is looked up every time, and in a 10,000-person run this halved
    the time spent filling bundles. Field names cannot start with an underscore, so the
    names of the function's own (``_source``, ``_new``) never clash with them.
    """
    unknown = set(derived) - set(cls._fields)
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    values = [
        name if name in derived else "_domains(_source)" if name == "domains" else f"_source.{name}"
        for name in cls._fields
    ]
    namespace = {"_new": tuple.__new__, "_cls": cls}
    if "domains" in cls._fields:
        namespace["_domains"] = _filler(Domains, ())
    parameters = ", ".join(("_source", *derived))
    exec(f"def fill({parameters}):\n    return _new(_cls, ({', '.join(values)},))", namespace)
    return namespace["fill"]
