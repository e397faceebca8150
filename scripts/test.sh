#!/usr/bin/env bash
# The test command: installs what the tests need, starts a throwaway PostgreSQL and Redis
# (data in a temporary directory, stopped afterwards, also on failure) and runs pytest.
# Extra arguments go to pytest, e.g. `make test ARGS="tests/accounts -x"`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Debian packages: PostgreSQL, Redis, Chromium (browser tests), gettext (translations).
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v chromium >/dev/null || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
PGBIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")

# 2. Python packages in the project's virtualenv.
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=.venv/.requirements-test.sha
want=$(cat requirements.txt requirements-test.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -r requirements-test.txt
  echo "$want" > "$stamp"
fi

# 3. Throwaway PostgreSQL and Redis on free ports.
free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
TMPDIR_TESTS=$(mktemp -d /tmp/nsp-tests.XXXXXX)
chmod 755 "$TMPDIR_TESTS"
PGPORT=$(free_port)
REDISPORT=$(free_port)
cleanup() {
  status=$?
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$TMPDIR_TESTS/pg" -m fast stop >/dev/null 2>&1 || true
  .venv/bin/python - "$REDISPORT" <<'PY' >/dev/null 2>&1 || true
import sys, redis
redis.Redis(port=int(sys.argv[1])).shutdown(nosave=True)
PY
  rm -rf "$TMPDIR_TESTS"
  exit $status
}
trap cleanup EXIT INT TERM

mkdir -p "$TMPDIR_TESTS/pg"
chown postgres "$TMPDIR_TESTS" "$TMPDIR_TESTS/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$TMPDIR_TESTS/pg" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$TMPDIR_TESTS/pg" -l "$TMPDIR_TESTS/pg.log" -w \
  -o "-p $PGPORT -k $TMPDIR_TESTS -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
redis-server --port "$REDISPORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$TMPDIR_TESTS" --logfile "$TMPDIR_TESTS/redis.log" >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/nsp_portal"
export REDIS_URL="redis://127.0.0.1:$REDISPORT/0"
export REDIS_PORT="$REDISPORT"
export REDIS_SERVER_BIN="$(command -v redis-server)"
export DJANGO_SETTINGS_MODULE=nsp_portal.settings.test
export SCREENSHOT_DIR="${SCREENSHOT_DIR:-$ROOT/screenshots}"

# 4. Style: the curated ruff rule set and ruff's formatting (pyproject.toml).
if [ -z "${NSP_SKIP_STYLE:-}" ]; then  # NSP_SKIP_STYLE=1 skips it for a quick local run
  .venv/bin/ruff check --quiet .
  .venv/bin/ruff format --check --quiet .
fi

# 5. Translations compiled from the committed .po files, then the whole suite.
if [ -d locale ]; then .venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null; fi
.venv/bin/python -m pytest "$@"
