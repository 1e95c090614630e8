#!/usr/bin/env bash
# Benchmarks of strata against the targets in docs/benchmarks.md.
#
#   bash bench/run.sh BUILD_DIR [--events N] [--tables N] [--seed N] [--runs N] [--no-micro]
#
# (`./dev bench` calls it with its build directory.) Generates a history of 1M events over
# 10,000 DynamoDB tables into BUILD_DIR/bench-data (reused when the parameters match), times the
# CLI as whole processes with hyperfine, measures log and index sizes, runs the Google Benchmark
# micro-benchmarks, and writes the results table to BUILD_DIR/bench-results.md.
set -euo pipefail

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 2; }

[ $# -ge 1 ] || die "usage: bash bench/run.sh BUILD_DIR [--events N] [--tables N] [--seed N] [--runs N] [--no-micro]"
build_dir=$(cd "$1" && pwd)
shift
events=1000000
tables=10000
seed=1
runs=10
micro=1
while [ $# -gt 0 ]; do
  case "$1" in
    --events) events=$2; shift 2 ;;
    --tables) tables=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --no-micro) micro=0; shift ;;
    *) die "unknown argument: $1" ;;
  esac
done

strata=$build_dir/strata
gen=$build_dir/bench/gen_history_tool
micro_bin=$build_dir/bench/strata_bench
for bin in "$strata" "$gen"; do
  [ -x "$bin" ] || die "$bin is missing; build first (./dev build)"
done

