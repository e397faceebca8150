"""The engine is a library: it imports no Django and no project app, so it runs without a database."""

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[3] / "matching" / "engine"
PROJECT_APPS = {"accounts", "taxonomy", "vacancies", "candidates", "applications", "demo", "nsp_portal"}
ALLOWED_THIRD_PARTY = {"numpy", "scipy"}


def test_engine_modules_import_only_the_standard_library_numpy_scipy_and_themselves():
    offenders = {}
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    assert node.level == 1, f"{path.name} reaches outside the engine"
                    continue
                names = [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                local = name.startswith("matching.engine")
                if not local and (
                    top in PROJECT_APPS | {"django", "rest_framework", "celery", "matching"}
                    or (top not in sys.stdlib_module_names and top not in ALLOWED_THIRD_PARTY)
                ):
                    offenders.setdefault(path.name, []).append(name)
    assert offenders == {}


def test_importing_and_running_the_engine_loads_no_django():
    code = (
        "import sys\n"
        "from matching.engine.synthetic import SyntheticWorld\n"
        "from matching.engine import MatchingEngine, EngineConfig\n"
        "w = SyntheticWorld.build(n_places=20, n_occupations=10, n_skills=60, seed=1)\n"
        "e = MatchingEngine(w.places, w.taxonomy, w.candidates(50), w.vacancies(3), config=EngineConfig(n_threads=1))\n"
        "assert len([m for r in e.run() for m in r.matches]) > 0\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'candidates', 'vacancies', 'taxonomy'}"
        " or (m.startswith('matching.') and not m.startswith('matching.engine')))\n"
        "assert not bad, bad\n"
    )
    root = ENGINE.parents[1]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True, env={"PYTHONPATH": str(root)})
