#!/usr/bin/env bash
# The matching benchmark on a throwaway PostgreSQL and Redis (scripts/stack.sh): migrates,
# loads the reference data, seeds a synthetic region and runs `manage.py bench_matching`.
# Arguments go to bench_matching, e.g. `make bench ARGS="--candidates 100000 --vacancies 10000 --worker"`;
# add `--shards 2 --workers 2` for the sharded run (worker processes each holding one candidate shard).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/stack.sh

export DJANGO_SETTINGS_MODULE=nsp_portal.settings.dev
export CELERY_TASK_ALWAYS_EAGER=false
runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres nsp_portal
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python manage.py load_reference_data --verbosity 0
.venv/bin/python manage.py bench_matching "$@"
