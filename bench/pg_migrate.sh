#!/usr/bin/env bash
# PostgreSQL migration benchmark: strata against sqitch and dbmate.
#
#   bash bench/pg_migrate.sh BUILD_DIR [--migrations N] [--port PORT] [--runs R]
#
# Generates N small migrations (CREATE TABLE, with an ALTER TABLE ADD COLUMN and a CREATE INDEX
# among every ten) in each tool's layout under BUILD_DIR/bench-pg, starts a throwaway
# PostgreSQL cluster on 127.0.0.1:PORT (default: a free port below 32768; stopped on exit),
# applies the whole set with each tool once into its own fresh database and times the whole
# process. For strata it also times a second `migrate run` with nothing pending, `verify` and
# `log -n 20` on the log that run wrote (hyperfine means of R runs, default 5) and measures
# that log. The table is printed and written to BUILD_DIR/pg-migrate-results.md.
#
# Installs what is missing: sqitch and libdbd-pg-perl (Debian), hyperfine and jq, and dbmate
# from npm into BUILD_DIR/bench-tools (skipped, with a note, when npm cannot install it).
set -euo pipefail

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench/pg_migrate.sh: %s\n' "$*" >&2; exit 2; }

usage="usage: bash bench/pg_migrate.sh BUILD_DIR [--migrations N] [--port PORT] [--runs R]"
[ $# -ge 1 ] || die "$usage"
build_dir=$(cd "$1" && pwd) || die "$usage"
shift
n=1000
port=""  # empty: a free port below 32768, chosen by tests/support/postgres_server.sh
runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --migrations) n=${2:?--migrations needs a number}; shift 2 ;;
    --port) port=${2:?--port needs a number}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    *) die "unknown argument: $1 ($usage)" ;;
  esac
done
[[ $n =~ ^[1-9][0-9]*$ ]] || die "--migrations takes a positive whole number, not $n"
[[ -z $port || $port =~ ^[1-9][0-9]*$ ]] || die "--port takes a port number, not $port"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs takes a positive whole number, not $runs"

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
strata=$build_dir/strata
[ -x "$strata" ] || die "$strata is missing; build it first (cmake --build $build_dir --target strata)"

# ---- 1. tools --------------------------------------------------------------------------------
apt_install() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "installing: $*"
  export DEBIAN_FRONTEND=noninteractive
  local log
  log=$(mktemp)
  if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "$@"; } \
    >"$log" 2>&1; then
    cat "$log" >&2
    die "could not install $*"
  fi
  rm -f "$log"
}
missing=()
command -v sqitch >/dev/null || missing+=(sqitch)
perl -MDBD::Pg -e 1 2>/dev/null || missing+=(libdbd-pg-perl)
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v jq >/dev/null || missing+=(jq)
command -v psql >/dev/null || missing+=(postgresql-client)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

tools=$build_dir/bench-tools
dbmate=$tools/node_modules/.bin/dbmate
if ! [ -x "$dbmate" ] || ! "$dbmate" --version >/dev/null 2>&1; then
  if command -v npm >/dev/null; then
    say "installing dbmate from npm into $tools"
    mkdir -p "$tools"
    timeout 300 npm install --prefix "$tools" --no-audit --no-fund --loglevel=error dbmate \
      >"$tools/npm-install.log" 2>&1 || true
  fi
fi
if [ -x "$dbmate" ] && "$dbmate" --version >/dev/null 2>&1; then
  have_dbmate=1
else
  have_dbmate=0
  say "dbmate could not be installed from npm (see $tools/npm-install.log); skipping dbmate"
fi

