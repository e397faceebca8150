#!/usr/bin/env bash
# The test command: installs what the tests need, starts a throwaway PostgreSQL and Redis
# (scripts/stack.sh: data in a temporary directory, stopped afterwards, also on failure),
# checks the style and runs pytest.
# Extra arguments go to pytest, e.g. `make test ARGS="tests/accounts -x"`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/stack.sh

export DJANGO_SETTINGS_MODULE=nsp_portal.settings.test
export SCREENSHOT_DIR="${SCREENSHOT_DIR:-$ROOT/screenshots}"

# Style: the curated ruff rule set and ruff's formatting (pyproject.toml).
if [ -z "${NSP_SKIP_STYLE:-}" ]; then  # NSP_SKIP_STYLE=1 skips it for a quick local run
  .venv/bin/ruff check --quiet .
  .venv/bin/ruff format --check --quiet .
fi

# Translations compiled from the committed .po files, then the whole suite.
if [ -d locale ]; then .venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null; fi
.venv/bin/python -m pytest "$@"