# hyperfine times whole processes; jq reads its JSON. Installed like ./dev installs the rest.
install_missing() {
  local missing=()
  command -v hyperfine >/dev/null || missing+=(hyperfine)
  command -v jq >/dev/null || missing+=(jq)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
install_missing

data=$build_dir/bench-data
project=$data/history-e$events-t$tables-s$seed
manifest=$project/gen_history.txt
out=$data/results
mkdir -p "$out"

# ---- 1. the history ------------------------------------------------------------------------
params="events:$events tables:$tables seed:$seed"
if [ -f "$manifest" ] && grep -qx "params=$params" "$manifest"; then
  say "reusing the history in $project"
else
  say "generating $events events over $tables tables into $project"
  rm -rf "$project"
  mkdir -p "$project"
  "$gen" --dir "$project" --events "$events" --tables "$tables" --seed "$seed"
fi
value() { sed -n "s/^$1=//p" "$manifest" | head -1; }
commits=$(value commits)
n_events=$(value events)
n_tables=$(value tables)

# ---- 2. sizes --------------------------------------------------------------------------------
say "warming the index (built on first use)"
"$strata" --project "$project" log -n 1 >/dev/null
log_bytes=$(du -cb "$project"/.strata/*.log | tail -1 | cut -f1)
index_bytes=$(du -cb "$project"/.strata/index.sqlite* | tail -1 | cut -f1)

# ---- 3. whole-process timings ----------------------------------------------------------------
hf() {  # hf NAME [hyperfine args...]: results in $out/NAME.json
  local name=$1
  shift
  hyperfine -N --style basic --export-json "$out/$name.json" "$@" >&2
}

say "timing strata verify"
hf verify --warmup 1 --runs "$runs" "$strata --project $project verify"

say "timing strata log -n 20"
hf log --warmup 3 --runs "$((runs * 5))" "$strata --project $project log -n 20"

# Probes are (seq, table) pairs where the table exists; the generator picks them uniformly.
probes=$(sed -n 's/^probe=//p' "$manifest" | paste -sd, -)
say "timing strata show --at SEQ TABLE at $(sed -n 's/^probe=//p' "$manifest" | wc -l) points"
hf show_table --warmup 1 --runs "$runs" --parameter-list probe "$probes" \
  "$strata --project $project show --at {probe}"

# The whole schema at points where every table exists (tables are created over the first 90%).
whole=$(printf '%s,%s,%s' "$commits" "$((commits * 97 / 100))" "$((commits * 93 / 100))")
say "timing strata show --at SEQ (all $n_tables tables) at seqs $whole"
hf show_all --warmup 1 --runs "$runs" --parameter-list seq "$whole" \
  "$strata --project $project show --at {seq}"

say "timing the first-time index build"
index=$project/.strata/index.sqlite
hf index_build --runs 3 --prepare "rm -f $index $index-wal $index-shm $index-journal" \
  "$strata --project $project log -n 1"
index_bytes_fresh=$(du -cb "$index"* | tail -1 | cut -f1)

# ---- 4. micro-benchmarks (Google Benchmark) --------------------------------------------------
append_ms=""
if [ "$micro" = 1 ] && [ -x "$micro_bin" ]; then
  say "running strata_bench (store and index micro-benchmarks)"
  (cd "$data" && "$micro_bin" --benchmark_out="$out/micro.json" --benchmark_out_format=json \
    --benchmark_repetitions=1 >&2)
  append_ms=$(jq -r '.benchmarks[] | select(.name | startswith("BM_AppendOneCommitFsync"))
                     | .real_time / 1000' "$out/micro.json" | head -1)
fi

# ---- 5. the table ----------------------------------------------------------------------------
mean_ms() { jq -r "[.results[].mean] | add / length * 1000" "$out/$1.json"; }
max_ms() { jq -r "[.results[].mean] | max * 1000" "$out/$1.json"; }
stddev_ms() { jq -r "[.results[].stddev] | max * 1000" "$out/$1.json"; }
verify_s=$(jq -r '.results[0].mean' "$out/verify.json")
verify_user_s=$(jq -r '.results[0].user' "$out/verify.json")
rate=$(awk -v e="$n_events" -v s="$verify_s" 'BEGIN { printf "%.2f", e / s / 1e6 }')
per_event=$(awk -v b="$log_bytes" -v e="$n_events" 'BEGIN { printf "%.1f", b / e }')
ratio=$(awk -v i="$index_bytes" -v l="$log_bytes" 'BEGIN { printf "%.2f", i / l }')

# versus KIND MEASURED TARGET: "2.1x better than target" / "misses by 40%"
versus() {
  awk -v kind="$1" -v m="$2" -v t="$3" 'BEGIN {
    if (m == "" || m == 0) { print "n/a"; exit }
    good = (kind == "max") ? (m <= t) : (m >= t)
    f = (kind == "max") ? t / m : m / t
    if (good) printf "met: %.1fx better than target\n", f
    else printf "**missed** by %.0f%%\n", (kind == "max") ? (m / t - 1) * 100 : (1 - m / t) * 100
  }'
}
fmt_ms() { awk -v v="$1" 'BEGIN { printf (v < 10 ? "%.2f ms" : "%.1f ms"), v }'; }

show_worst=$(max_ms show_table)
show_all_worst=$(max_ms show_all)
log_ms=$(mean_ms log)
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build_dir/CMakeCache.txt")

results=$build_dir/bench-results.md
{
  echo "# strata benchmark results"
  echo
  echo "History: $n_events events in $commits commits over $n_tables DynamoDB tables (seed $seed)."
  echo "Build: $build_type. Times are hyperfine means of whole processes; $(date -u +%Y-%m-%dT%H:%MZ)."
  echo
  echo "| # | measure | target | measured | vs target |"
  echo "|---|---|---|---|---|"
  echo "| 1 | replay rate of \`strata verify\` (events / wall time) | >= 0.5 M events/s | $rate M events/s | $(versus min "$rate" 0.5) |"
  echo "| 2 | \`strata show --at SEQ TABLE\`, worst of $(sed -n 's/^probe=//p' "$manifest" | wc -l) random points (mean of all: $(fmt_ms "$(mean_ms show_table)")) | <= 30 ms | $(fmt_ms "$show_worst") | $(versus max "$show_worst" 30) |"
  echo "| 3 | \`strata show --at SEQ\`, all $n_tables tables, worst of 3 points (mean: $(fmt_ms "$(mean_ms show_all)")) | <= 150 ms | $(fmt_ms "$show_all_worst") | $(versus max "$show_all_worst" 150) |"
  echo "| 4 | \`strata verify\` wall time (user CPU $(printf '%.2f' "$verify_user_s") s) | <= 2 s | $(printf '%.2f' "$verify_s") s | $(versus max "$verify_s" 2) |"
  echo "| 5 | \`strata log -n 20\` | <= 20 ms | $(fmt_ms "$log_ms") | $(versus max "$log_ms" 20) |"
  echo "| 6 | log bytes per event ($log_bytes bytes of segments) | <= 75 | $per_event | $(versus max "$per_event" 75) |"
  echo "| 7 | index size / log size ($index_bytes bytes of index) | <= 2x | ${ratio}x | $(versus max "$ratio" 2) |"
  if [ -n "$append_ms" ]; then
    echo "| 8 | \`CommitWriter::Append\` of one commit with fsync | (none) | $(fmt_ms "$append_ms") | n/a |"
  else
    echo "| 8 | \`CommitWriter::Append\` of one commit with fsync | (none) | not run | n/a |"
  fi
  echo "| - | first-time index build (\`log -n 1\` without an index) | (none) | $(printf '%.2f' "$(jq -r '.results[0].mean' "$out/index_build.json")") s ($index_bytes_fresh bytes) | n/a |"
} >"$results"
cat "$results"
say "written to $results"
