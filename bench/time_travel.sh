#!/usr/bin/env bash
# The time-travel figures (whole-schema and one-table `show --at`, `diff` across 10,000
# commits, `blame`, the first index build and the index size) on the 1M-event history, for
# this build and, with --baseline, for another strata binary in the same run:
#
#   bash bench/time_travel.sh BUILD_DIR [--baseline STRATA_BIN] [--runs N]
#
# Each binary gets its own copy of the log, so each reads an index in its own format. The
# history is the one bench/run.sh generates (reused when present). Results go to
# BUILD_DIR/bench-data/time-travel.md.
set -euo pipefail

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench/time_travel.sh: %s\n' "$*" >&2; exit 2; }

[ $# -ge 1 ] || die "usage: bash bench/time_travel.sh BUILD_DIR [--baseline STRATA_BIN] [--runs N]"
build_dir=$(cd "$1" && pwd)
shift
baseline=""
runs=10
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) baseline=$(realpath "$2"); shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) die "unknown argument: $1" ;;
  esac
done
strata=$build_dir/strata
gen=$build_dir/bench/gen_history_tool
for bin in "$strata" "$gen" $baseline; do
  [ -x "$bin" ] || die "$bin is missing; build first (./dev build)"
done
command -v hyperfine >/dev/null && command -v jq >/dev/null ||
  die "needs hyperfine and jq (bash bench/run.sh installs them)"

data=$build_dir/bench-data
history=$data/history-e1000000-t10000-s1
if ! grep -qx "params=events:1000000 tables:10000 seed:1" "$history/gen_history.txt" 2>/dev/null; then
  say "generating the 1M-event history into $history"
  rm -rf "$history" && mkdir -p "$history"
  "$gen" --dir "$history" --events 1000000 --tables 10000 --seed 1
fi
value() { sed -n "s/^$1=//p" "$history/gen_history.txt" | head -1; }
commits=$(value commits)
table=$(sed -n 's/^probe=[0-9]* //p' "$history/gen_history.txt" | head -1)
probe_seq=$(sed -n 's/^probe=\([0-9]*\) .*/\1/p' "$history/gen_history.txt" | head -1)

# One project directory per binary, each with its own index.
labels=(this)
bins=("$strata")
[ -n "$baseline" ] && labels+=(baseline) && bins+=("$baseline")
work=$data/time-travel
rm -rf "$work"
for i in "${!labels[@]}"; do
  mkdir -p "$work/${labels[$i]}/.strata"
  cp "$history"/.strata/*.log "$history/.strata/HEAD" "$work/${labels[$i]}/.strata/"
done
log_bytes=$(du -cb "$history"/.strata/*.log | tail -1 | cut -f1)

out=$work/results
mkdir -p "$out"
# time NAME "ARGS" [hyperfine options]: every binary on its own copy, interleaved in one run.
time_cmd() {
  local name=$1 args=$2
  shift 2
  local cmds=()
  for i in "${!labels[@]}"; do
    cmds+=(-n "${labels[$i]}" "${bins[$i]} --project $work/${labels[$i]} $args")
  done
  say "timing: strata $args"
  hyperfine -N --style basic --export-json "$out/$name.json" "$@" "${cmds[@]}" >&2
}

index=.strata/index.sqlite
prepare=""
# hyperfine -N runs --prepare without a shell: name every file, no globs or `;`.
for l in "${labels[@]}"; do
  prepare+=" $work/$l/$index $work/$l/$index-wal $work/$l/$index-shm $work/$l/$index-journal"
done
time_cmd build "log -n 1" --runs 3 --prepare "rm -f$prepare"
# Each --prepare removed every copy's index: build them again for the size and the rest.
declare -A index_bytes
for i in "${!labels[@]}"; do
  l=${labels[$i]}
  "${bins[$i]}" --project "$work/$l" log -n 1 >/dev/null
  index_bytes[$l]=$(du -cb "$work/$l/$index"* | tail -1 | cut -f1)
done

at_whole=$((commits * 93 / 100))
from=$((commits / 2 - 5000))
time_cmd show_all "show --at $at_whole" --warmup 1 --runs "$runs"
time_cmd show_head "show" --warmup 1 --runs "$runs"
time_cmd show_table "show --at $probe_seq $table" --warmup 2 --runs "$runs"
time_cmd diff "diff $from $((from + 10000))" --warmup 1 --runs "$runs"
time_cmd blame "blame $table" --warmup 2 --runs "$runs"

# Peak memory of diff, the issue's other limit.
declare -A diff_kb
for i in "${!labels[@]}"; do
  diff_kb[${labels[$i]}]=$( { /usr/bin/time -f '%M' "${bins[$i]}" --project "$work/${labels[$i]}" \
    diff "$from" "$((from + 10000))" >/dev/null; } 2>&1 | tail -1)
done

ms() { jq -r ".results[] | select(.command == \"$2\") | .mean * 1000" "$out/$1.json" |
         awk '{ printf ($1 < 10 ? "%.1f ms" : "%.0f ms"), $1 }'; }
secs() { jq -r ".results[] | select(.command == \"$2\") | .mean" "$out/$1.json" |
           awk '{ printf "%.2f s", $1 }'; }
{
  echo "History: 1,000,000 events in $commits commits over 10,000 DynamoDB tables (seed 1);"
  echo "log $log_bytes bytes. hyperfine means of whole processes, $(date -u +%Y-%m-%dT%H:%MZ),"
  echo "$(nproc) cores."
  echo
  printf '| measure | target |'; for l in "${labels[@]}"; do printf ' %s |' "$l"; done; echo
  printf '|---|---|'; for l in "${labels[@]}"; do printf -- '---|'; done; echo
  row() {  # row LABEL TARGET FUNC NAME
    printf '| %s | %s |' "$1" "$2"
    for l in "${labels[@]}"; do printf ' %s |' "$($3 "$4" "$l")"; done
    echo
  }
  row "\`show --at $at_whole\` (all tables)" "<= 50 ms" ms show_all
  row "\`show\` (all tables, at the head)" "<= 50 ms" ms show_head
  row "\`show --at $probe_seq $table\`" "<= 10 ms" ms show_table
  row "\`diff $from $((from + 10000))\`" "<= 100 ms" ms diff
  printf '| peak memory of that diff | <= 100 MB |'
  for l in "${labels[@]}"; do printf ' %s MB |' "$((diff_kb[$l] / 1024))"; done; echo
  row "\`blame $table\`" "<= 30 ms" ms blame
  row "first index build (\`log -n 1\` without an index)" "<= 1.5 s" secs build
  printf '| index size / log size | <= 2x |'
  for l in "${labels[@]}"; do
    awk -v i="${index_bytes[$l]}" -v g="$log_bytes" 'BEGIN { printf " %.2fx |", i / g }'
  done
  echo
} >"$out/time-travel.md"
cp "$out/time-travel.md" "$data/time-travel.md"
cat "$data/time-travel.md"
say "written to $data/time-travel.md"
