#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the integration tests, on 127.0.0.1 only.
#
#   postgres_server.sh start STATE_DIR PORT   initdb + start (trust auth, superuser "postgres")
#   postgres_server.sh stop STATE_DIR         stop and delete the cluster
#
# CTest runs these as the fixture "postgres". The data directory lives under /tmp so that the
# server's own user can reach it when the tests run as root (initdb refuses to run as root).
set -euo pipefail

die() { printf 'postgres_server.sh: %s\n' "$*" >&2; exit 1; }

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && [ -x "$d/initdb" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql (install the postgresql package)"
  echo "$d"
}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cmd=${1:-}
state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || die "usage: postgres_server.sh start|stop STATE_DIR [PORT]"
mkdir -p "$state"

case "$cmd" in
  start)
    port=${3:?port}
    bin=$(pg_bin)
    "$0" stop "$state" >/dev/null 2>&1 || true
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port on 127.0.0.1 is taken; set STRATA_TEST_PGPORT to a free port and reconfigure"
    fi
    data=$(mktemp -d /tmp/strata-pg.XXXXXX)
    echo "$data" >"$state/data_dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data"; fi
    chmod 700 "$data"
    as_server_user "$bin/initdb" -D "$data/db" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      >"$state/initdb.log" 2>&1 || { cat "$state/initdb.log" >&2; die "initdb failed"; }
    as_server_user "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >"$state/start.log" 2>&1 || { cat "$state/start.log" "$data/server.log" >&2; die "server did not start"; }
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
    ;;
  stop)
    [ -f "$state/data_dir" ] || exit 0
    data=$(cat "$state/data_dir")
    if [ -d "$data/db" ]; then
      as_server_user "$(pg_bin)/pg_ctl" -D "$data/db" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$data" "$state/data_dir"
    ;;
  *) die "unknown command $cmd" ;;
esac
