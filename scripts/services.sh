#!/usr/bin/env bash
# Starts PostgreSQL and Redis on this machine when they are not answering.
# Services on other hosts (DATABASE_URL / REDIS_URL pointing elsewhere) are left alone.
set -euo pipefail

DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/jingluo}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}

is_local() { [[ "$1" =~ @(127\.0\.0\.1|localhost|\[::1\])[:/] || "$1" =~ ://(127\.0\.0\.1|localhost)[:/] ]]; }

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! pg_isready -q -d "$DATABASE_URL" 2>/dev/null; then
  if is_local "$DATABASE_URL"; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "Starting PostgreSQL $version"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 30); do pg_isready -q -d "$DATABASE_URL" && break; sleep 1; done
  fi
  pg_isready -q -d "$DATABASE_URL" || { echo "error: PostgreSQL at $DATABASE_URL does not answer" >&2; exit 1; }
fi

# A freshly installed Debian PostgreSQL asks for a password on 127.0.0.1, and its
# postgres role has none. On a development machine, trust loopback connections,
# as the machines this project runs on are set up.
if is_local "$DATABASE_URL" && ! psql "$DATABASE_URL" -Atqc "select 1" >/dev/null 2>&1 \
   && psql "${DATABASE_URL%/*}/postgres" -Atqc "select 1" 2>&1 | grep -q "authentication failed\|no password supplied"; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  echo "Allowing trusted loopback connections in $hba (development machine)"
  $SUDO sed -i '1i host all all 127.0.0.1/32 trust  # jingluo make run\nhost all all ::1/128 trust  # jingluo make run' "$hba"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
fi

redis_host_port() { python3 -c "import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p.hostname or '127.0.0.1', p.port or 6379)" "$1"; }
read -r redis_host redis_port < <(redis_host_port "$REDIS_URL")
if ! redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null 2>&1; then
  if is_local "$REDIS_URL"; then
    echo "Starting Redis on port $redis_port"
    $SUDO mkdir -p /var/lib/redis /var/log/redis
    $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$redis_port" \
      --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/jingluo.log
    for _ in $(seq 20); do redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null || { echo "error: Redis at $REDIS_URL does not answer" >&2; exit 1; }
fi
