"""The layering of docs/architecture.md §1, checked on the source: who may import whom, and
that no modules import each other in a cycle."""

import ast
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = {
    "core",
    "audit",
    "accounts",
    "taxonomy",
    "vacancies",
    "candidates",
    "applications",
    "matching",
    "alerts",
    "conversations",
    "talent",
    "training",
    "routes",
    "workspace",
    "demo",
    "backups",
    "nsp_portal",
}
# Only these may import nsp_portal (settings, root URLs, the Celery app): it is the top.
MAY_IMPORT_NSP_PORTAL = {"nsp_portal", "tests", "manage.py"}


def existing_packages() -> list[str]:
    # A package another change is still creating (or has removed) is simply not checked.
    return sorted(package for package in PROJECT_PACKAGES if (ROOT / package / "__init__.py").is_file())


def imported_names(tree: ast.AST) -> set[str]:
    """Every module a file imports, wherever the import is (a function-local one counts too)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def imported_top_levels(package: str) -> dict[str, set[str]]:
    """Map each module file under ``package`` to the top-level packages it imports."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names = imported_names(ast.parse(path.read_text(encoding="utf-8")))
        found[str(path.relative_to(ROOT))] = {name.split(".")[0] for name in names}
    return found


APPS_BELOW_NSP_PORTAL = PROJECT_PACKAGES - {"nsp_portal"}
FORBIDDEN = {
    # The bottom: Django, DRF and other libraries only.
    "core": PROJECT_PACKAGES - {"core"},
    # The audit log is a bottom app too: every app may write to it, it imports only core.
    "audit": PROJECT_PACKAGES - {"audit", "core"},
    "taxonomy": PROJECT_PACKAGES - {"taxonomy", "core", "audit"},
    "accounts": PROJECT_PACKAGES - {"accounts", "taxonomy", "core", "audit"},
    "vacancies": {
        "matching",
        "candidates",
        "applications",
        "workspace",
        "demo",
        "conversations",
        "talent",
        "training",
        "routes",
        "nsp_portal",
    },
    "candidates": {
        "matching",
        "vacancies",
        "applications",
        "workspace",
        "demo",
        "conversations",
        "talent",
        "training",
        "routes",
        "nsp_portal",
    },
    "applications": {"matching", "workspace", "demo", "conversations", "talent", "training", "routes", "nsp_portal"},
    # matching scores and keeps shortlists; the figures over applications are in workspace.
    "matching": {"applications", "workspace", "demo", "conversations", "talent", "training", "routes", "nsp_portal"},
    # Job alerts read the vacancy search (vacancies); caseworkers' saved candidate searches read
    # the candidate search of candidates.selectors (scoped to the caseworker's service).
    "alerts": {
        "applications",
        "matching",
        "workspace",
        "demo",
        "conversations",
        "training",
        "routes",
        "nsp_portal",
    },
    # Messages and interviews per application sit above applications and accounts; nothing below imports them.
    "conversations": {"matching", "alerts", "workspace", "demo", "talent", "training", "routes", "nsp_portal"},
    # Employers find candidates (with consent): above candidates, vacancies, applications and matching.
    "talent": {"alerts", "conversations", "workspace", "demo", "training", "routes", "nsp_portal"},
    # Training offers are reference-like data: they know places, skills and languages, nothing of the market.
    "training": PROJECT_PACKAGES - {"training", "taxonomy", "accounts", "core", "audit"},
    # Routes join a candidate's gap for a vacancy to a training; above matching, below workspace.
    "routes": {"alerts", "conversations", "talent", "workspace", "demo", "nsp_portal"},
    "workspace": {"demo", "nsp_portal"},
    "demo": {"nsp_portal"},
    # Backups read the reference data's versions; erasures are re-applied through settings, not imports.
    "backups": PROJECT_PACKAGES - {"backups", "taxonomy", "core"},
}


def test_every_app_has_its_rule():
    assert set(FORBIDDEN) == APPS_BELOW_NSP_PORTAL
    assert all("nsp_portal" in forbidden for forbidden in FORBIDDEN.values())


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_app_imports_only_what_the_layering_allows(package):
    offenders = {
        module: sorted(names & FORBIDDEN[package])
        for module, names in imported_top_levels(package).items()
        if names & FORBIDDEN[package]
    }
    assert offenders == {}


def test_only_the_top_imports_nsp_portal():
    """Apps, scripts and anything else outside nsp_portal, tests and manage.py stay below it."""
    offenders = []
    for top in sorted(ROOT.iterdir()):
        if top.name in MAY_IMPORT_NSP_PORTAL or top.name.startswith("."):  # .venv, .git, caches
            continue
        for path in [top] if top.suffix == ".py" else top.rglob("*.py") if top.is_dir() else []:
            names = imported_names(ast.parse(path.read_text(encoding="utf-8")))
            if any(name.split(".")[0] == "nsp_portal" for name in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


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


def test_vocabulary_imports_no_django_and_no_app():
    """vocabulary/ is a pure library like the engine: taxonomy may import it, never the reverse."""
    imports = imported_top_levels("vocabulary")
    assert imports, "vocabulary/ has modules"
    offenders = {m: sorted(n & (PROJECT_PACKAGES | {"django", "rest_framework", "celery"})) for m, n in imports.items()}
    assert all(not names for names in offenders.values()), offenders


# --- cycles (grimp) ---------------------------------------------------------------------------------


@cache
def import_graph() -> grimp.ImportGraph:
    # No cache_dir: grimp would otherwise write a .grimp_cache into the work tree.
    return grimp.build_graph(*existing_packages(), exclude_type_checking_imports=True, cache_dir=None)


def module_path(module: str) -> Path:
    base = ROOT.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


@cache
def function_local_import_lines(module: str) -> frozenset[int]:
    """The lines of the imports inside a function of ``module``: they run on a call, not on import."""
    tree = ast.parse(module_path(module).read_text(encoding="utf-8"))
    lines: set[int] = set()
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return frozenset(lines)


def module_level_edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    """Who imports whom when the modules load: function-local and TYPE_CHECKING imports left out."""
    edges: dict[str, set[str]] = {module: set() for module in graph.modules}
    for importer in graph.modules:
        local = function_local_import_lines(importer)
        for imported in graph.find_modules_directly_imported_by(importer):
            details = graph.get_import_details(importer=importer, imported=imported)
            if any(detail["line_number"] not in local for detail in details):
                edges[importer].add(imported)
    return edges


def cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (or a self-import), Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_modules_import_each_other_in_a_cycle():
    """A cycle of module-level imports makes the import order matter and the modules one lump."""
    assert cycles(module_level_edges(import_graph())) == []


def test_no_apps_import_each_other_in_a_cycle():
    """Between apps even a function-local import counts: it is still a dependency on the other app."""
    graph = import_graph()
    edges: dict[str, set[str]] = {package: set() for package in existing_packages()}
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            if importer.split(".")[0] != imported.split(".")[0]:
                edges[importer.split(".")[0]].add(imported.split(".")[0])
    assert cycles(edges) == []
