#!/usr/bin/env bash
# The pages under load on a throwaway PostgreSQL and Redis (scripts/stack.sh): migrates, loads
# the reference data and runs `manage.py bench_web` (seeds the region, makes the shortlists,
# serves it with gunicorn and drives it). Arguments go to bench_web, e.g.
# `scripts/bench_web.sh --candidates 20000 --vacancies 2000 --clients 32 --seconds 10 --json`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/stack.sh

export DJANGO_SETTINGS_MODULE=nsp_portal.settings.dev
export CELERY_TASK_ALWAYS_EAGER=false
runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres nsp_portal
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python manage.py load_reference_data --verbosity 0
.venv/bin/python manage.py bench_web "$@"
