"""The model's modules talk through hooks, not by reaching into each other."""

from __future__ import annotations

import ast
from pathlib import Path

MODEL = Path(__file__).parent.parent / "model"
PROVIDERS = ("buddy_programme", "professionals", "supervision")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


def test_release_day_knows_no_provider_by_name():
    source = (MODEL / "release.py").read_text()
    assert not _imports(MODEL / "release.py") & set(PROVIDERS)
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
