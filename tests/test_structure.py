"""The model's modules talk through hooks, not by reaching into each other."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

MODEL = Path(__file__).parent.parent / "model"
PROVIDERS = ("buddy_programme", "professionals", "supervision")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


@pytest.mark.parametrize("module", ["release", "detention"])
def test_release_and_detention_know_no_provider_by_name(module):
    """Helpers act on release day and on (re-)detention through hooks."""
    source = (MODEL / f"{module}.py").read_text()
    assert not _imports(MODEL / f"{module}.py") & set(PROVIDERS)
    for name in ("buddy", "professional", "supervis"):
        code = [line for line in source.splitlines() if not line.lstrip().startswith("#")]
        body = "\n".join(code).split('"""', 2)[-1]  # past the module docstring
        assert name not in body.lower(), name


def test_no_mechanism_tests_for_another_with_hasattr():
    for path in MODEL.glob("*.py"):
        calls = [
            node
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "hasattr"
        ]
        assert not calls, f"{path.name} uses hasattr"


def test_no_function_in_experiments_is_over_60_lines():
    """Each command's parser sits next to its code, and no function grows into a script."""
    for path in (MODEL.parent / "experiments").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                length = node.end_lineno - node.lineno + 1
                assert length <= 60, f"{path.name}: {node.name} is {length} lines"


@pytest.fixture
def fake_mechanism(monkeypatch):
    """Makes modules as a new mechanism would write them: parameters, a column, a stream
    and an event kind, under the names given."""
    return lambda *names: _fake_mechanism(monkeypatch, *names)


def _fake_mechanism(monkeypatch, parameter: str, column: str, stream: int, kind: str):
    from dataclasses import dataclass
    from enum import IntEnum
    from types import ModuleType

    import numpy as np

    from model.declare import Events, param

    module = ModuleType("model.fake")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    fields = {parameter: param(0.5, "share", (0.0, 1.0), "assumption", "A test parameter.")}
    cls = type("FakeParameters", (), {"__annotations__": {parameter: "float"}, **fields})
    cls.__module__ = module.__name__
    module.FakeParameters = dataclass(frozen=True)(cls)
    module.STATE = {column: (np.int8, 0)}
    module.Purpose = IntEnum("Purpose", {"FAKE": stream}, module=module.__name__)
    module.EVENTS = Events((kind,), ("fake_service",))
    return module


def test_a_new_mechanism_is_gathered_into_every_registry(fake_mechanism):
    from model import mechanisms, population, services

    fake = fake_mechanism("fake_share", "fake_state", 999, "fake_event")
    chain = (population, services, fake)
    assert [c.__name__ for c in mechanisms.parameter_classes(chain)][-1] == "FakeParameters"
    assert "fake_state" in mechanisms.state_columns(chain)
    assert "age" in mechanisms.state_columns(chain)  # population's shared columns stay
    assert mechanisms.purposes(chain)["fake.FAKE"] == 999
    kinds, served, offset = mechanisms.events(chain)
    assert kinds[-1] == "fake_event" and served[offset["fake_event"]] == "fake_service"


def test_two_mechanisms_cannot_claim_the_same_name_or_stream(fake_mechanism):
    from model import mechanisms, offending, population
    from model.mechanisms import DeclarationError

    clashes = [
        (mechanisms.parameter_classes, ("share_female", "x", 999, "x"), "share_female"),
        (mechanisms.state_columns, ("x", "age", 999, "x"), "age"),
        (mechanisms.purposes, ("x", "x", int(offending.Purpose.OFFENCE), "x"), "offending.OFFENCE"),
    ]
    for gather, names, owner in clashes:
        fake = fake_mechanism(*names)
        with pytest.raises(DeclarationError, match=owner):
            gather((population, offending, fake))


def test_a_mechanism_measures_only_columns_it_declares(fake_mechanism):
    """The columns that restart after the warm-up are each claimed by their own mechanism."""
    from model import mechanisms, population
    from model.mechanisms import DeclarationError

    fake = fake_mechanism("fake_share", "fake_state", 999, "fake_event")
    fake.MEASURED = ("fake_state",)
    assert mechanisms.measured_columns((population, fake)) == ("fake_state",)
    fake.MEASURED = ("fake_state", "age")  # age is population's column, not the fake's
    with pytest.raises(DeclarationError, match=r"model\.fake measures age"):
        mechanisms.measured_columns((population, fake))


def _is_declaration(node: ast.stmt) -> bool:
    if isinstance(node, ast.ClassDef):
        return node.name.endswith("Parameters") or node.name == "Purpose"
    targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
    return any(getattr(target, "id", "") in ("STATE", "MEASURED", "EVENTS") for target in targets)


def test_every_module_that_declares_is_a_registered_mechanism():
    """A module with parameters, columns, streams or events that is not in MECHANISMS
    would be silently left out of the namespace: refuse it."""
    from model.mechanisms import MECHANISMS

    registered = {m.__name__.rsplit(".", 1)[-1] for m in MECHANISMS}
    for path in MODEL.glob("*.py"):
        tree = ast.parse(path.read_text())
        declares = [node for node in tree.body if _is_declaration(node)]
        if declares and path.stem not in ("parameters", "mechanisms"):  # the registries
            assert path.stem in registered, f"{path.name} declares but is not in MECHANISMS"


def test_the_namespace_is_the_union_of_the_mechanisms_declarations():
    from dataclasses import fields

    from model.mechanisms import STATE, parameter_classes
    from model.parameters import Parameters
    from model.population import Population

    declared = [f for c in parameter_classes() for f in c.__dataclass_fields__]
    assert [f.name for f in fields(Parameters)] == declared
    pop = Population(STATE)
    pop.add(3)
    assert {name for name in vars(pop) if name not in ("n", "columns")} == set(STATE)


def test_no_compiled_kernel_takes_more_than_eight_arguments():
    """Kernels take named bundles; a long positional list lets two arguments swap silently."""
    for path in MODEL.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            compiled = isinstance(node, ast.FunctionDef) and any(
                "njit" in ast.dump(d) for d in node.decorator_list
            )
            if compiled:
                n = len(node.args.args) + len(node.args.kwonlyargs)
                assert n <= 8, f"{path.name}: {node.name} takes {n} arguments"


def test_a_kept_bundle_follows_the_columns_it_reads():
    """Bundles are filled once and kept, so a kept bundle must never hold a column that
    adding people has replaced, nor a value derived for another call."""
    import numpy as np

    from model.bundles import Domains, bundle
    from model.mechanisms import STATE
    from model.offending import OffendingParams
    from model.parameters import Parameters
    from model.population import Population
    from model.services import ServiceParams

    pop = Population(STATE)
    pop.add(3)
    assert bundle(Domains, pop) is bundle(Domains, pop)
    pop.add(2)
    after = bundle(Domains, pop)
    assert after.has_id is pop.has_id and len(after.has_id) == 5

    p = Parameters()
    low = bundle(OffendingParams, p, offence_base_logit=-3.0)
    assert bundle(OffendingParams, p, offence_base_logit=-3.0) is low
    assert bundle(OffendingParams, p, offence_base_logit=-2.0).offence_base_logit == -2.0
    # a derived array is never compared, so a bundle always holds the one passed
    for shares in (np.array([0.1]), np.array([0.1])):
        kept = bundle(ServiceParams, p, priority_queue=False, success_by_grade=shares)
        assert kept.success_by_grade is shares