# ---- 2. the cluster --------------------------------------------------------------------------
work=$build_dir/bench-pg
pg_state=$work/cluster
rm -rf "$work"
mkdir -p "$work"
cleanup() { bash "$src/tests/support/postgres_server.sh" stop "$pg_state" >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
say "starting PostgreSQL"
bash "$src/tests/support/postgres_server.sh" start "$pg_state" $port >&2
port=$(cat "$pg_state/port")
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
unset PGPASSWORD PGSERVICE PGDATABASE
pg_version=$(psql -X -At -d postgres -c 'SHOW server_version')

fresh_db() {  # fresh_db NAME: drop and create an empty database
  PGOPTIONS='-c client_min_messages=warning' dropdb --if-exists "$1"
  createdb "$1"
}

# ---- 3. the migrations -----------------------------------------------------------------------
# Migration i (1-based): every tenth adds an index on the previous table, every tenth offset
# by five adds a column to it, the rest create a table t_i.
sqls() {  # sqls I: sets up, down, desc for migration I
  local i=$1
  if ((i % 10 == 0)); then
    up="CREATE INDEX ix_$i ON t_$((i - 1)) (v);"
    down="DROP INDEX ix_$i;"
    desc="index_t_$((i - 1))"
  elif ((i % 10 == 5)); then
    up="ALTER TABLE t_$((i - 1)) ADD COLUMN c_$i integer;"
    down="ALTER TABLE t_$((i - 1)) DROP COLUMN c_$i;"
    desc="add_c_${i}_to_t_$((i - 1))"
  else
    up="CREATE TABLE t_$i (id bigint PRIMARY KEY, v text);"
    down="DROP TABLE t_$i;"
    desc="create_t_$i"
  fi
}
stamp() {  # a 14-digit timestamp i seconds after 2024-01-01 00:00:00 (28-day months)
  local i=$1
  printf '2024%02d%02d%02d%02d%02d' $((1 + i / 2419200)) $((1 + i / 86400 % 28)) \
    $((i / 3600 % 24)) $((i / 60 % 60)) $((i % 60))
}

say "generating $n migrations in the strata, sqitch and dbmate layouts under $work"
strata_dir=$work/strata
sqitch_dir=$work/sqitch
dbmate_dir=$work/dbmate
mkdir -p "$strata_dir/migrations" "$sqitch_dir"/{deploy,revert,verify} "$dbmate_dir/db/migrations"
cat >"$sqitch_dir/sqitch.conf" <<'EOF'
[core]
	engine = pg
	plan_file = sqitch.plan
	top_dir = .
EOF
{
  echo "%syntax-version=1.0.0"
  echo "%project=bench"
  echo
} >"$sqitch_dir/sqitch.plan"
tables=0
for ((i = 1; i <= n; i++)); do
  sqls "$i"
  ts=$(stamp "$i")
  ((i % 10 == 0 || i % 10 == 5)) || tables=$((tables + 1))
  printf -- '-- %s\n%s\n' "$desc" "$up" >"$strata_dir/migrations/${ts}_core_${desc}.sql"
  change=$(printf 'm%06d_%s' "$i" "$desc")
  printf -- '-- Deploy bench:%s\nBEGIN;\n%s\nCOMMIT;\n' "$change" "$up" >"$sqitch_dir/deploy/$change.sql"
  printf -- '-- Revert bench:%s\nBEGIN;\n%s\nCOMMIT;\n' "$change" "$down" >"$sqitch_dir/revert/$change.sql"
  printf -- '-- Verify bench:%s\nSELECT 1;\n' "$change" >"$sqitch_dir/verify/$change.sql"
  printf '%s 2024-01-01T00:00:00Z Bench <bench@example.com> # %s\n' "$change" "$desc" \
    >>"$sqitch_dir/sqitch.plan"
  printf -- '-- migrate:up\n%s\n\n-- migrate:down\n%s\n' "$up" "$down" \
    >"$dbmate_dir/db/migrations/${ts}_${desc}.sql"
done

# ---- 4. one run of each tool -----------------------------------------------------------------
now() { date +%s.%N; }
declare -A seconds=()
check_tables() {  # check_tables DB TOOL: the database has every table the migrations create
  local got
  got=$(psql -X -At -d "$1" -c "SELECT count(*) FROM pg_tables
                                WHERE schemaname = 'public' AND tablename ~ '^t_[0-9]+$'")
  [ "$got" = "$tables" ] || die "$2 left $got of $tables tables in database $1"
}
timed() {  # timed TOOL LOGFILE COMMAND...: runs COMMAND once, output to LOGFILE
  local tool=$1 logfile=$2 t0 t1
  shift 2
  t0=$(now)
  if ! "$@" >"$logfile" 2>&1; then
    tail -20 "$logfile" >&2
    die "$tool failed; its output is in $logfile"
  fi
  t1=$(now)
  seconds[$tool]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  say "$tool: ${seconds[$tool]} s"
}

say "strata migrate run --with-psql ($n migrations, each through a psql process)"
fresh_db strata_psql_bench
rm -rf "$strata_dir/.strata"
timed strata_psql "$work/strata-psql-run.log" \
  env -C "$strata_dir" PGDATABASE=strata_psql_bench "$strata" --project "$strata_dir" \
  migrate run migrations --with-psql
check_tables strata_psql_bench "strata --with-psql"
rm -rf "$strata_dir/.strata"
# The log measured below is the default run's: run it last.
say "strata migrate run ($n migrations, each recorded in the log)"
fresh_db strata_bench
timed strata "$work/strata-run.log" \
  env -C "$strata_dir" PGDATABASE=strata_bench "$strata" --project "$strata_dir" migrate run migrations
check_tables strata_bench strata

# Debian's psql on PATH is a Perl wrapper that picks a client version; sqitch starts it per
# change unless told the client binary itself, so it runs both ways.
psql_binary=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
say "sqitch deploy ($n changes)"
fresh_db sqitch_bench
timed sqitch "$work/sqitch-deploy.log" \
  env -C "$sqitch_dir" SQITCH_FULLNAME=Bench SQITCH_EMAIL=bench@example.com \
  sqitch deploy "db:pg://postgres@127.0.0.1:$port/sqitch_bench"
check_tables sqitch_bench sqitch
if [ -n "$psql_binary" ]; then
  say "sqitch deploy --db-client $psql_binary ($n changes)"
  fresh_db sqitch_client_bench
  timed sqitch_client "$work/sqitch-client-deploy.log" \
    env -C "$sqitch_dir" SQITCH_FULLNAME=Bench SQITCH_EMAIL=bench@example.com \
    sqitch deploy --db-client "$psql_binary" "db:pg://postgres@127.0.0.1:$port/sqitch_client_bench"
  check_tables sqitch_client_bench "sqitch --db-client"
fi

if [ "$have_dbmate" = 1 ]; then
  say "dbmate up ($n migrations)"
  fresh_db dbmate_bench
  timed dbmate "$work/dbmate-up.log" \
    env -C "$dbmate_dir" "DATABASE_URL=postgres://postgres@127.0.0.1:$port/dbmate_bench?sslmode=disable" \
    "$dbmate" up
  check_tables dbmate_bench dbmate
fi

# ---- 5. strata after the run -----------------------------------------------------------------
out=$work/hyperfine
mkdir -p "$out"
hf() {  # hf NAME COMMAND: hyperfine mean in seconds to $out/NAME.json
  hyperfine -N --style basic --warmup 1 --runs "$runs" --export-json "$out/$1.json" "$2" >&2
}
say "timing strata migrate run with nothing pending, verify and log -n 20"
hf noop "env -C $strata_dir PGDATABASE=strata_bench $strata --project $strata_dir migrate run migrations"
hf verify "$strata --project $strata_dir verify"
hf log "$strata --project $strata_dir log -n 20"
commits=$("$strata" --project "$strata_dir" log --json | jq '.commits | length')
log_bytes=$(du -cb "$strata_dir"/.strata/*.log | tail -1 | cut -f1)
dir_bytes=$(du -sb "$strata_dir/.strata" | cut -f1)

# ---- 6. the table ----------------------------------------------------------------------------
mean_ms() { jq -r '.results[0].mean * 1000' "$out/$1.json"; }
fmt_ms() { awk -v v="$1" 'BEGIN { printf (v < 10 ? "%.2f" : "%.1f"), v }'; }
per() { awk -v s="$1" -v n="$n" 'BEGIN { printf "%.2f", s * 1000 / n }'; }
row() { echo "| $1 | $2 | $(per "$2") |"; }

mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
results=$build_dir/pg-migrate-results.md
{
  echo "# PostgreSQL migration benchmark"
  echo
  echo "$n migrations ($tables CREATE TABLE, the rest ALTER TABLE ADD COLUMN and CREATE INDEX),"
  echo "each tool once into a fresh database. PostgreSQL $pg_version on 127.0.0.1 (fsync off)."
  echo "Machine: $(nproc) cores ($cpu), $mem RAM. $(date -u +%Y-%m-%dT%H:%MZ)."
  echo
  echo "| tool | total s | ms per migration |"
  echo "|---|---|---|"
  row "strata \`migrate run\` (records each migration in the log)" "${seconds[strata]}"
  row "strata \`migrate run --with-psql\` (a psql process per migration; recorded too)" "${seconds[strata_psql]}"
  row "sqitch $(sqitch --version | awk '{print $NF}') \`deploy\` (psql on PATH: Debian's wrapper)" "${seconds[sqitch]}"
  if [ -n "${seconds[sqitch_client]:-}" ]; then
    row "sqitch \`deploy --db-client $psql_binary\`" "${seconds[sqitch_client]}"
  fi
  if [ "$have_dbmate" = 1 ]; then
    row "dbmate $("$dbmate" --version | awk '{print $NF}') \`up\`" "${seconds[dbmate]}"
  else
    echo "| dbmate | not run (could not be installed from npm) | |"
  fi
  echo
  echo "strata on the resulting log ($commits commits; hyperfine mean of $runs runs):"
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| \`migrate run\` with nothing pending | $(fmt_ms "$(mean_ms noop)") ms |"
  echo "| \`verify\` | $(fmt_ms "$(mean_ms verify)") ms |"
  echo "| \`log -n 20\` | $(fmt_ms "$(mean_ms log)") ms |"
  echo "| log segments | $log_bytes bytes ($(awk -v b="$log_bytes" -v n="$n" 'BEGIN { printf "%.0f", b / n }') per migration) |"
  echo "| .strata in all (with the index) | $dir_bytes bytes |"
} >"$results"
cat "$results"
say "written to $results"
