"""The model's mechanisms, in the order a week runs them, and the registries they feed.

Each mechanism module declares what it owns next to its code (see
:mod:`model.declare`): its parameters, its person columns, its random-number streams
and its process-log events. This module lists the mechanisms once and gathers those
declarations, checking that no two mechanisms claim the same name or stream:

* :class:`model.parameters.Parameters` inherits every ``<Name>Parameters`` class, so
  the command line, scenario files, SALib designs and the ODD table see one flat,
  validated namespace;
* :data:`STATE` gives :class:`model.population.Population` its columns, and
  :data:`MEASURED` names those that restart when the warm-up ends;
* :data:`PURPOSES` names every random-number stream;
* :data:`EVENTS` gives the process log its event kinds and services.

Adding a mechanism: write its module with these declarations and a function that acts
on the model, add the module to :data:`MECHANISMS`, and call the function at its place
in :func:`model.week.one_week` (the README's development section works an example).
"""

from __future__ import annotations

from enum import IntEnum
from types import ModuleType

from . import (
    buddy_programme,
    community,
    detention,
    leaving,
    offending,
    population,
    professionals,
    release,
    services,
    supervision,
    support,
)
from .declare import Events

MECHANISMS: tuple[ModuleType, ...] = (
    population,  # who enters, with which traits and problems (the person columns they share)
    detention,  # 1-2. entering detention; inside: damage, the regime, services inside
    release,  # 3. release day
    support,  # 4a. helpers: what every helper's contact does
    supervision,  # 4a. probation
    professionals,  # 4a. case managers
    buddy_programme,  # 4a. volunteer buddies
    community,  # 4b, d, e. asking for help, life events, states with memory
    services,  # 4c. services outside and their waiting lists
    offending,  # 4f. offences, justice contact, re-detention
    leaving,  # 4g. leaving the system
)
"""The mechanisms, in the order of the week (:mod:`model.week`)."""


class DeclarationError(RuntimeError):
    """Two mechanisms claim the same parameter, column, stream or event kind."""


def _claims(what: str, owners: dict[str, str], names, module: ModuleType) -> None:
    for name in names:
        if name in owners:
            raise DeclarationError(
                f"{module.__name__} declares {what} '{name}', already declared by {owners[name]}"
            )
        owners[name] = module.__name__


def parameter_classes(mechanisms: tuple[ModuleType, ...] = MECHANISMS) -> list[type]:
    """Each mechanism's parameter dataclass, in the order of ``mechanisms``."""
    classes, owners = [], {}
    for module in mechanisms:
        own = [
            c
            for c in vars(module).values()
            if isinstance(c, type)
            and c.__module__ == module.__name__
            and c.__name__.endswith("Parameters")
        ]
        if len(own) > 1:
            raise DeclarationError(f"{module.__name__} declares more than one Parameters class")
        for c in own:
            _claims("parameter", owners, c.__dataclass_fields__, module)
            classes.append(c)
    return classes


def state_columns(mechanisms: tuple[ModuleType, ...] = MECHANISMS) -> dict[str, tuple]:
    """Every person column the ``mechanisms`` declare."""
    state, owners = {}, {}
    for module in mechanisms:
        columns = getattr(module, "STATE", {})
        _claims("column", owners, columns, module)
        state.update(columns)
    return state


def measured_columns(mechanisms: tuple[ModuleType, ...] = MECHANISMS) -> tuple[str, ...]:
    """Every person column that counts what a run measures, each from the mechanism that
    declares it in ``STATE``."""
    found: list[str] = []
    for module in mechanisms:
        own = getattr(module, "MEASURED", ())
        undeclared = sorted(set(own) - set(getattr(module, "STATE", {})))
        if undeclared:
            raise DeclarationError(
                f"{module.__name__} measures {', '.join(undeclared)}, not among its own STATE"
            )
        found.extend(own)
    return tuple(found)


def purposes(mechanisms: tuple[ModuleType, ...] = MECHANISMS) -> dict[str, int]:
    """Every random-number stream the ``mechanisms`` declare, as ``module.NAME``."""
    by_number: dict[int, str] = {}
    found = {}
    for module in mechanisms:
        own: type[IntEnum] | None = getattr(module, "Purpose", None)
        if own is None or own.__module__ != module.__name__:
            continue
        for member in own:
            name = f"{module.__name__.rsplit('.', 1)[-1]}.{member.name}"
            if int(member) in by_number:
                raise DeclarationError(
                    f"{name} uses random-number stream {int(member)}, "
                    f"already used by {by_number[int(member)]}"
                )
            by_number[int(member)] = name
            found[name] = int(member)
    return found


def events(
    mechanisms: tuple[ModuleType, ...] = MECHANISMS,
) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, int]]:
    """The event kinds the ``mechanisms`` declare, the services they refer to, and where
    each kind's services start among them."""
    kinds: list[str] = []
    all_services: list[str] = []
    offset: dict[str, int] = {}
    owners: dict[str, str] = {}
    for module in mechanisms:
        own: Events | None = getattr(module, "EVENTS", None)
        if own is None:
            continue
        _claims("event kind", owners, own.kinds, module)
        for kind in own.kinds:
            offset[kind] = len(all_services)
        kinds.extend(own.kinds)
        all_services.extend(own.services)
    return tuple(kinds), tuple(all_services), offset


STATE: dict[str, tuple] = state_columns()
"""Every person column: name -> (dtype, fill), or ((dtype, rows), fill)."""
MEASURED: tuple[str, ...] = measured_columns()
"""The person columns that count what a run measures; they restart after the warm-up."""
PURPOSES: dict[str, int] = purposes()
"""Every random-number stream: ``module.NAME`` -> its number."""
EVENT_KINDS, EVENT_SERVICES, EVENT_OFFSET = events()
"""The process log's event kinds and services, and where each kind's services start."""
