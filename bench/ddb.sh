#!/usr/bin/env bash
# DynamoDB benchmark on moto server: push, list and plan at scale.
#
#   bash bench/ddb.sh BUILD_DIR [--tables N] [--push-tables M] [--runs R]
#
# Starts moto (tests/support/moto_server.sh: 127.0.0.1, a port the OS chooses, signatures
# checked; stopped on exit) and signs with the user it creates, then:
#   1. push of M table files (default 100), each with two global indexes, into an empty server;
#   2. push of N more tables (default 1,000), so the server holds N + M;
#   3. `strata list` and `strata plan` over the N-table project, with --concurrency 16 (the
#      default) and --concurrency 1, median wall time of R runs (default 3);
#   4. the same list and plan once more through a counting proxy (bench/count_proxy.py): the
#      DynamoDB API calls per table.
# Prints a Markdown table and writes it to BUILD_DIR/ddb-results.md.
set -euo pipefail

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench/ddb.sh: %s\n' "$*" >&2; exit 2; }

usage="usage: bash bench/ddb.sh BUILD_DIR [--tables N] [--push-tables M] [--runs R]"
[ $# -ge 1 ] || die "$usage"
build_dir=$(cd "$1" && pwd) || die "$usage"
shift
n=1000 m=100 runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --tables) n=${2:?}; shift 2 ;;
    --push-tables) m=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    *) die "unknown argument: $1 ($usage)" ;;
  esac
done
for v in "$n" "$m" "$runs"; do [[ $v =~ ^[1-9][0-9]*$ ]] || die "not a positive number: $v"; done

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
strata=$build_dir/strata
[ -x "$strata" ] || die "no strata binary in $build_dir (build first)"
work=$build_dir/bench-ddb
rm -rf "$work"
mkdir -p "$work"
server=$work/server
cleanup() {
  [ -n "${proxy_pid:-}" ] && kill "$proxy_pid" 2>/dev/null || true
  bash "$src/tests/support/moto_server.sh" stop "$server" >/dev/null 2>&1 || true
}
trap cleanup EXIT
say "starting moto"
bash "$src/tests/support/moto_server.sh" start "$server" >/dev/null
port=$(cat "$server/port")
credential() { awk -F' = ' -v k="$1" '$1 == k {print $2}' "$server/credentials"; }
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_DYNAMODB
export AWS_ACCESS_KEY_ID=$(credential aws_access_key_id)
export AWS_SECRET_ACCESS_KEY=$(credential aws_secret_access_key)
export AWS_REGION=us-east-1 NO_COLOR=1
export STRATA_POLL_INTERVAL_MS=20 STRATA_ACTOR_NAME=bench

project() {  # dir prefix count
  local dir=$1 prefix=$2 count=$3
  mkdir -p "$dir/schema/dynamodb"
  cat >"$dir/strata.yaml" <<YAML
version: 1
schemas:
  dynamodb: { engine: dynamodb, path: schema/dynamodb }
targets:
  local: { engine: dynamodb, region: us-east-1, endpoint: "http://127.0.0.1:$port" }
YAML
  for i in $(seq -w 1 "$count"); do
    cat >"$dir/schema/dynamodb/${prefix}$i.yaml" <<YAML
table: ${prefix}$i
partition_key: { name: pk, type: S }
sort_key: { name: sk, type: N }
global_indexes:
  - name: by_owner
    partition_key: { name: owner, type: S }
  - name: by_state
    partition_key: { name: state, type: S }
    sort_key: { name: updated, type: N }
    projection: keys_only
ttl: expires_at
YAML
  done
}

now_ms() { date +%s%3N; }
timed() {  # prints milliseconds of one run of "$@" (output discarded; failure aborts)
  local t0 t1
  t0=$(now_ms)
  "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; die "failed: $*"; }
  t1=$(now_ms)
  echo $((t1 - t0))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
repeat() {  # runs "$@" R times, prints the median milliseconds
  for _ in $(seq 1 "$runs"); do timed "$@"; done | median
}

say "push of $m tables with two global indexes each"
project "$work/push" p "$m"
push_ms=$(cd "$work/push" && timed "$strata" push --target local)
say "push of $n tables for list and plan"
project "$work/big" t "$n"
big_push_ms=$(cd "$work/big" && timed "$strata" push --target local)

cd "$work/big"
say "list and plan over $n tables (+ $m other tables on the server), $runs runs each"
list16=$(repeat "$strata" list --target local --concurrency 16)
list1=$(repeat "$strata" list --target local --concurrency 1)
plan16=$(repeat "$strata" plan --target local --concurrency 16)
plan1=$(repeat "$strata" plan --target local --concurrency 1)

say "API calls, counted by a proxy"
counted() {  # counts-file command...: runs the command through a counting proxy
  local counts=$1
  shift
  rm -f "$work/proxy.port"
  python3 "$src/bench/count_proxy.py" "$work/proxy.port" "http://127.0.0.1:$port" "$counts" &
  proxy_pid=$!
  for _ in $(seq 1 100); do [ -s "$work/proxy.port" ] && break; sleep 0.1; done
  [ -s "$work/proxy.port" ] || die "the counting proxy did not start"
  "$@" --endpoint-url "http://127.0.0.1:$(cat "$work/proxy.port")" >/dev/null
  kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null || true
  proxy_pid=
}
counted "$work/list-counts.json" "$strata" list --target local
counted "$work/plan-counts.json" "$strata" plan --target local
calls() { python3 -c "import json,sys; c=json.load(open(sys.argv[1])); print(c['total'], ' '.join(f'{k}={v}' for k,v in sorted(c['operations'].items())))" "$1"; }
read -r list_total list_ops <<<"$(calls "$work/list-counts.json")"
read -r plan_total plan_ops <<<"$(calls "$work/plan-counts.json")"
all=$((n + m))
per() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

{
  echo "| measure | value |"
  echo "| --- | --- |"
  echo "| push of $m tables (2 GSIs + TTL each) into an empty server | $(per "$push_ms" 1000) s ($(per "$push_ms" "$m") ms per table) |"
  echo "| push of $n more tables | $(per "$big_push_ms" 1000) s |"
  echo "| list, $all live tables, --concurrency 16 | $list16 ms |"
  echo "| list, $all live tables, --concurrency 1 | $list1 ms |"
  echo "| plan, $n managed tables, --concurrency 16 | $plan16 ms |"
  echo "| plan, $n managed tables, --concurrency 1 | $plan1 ms |"
  echo "| list API calls | $list_total ($(per "$list_total" "$all") per table: $list_ops) |"
  echo "| plan API calls | $plan_total ($(per "$plan_total" "$n") per table: $plan_ops) |"
} | tee "$build_dir/ddb-results.md"
