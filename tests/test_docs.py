"""The repository documents itself: docs/architecture.md exists, and nothing cites a file outside it."""

import re
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOC_SUFFIXES = {".md", ".py", ".html", ".txt", ".sh", ".toml", ".yml", ".yaml", ".cfg", ".ini", ""}


def tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    files = [ROOT / name for name in listed if name]
    return [f for f in files if f.is_file() and f.suffix in DOC_SUFFIXES and f.stat().st_size < 2_000_000]


def test_architecture_and_domain_docs_exist():
    for name in ("architecture.md", "domain.md", "api.md"):
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert len(text) > 2000, name
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for heading in ("Layers", "Where code goes", "Roles", "Errors", "request flows", "rematch flows"):
        assert heading in architecture, heading


def test_nothing_cites_a_file_outside_the_repository():
    outside = re.compile(r"DESIGN\.md|\.\./shared|shared/DESIGN|shared/data")
    offenders = []
    for path in tracked_text_files():
        if path == Path(__file__):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if outside.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert offenders == []


def test_relative_links_in_the_docs_resolve():
    link = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
    broken = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in link.findall(path.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:", "/")):
                continue
            if not (path.parent / target).exists():
                broken.append(f"{path.name} -> {target}")
    assert broken == []


def test_every_script_the_makefile_calls_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    scripts = re.findall(r"bash (scripts/[\w.-]+)", makefile)
    assert {"scripts/run.sh", "scripts/test.sh", "scripts/bench.sh"} <= set(scripts)
    assert [s for s in scripts if not (ROOT / s).is_file()] == []
