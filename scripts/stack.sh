#!/usr/bin/env bash
# Sourced by scripts/test.sh and scripts/bench.sh: installs what is missing (Debian packages,
# the project's virtualenv with requirements-test.txt) and starts a throwaway PostgreSQL and
# Redis on free ports, their data in a temporary directory, stopped on exit (also on failure).
# After sourcing: DATABASE_URL, REDIS_URL, REDIS_PORT, REDIS_SERVER_BIN are exported.

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
[ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
stamp=.venv/.requirements-test.sha
want=$(cat requirements.txt requirements-test.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -r requirements-test.txt
  echo "$want" > "$stamp"
fi

# 3. Throwaway PostgreSQL and Redis on free ports.
free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
STACK_DIR=$(mktemp -d /tmp/nsp-stack.XXXXXX)
chmod 755 "$STACK_DIR"
PGPORT=$(free_port)
REDISPORT=$(free_port)
stack_stop() {
  status=$?
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STACK_DIR/pg" -m fast stop >/dev/null 2>&1 || true
  .venv/bin/python - "$REDISPORT" <<'PY' >/dev/null 2>&1 || true
import sys, redis
redis.Redis(port=int(sys.argv[1])).shutdown(nosave=True)
PY
  rm -rf "$STACK_DIR"
  exit $status
}
trap stack_stop EXIT INT TERM

mkdir -p "$STACK_DIR/pg"
chown postgres "$STACK_DIR" "$STACK_DIR/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$STACK_DIR/pg" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STACK_DIR/pg" -l "$STACK_DIR/pg.log" -w \
  -o "-p $PGPORT -k $STACK_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
redis-server --port "$REDISPORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$STACK_DIR" --logfile "$STACK_DIR/redis.log" >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/nsp_portal"
export REDIS_URL="redis://127.0.0.1:$REDISPORT/0"
export REDIS_PORT="$REDISPORT"
export REDIS_SERVER_BIN="$(command -v redis-server)"
