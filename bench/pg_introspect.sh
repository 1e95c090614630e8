#!/usr/bin/env bash
# Times PostgreSQL introspection on 1,000 tables with 11,000 columns (target: <= 1 s), and with
# `-- --migrations N` the incremental capture of N one-line migrations after it (target: <= 20 ms
# each at 1,000+ tables), e.g.
#
#   bash bench/pg_introspect.sh BUILD_DIR [PORT] [-- pg_introspect_tool args...]
#   bash bench/pg_introspect.sh build -- --tables 1104 --columns 11040 --migrations 300
#
# Starts a throwaway cluster on 127.0.0.1:PORT (default: a free port below 32768) with
# tests/support/postgres_server.sh, runs BUILD_DIR/bench/pg_introspect_tool against a fresh
# database there, and stops the cluster again, also on failure.
set -euo pipefail

die() { printf 'bench/pg_introspect.sh: %s\n' "$*" >&2; exit 2; }

[ $# -ge 1 ] || die "usage: bash bench/pg_introspect.sh BUILD_DIR [PORT] [-- tool args...]"
build_dir=$(cd "$1" && pwd)
shift
port=""
if [ $# -gt 0 ] && [ "$1" != "--" ]; then port=$1; shift; fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift

here=$(cd "$(dirname "$0")" && pwd)
tool=$build_dir/bench/pg_introspect_tool
[ -x "$tool" ] || die "$tool is missing; build it (cmake --build $build_dir --target pg_introspect_tool)"

state=$build_dir/bench-pg
server=$here/../tests/support/postgres_server.sh
trap 'bash "$server" stop "$state"' EXIT
bash "$server" start "$state" $port >&2
port=$(cat "$state/port")

psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE bench" >&2
cmd=("$tool" --conninfo "host=127.0.0.1 port=$port user=postgres dbname=bench" "$@")
printf '$ %s\n' "${cmd[*]}"
"${cmd[@]}"
