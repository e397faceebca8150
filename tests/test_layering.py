"""The layering of DESIGN.md §2, checked on the source: who may import whom."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = {"accounts", "taxonomy", "vacancies", "candidates", "applications", "matching", "demo", "nsp_portal"}


def imported_top_levels(package: str) -> dict[str, set[str]]:
    """Map each module file under ``package`` to the top-level packages it imports."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(str(node.args[0].value).split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


FORBIDDEN = {
    "taxonomy": PROJECT_PACKAGES - {"taxonomy"},
    "accounts": PROJECT_PACKAGES - {"accounts", "taxonomy"},
    "vacancies": {"matching", "candidates", "applications", "demo"},
    "candidates": {"matching", "vacancies", "applications", "demo"},
    "applications": {"matching", "demo"},
    "matching": {"demo"},
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_app_imports_only_what_the_layering_allows(package):
    offenders = {
        module: sorted(names & FORBIDDEN[package])
        for module, names in imported_top_levels(package).items()
        if names & FORBIDDEN[package]
    }
    assert offenders == {}


def test_matching_engine_imports_no_django_and_no_app():
    engine = {m: n for m, n in imported_top_levels("matching").items() if m.startswith("matching/engine/")}
    assert engine, "matching/engine/ has modules"
    offenders = {
        m: sorted(n & (PROJECT_PACKAGES | {"django", "rest_framework", "celery"}) - {"matching"})
        for m, n in engine.items()
    }
    assert all(not names for names in offenders.values()), offenders
    # Relative imports inside the engine stay inside it: `from ..models` would reach Django.
    for path in (ROOT / "matching" / "engine").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level > 1:
                depth_ok = len(path.relative_to(ROOT / "matching" / "engine").parts) >= node.level
                assert depth_ok, f"{path} reaches outside the engine"
    # And absolute imports of matching.* from the engine must stay in matching.engine.
    for path in (ROOT / "matching" / "engine").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("matching"):
                assert node.module.startswith("matching.engine"), f"{path} imports {node.module}"
