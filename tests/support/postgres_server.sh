#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the integration tests, the demo and the benchmarks, on
# 127.0.0.1 only.
#
#   postgres_server.sh start STATE_DIR [PORT]   initdb + start (trust auth, superuser "postgres");
#                                               the port goes to STATE_DIR/port
#   postgres_server.sh stop STATE_DIR           stop and delete the cluster
#
# PostgreSQL cannot listen on a port the OS chooses, so without PORT a free one is picked below
# the kernel's ephemeral range (32768 and up on Linux), where no client socket of another
# program can take it; if the server still finds it taken, another is tried. CTest runs these
# as the fixture "postgres". The data directory lives under /tmp so that the server's own user
# can reach it when the tests run as root (initdb refuses to run as root).
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

# A loopback port in [20000, 32767] that nothing is bound to right now.
free_port() {
  python3 - <<'PY'
import random, socket
for _ in range(200):
    port = random.randint(20000, 32767)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
PY
}

cmd=${1:-}
state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || die "usage: postgres_server.sh start|stop STATE_DIR [PORT]"
mkdir -p "$state"

case "$cmd" in
  start)
    wanted=${3:-}
    bin=$(pg_bin)
    "$0" stop "$state" >/dev/null 2>&1 || true
    rm -f "$state/port"
    data=$(mktemp -d /tmp/strata-pg.XXXXXX)
    echo "$data" >"$state/data_dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data"; fi
    chmod 700 "$data"
    as_server_user "$bin/initdb" -D "$data/db" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      >"$state/initdb.log" 2>&1 || { cat "$state/initdb.log" >&2; die "initdb failed"; }
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
      port=${wanted:-$(free_port)}
      [ -n "$port" ] || die "found no free port below 32768"
      rm -f "$data/server.log"
      if as_server_user "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >"$state/start.log" 2>&1; then
        echo "$port" >"$state/port"
        echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
        exit 0
      fi
      # Taken between the check and the start: another port (unless one was asked for).
      if [ -z "$wanted" ] && grep -q "already in use" "$data/server.log" "$state/start.log" 2>/dev/null; then
        echo "port $port was taken (attempt $attempt); trying another" >&2
        continue
      fi
      break
    done
    cat "$state/start.log" "$data/server.log" >&2 2>/dev/null || true
    die "server did not start"
    ;;
  stop)
    [ -f "$state/data_dir" ] || exit 0
    data=$(cat "$state/data_dir")
    if [ -d "$data/db" ]; then
      as_server_user "$(pg_bin)/pg_ctl" -D "$data/db" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$data" "$state/data_dir" "$state/port"
    ;;
  *) die "unknown command $cmd" ;;
esac
