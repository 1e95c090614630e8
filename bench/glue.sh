#!/usr/bin/env bash
# Glue benchmark on moto server: plan, export and drift over many tables, and the API calls
# they make, against the Athena queries a SHOW CREATE TABLE text diff needs.
#
#   bash bench/glue.sh BUILD_DIR [--databases D] [--tables-per-database T] [--runs R]
#
# Starts moto (tests/support/moto_server.sh: 127.0.0.1, a port the OS chooses, signatures
# checked; stopped on exit) with the fault proxy in Glue mode in front of it, so GetDatabases
# and GetTables answer 100 items a page as Glue does (moto answers everything at once), then:
#   1. writes D x T table files (default 10 x 100: Parquet with a partition key, JSON SerDe,
#      CSV), records them and applies them (`strata push`);
#   2. times `strata plan` (nothing to do), `strata export` into an empty directory and
#      `strata drift`, median wall time of R runs each (default 3), whole process;
#   3. runs each once more through a counting proxy (bench/count_proxy.py): Glue API calls;
#   4. reads the same catalog the way a text-diff tool does (bench/athena_show_create.py):
#      SHOW TABLES per database and SHOW CREATE TABLE per table through Athena, timed and
#      counted.
# Prints a Markdown table and writes it to BUILD_DIR/glue-results.md.
set -euo pipefail

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench/glue.sh: %s\n' "$*" >&2; exit 2; }

usage="usage: bash bench/glue.sh BUILD_DIR [--databases D] [--tables-per-database T] [--runs R]"
[ $# -ge 1 ] || die "$usage"
build_dir=$(cd "$1" && pwd) || die "$usage"
shift
dbs=10 per=100 runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --databases) dbs=${2:?}; shift 2 ;;
    --tables-per-database) per=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    *) die "unknown argument: $1 ($usage)" ;;
  esac
done
for v in "$dbs" "$per" "$runs"; do [[ $v =~ ^[1-9][0-9]*$ ]] || die "not a positive number: $v"; done
n=$((dbs * per))

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
strata=$build_dir/strata
[ -x "$strata" ] || die "no strata binary in $build_dir (build first)"
work=$build_dir/bench-glue
rm -rf "$work"
mkdir -p "$work"
server=$work/server
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  bash "$src/tests/support/moto_server.sh" stop "$server" >/dev/null 2>&1 || true
}
trap cleanup EXIT
say "starting moto and the fault proxy in Glue mode"
bash "$src/tests/support/moto_server.sh" start "$server" >/dev/null
moto_port=$(cat "$server/port")
wait_port() { for _ in $(seq 1 100); do [ -s "$1" ] && return 0; sleep 0.1; done; die "$2 did not start"; }
python3 "$src/tests/support/fault_proxy.py" --port-file "$work/glue.port" \
  --upstream "http://127.0.0.1:$moto_port" --glue --page-size 100 &
pids+=($!)
wait_port "$work/glue.port" "the fault proxy"
endpoint="http://127.0.0.1:$(cat "$work/glue.port")"
credential() { awk -F' = ' -v k="$1" '$1 == k {print $2}' "$server/credentials"; }
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_GLUE
export AWS_ACCESS_KEY_ID=$(credential aws_access_key_id)
export AWS_SECRET_ACCESS_KEY=$(credential aws_secret_access_key)
export AWS_REGION=us-east-1 NO_COLOR=1 STRATA_ACTOR_NAME=bench

project=$work/project
mkdir -p "$project"
cat >"$project/strata.yaml" <<YAML
version: 1
schemas:
  athena: { engine: glue, path: schema/athena }
targets:
  local: { engine: glue, region: us-east-1, endpoint: "$endpoint" }
YAML
say "writing $n table files in $dbs databases"
: >"$work/databases"
for d in $(seq -w 1 "$dbs"); do
  db=bench_db$d
  echo "$db" >>"$work/databases"
  mkdir -p "$project/schema/athena/$db"
  for t in $(seq -w 1 "$per"); do
    f=$project/schema/athena/$db/t$t.sql
    case $((10#$t % 3)) in
      0) cat >"$f" <<SQL
CREATE EXTERNAL TABLE t$t (
  id bigint COMMENT 'row id', name string, price decimal(10,2),
  tags array<string>, attrs map<string,string>, payload struct<a:int,b:string>)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://bench-lake/$db/t$t/'
TBLPROPERTIES ('parquet.compression'='SNAPPY');
SQL
      ;;
      1) cat >"$f" <<SQL
