"""The benchmark scripts still import what exists: they are not run by the suite."""

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _serendip_imports(script: Path) -> list[tuple[str, str]]:
    """Every (module, name) a bench script imports from serendip."""
    found = []
    for node in ast.walk(ast.parse(script.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("serendip"):
            found.extend((node.module or "", alias.name) for alias in node.names)
    return found


@pytest.mark.parametrize("script", sorted(BENCH.glob("*.py")), ids=lambda p: p.name)
def test_every_serendip_import_of_a_bench_script_resolves(script: Path) -> None:
    """A module moved by a refactoring breaks the benchmark it feeds: catch it here."""
    missing = []
    for module, name in _serendip_imports(script):
        try:
            imported = importlib.import_module(module)
        except ImportError:
            missing.append(module)
            continue
        if not hasattr(imported, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except ImportError:
                missing.append(f"{module}.{name}")
    assert missing == []
