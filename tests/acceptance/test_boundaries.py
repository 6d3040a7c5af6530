"""cases never names acceptance: the acceptance app registers what cases calls (guards, the
facts-changed listener), so the import direction stays cases ← acceptance."""

import ast
from pathlib import Path

import pytest

CASES = Path(__file__).resolve().parents[2] / "cases"


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


@pytest.mark.parametrize("path", sorted(CASES.rglob("*.py")), ids=lambda p: str(p.relative_to(CASES)))
def test_cases_never_imports_acceptance(path):
    assert [name for name in _imports(path) if name.split(".")[0] == "acceptance"] == []


def test_acceptance_registers_its_listener_with_cases():
    from acceptance.domain.signing import void_changed_signatures
    from cases.domain import hooks

    assert void_changed_signatures in hooks._LISTENERS