CREATE EXTERNAL TABLE t$t (id bigint, kind string, at timestamp, detail struct<code:int,msg:string>)
PARTITIONED BY (year string, month string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true')
LOCATION 's3://bench-lake/$db/t$t/'
TBLPROPERTIES ('projection.enabled'='true', 'projection.year.type'='integer',
  'projection.year.range'='2020,2030', 'projection.month.type'='integer',
  'projection.month.range'='1,12', 'projection.month.digits'='2');
SQL
      ;;
      2) cat >"$f" <<SQL
CREATE EXTERNAL TABLE t$t (id int, label string, amount double)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar'=',', 'quoteChar'='"', 'escapeChar'='\\\\')
STORED AS TEXTFILE
LOCATION 's3://bench-lake/$db/t$t/'
TBLPROPERTIES ('skip.header.line.count'='1');
SQL
      ;;
    esac
  done
done

now_ms() { date +%s%3N; }
timed() {  # prints milliseconds of one run of "$@" (output discarded; exit 0 or 3 accepted)
  local t0 t1 rc=0
  t0=$(now_ms)
  "$@" >/dev/null 2>"$work/last.err" || rc=$?
  t1=$(now_ms)
  [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || { cat "$work/last.err" >&2; die "failed ($rc): $*"; }
  echo $((t1 - t0))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
repeat() { for _ in $(seq 1 "$runs"); do timed "$@"; done | median; }

cd "$project"
say "push of $n tables"
push_ms=$(timed "$strata" push --target local)
say "plan, export and drift over $n tables, $runs runs each"
plan_ms=$(repeat "$strata" plan --target local --detailed-exitcode)
export_ms=$(repeat "$strata" export --target local --dir "$work/export" --overwrite)
drift_ms=$(repeat "$strata" drift --target local)
[ "$(find "$work/export" -name '*.sql' | wc -l)" -eq "$n" ] || die "export wrote $(find "$work/export" -name '*.sql' | wc -l) files, not $n"

say "API calls, counted by a proxy"
counted() {  # counts-file command...: runs the command through a counting proxy
  local counts=$1
  shift
  rm -f "$work/count.port"
  python3 "$src/bench/count_proxy.py" "$work/count.port" "$endpoint" "$counts" &
  local pid=$!
  wait_port "$work/count.port" "the counting proxy"
  "$@" --endpoint-url "http://127.0.0.1:$(cat "$work/count.port")" >/dev/null || [ $? -eq 3 ]
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
counted "$work/plan-counts.json" "$strata" plan --target local
counted "$work/export-counts.json" "$strata" export --target local --dir "$work/export2"
counted "$work/drift-counts.json" "$strata" drift --target local
calls() { python3 -c "import json,sys; c=json.load(open(sys.argv[1])); print(c['total'], ' '.join(f'{k}={v}' for k,v in sorted(c['operations'].items())))" "$1"; }
read -r plan_total plan_ops <<<"$(calls "$work/plan-counts.json")"
read -r export_total export_ops <<<"$(calls "$work/export-counts.json")"
read -r drift_total drift_ops <<<"$(calls "$work/drift-counts.json")"

say "the text-diff read: SHOW CREATE TABLE through Athena, per table"
rm -f "$work/count.port"
python3 "$src/bench/count_proxy.py" "$work/count.port" "$endpoint" "$work/athena-counts.json" &
pids+=($!)
wait_port "$work/count.port" "the counting proxy"
athena=$(bash "$src/tests/support/moto_server.sh" python "$src/bench/athena_show_create.py" \
  "http://127.0.0.1:$(cat "$work/count.port")" "$work/databases" --glue-endpoint "$endpoint")
athena_ms=$(python3 -c "import json,sys; print(int(json.loads(sys.argv[1])['seconds'] * 1000))" "$athena")
read -r athena_total athena_ops <<<"$(calls "$work/athena-counts.json")"

per_table() { awk -v a="$1" -v b="$n" 'BEGIN {printf "%.3f", a / b}'; }
{
  echo "| measure ($n tables in $dbs databases) | wall time | API calls | calls per table |"
  echo "| --- | --- | --- | --- |"
  echo "| push (CreateDatabase, CreateTable) | $push_ms ms | – | – |"
  echo "| plan, nothing to do | $plan_ms ms | $plan_total ($plan_ops) | $(per_table "$plan_total") |"
  echo "| export to files | $export_ms ms | $export_total ($export_ops) | $(per_table "$export_total") |"
  echo "| drift, none | $drift_ms ms | $drift_total ($drift_ops) | $(per_table "$drift_total") |"
  echo "| text diff: SHOW TABLES + SHOW CREATE TABLE per table (Athena) | $athena_ms ms | $athena_total ($athena_ops) | $(per_table "$athena_total") |"
} | tee "$build_dir/glue-results.md"
