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
from numba import njit


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
        if last is not None:
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


def kernel(function: Callable[..., Any]) -> Kernel:
    """``@njit(cache=True)`` for a kernel that Python calls with bundles (see :class:`Kernel`)."""
    return Kernel(njit(cache=True)(function))


class Kernel:
    """A compiled kernel called from Python, without numba's typing of every argument on
    every call.

    numba's dispatcher works out the type of each argument at each call, and for a
    NamedTuple it does so field by field in Python: 10-15 µs a call for a kernel with
    three bundles, several times what a small run's kernels compute. A kept bundle is
    the same object from call to call, and a tuple's fields, an array's dtype, shape
    rank and layout cannot change, so its type is worked out once; arrays and numbers
    are keyed by what numba's type of them depends on. The compiled code for those keys
    is then called directly. Anything else (a list, a keyword) goes through numba as
    usual, as does the first call with new types, which compiles or loads the code.
    """

    def __init__(self, dispatcher: Any) -> None:
        self.dispatcher = dispatcher
        self.py_func = dispatcher.py_func
        self.__name__, self.__doc__ = self.py_func.__name__, self.py_func.__doc__
        self._compiled: dict[tuple, Callable[..., Any]] = {}
        self._tuples: dict[int, tuple[tuple, int]] = {}
        self._types: dict[Any, int] = {}

    def __call__(self, *args: Any) -> Any:
        key = self._key(args)
        compiled = self._compiled.get(key) if key is not None else None
        if compiled is not None:
            return compiled(*args)
        result = self.dispatcher(*args)
        if key is not None:
            types = tuple(self.dispatcher.typeof_pyval(a) for a in args)
            overload = self.dispatcher.overloads.get(types)
            if overload is not None:
                self._compiled[key] = overload.entry_point
        return result

    def _key(self, args: tuple) -> tuple | None:
        """What numba's types of ``args`` depend on, cheap to hash; None if unsure."""
        key = []
        for value in args:
            if not isinstance(value, tuple):
                token = _token(value)
                if token is None:
                    return None
                key.append(token)
                continue
            # tuples by identity, least recently used first out: a kept bundle stays,
            # a new Clock each call passes through; held here, so no id is reused
            known = self._tuples.pop(id(value), None)
            if known is None or known[0] is not value:
                known = (value, self._tuple_key(value))
                if len(self._tuples) >= 32:
                    del self._tuples[next(iter(self._tuples))]
            self._tuples[id(value)] = known
            key.append(known[1])
        return tuple(key)

    def _tuple_key(self, value: tuple) -> Any:
        """A tuple of numbers by its class and their types; any other tuple by numba's
        type of it, numbered (numba's types are slow to hash)."""
        tokens = tuple(map(_token, value))
        if all(type(t) is type for t in tokens):
            return (type(value), *tokens)
        return self._types.setdefault(self.dispatcher.typeof_pyval(value), len(self._types))


def _token(value: Any) -> Any:
    """What numba's type of an array or number depends on; None for anything else."""
    kind = type(value)
    if kind is np.ndarray:  # the flags' bits hold the layout, alignment and writeability
        return (value.dtype, value.ndim, value.flags.num)
    if kind is int:
        return int if -(2**63) <= value < 2**63 else None
    if kind is float or kind is bool or isinstance(value, np.generic):
        return kind
    return None
