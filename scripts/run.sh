#!/usr/bin/env bash
# Quick start: a virtualenv, SQLite, reference and demo data, eager Celery, the dev server.
# Needs only Python 3.11. Run twice, it reuses the virtualenv and the database.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -r requirements.txt
  echo "$want" > "$stamp"
fi

export DJANGO_SETTINGS_MODULE=nsp_portal.settings.dev
# Links in emails point at the address this server answers on (accounts/notifications.py portal_url).
export PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://${HOST:-127.0.0.1}:${PORT:-8000}}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_reference_data
.venv/bin/python manage.py seed_demo
exec .venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
