#!/usr/bin/env bash
# How long a new user waits for the demo: `./dev demo` in a fresh clone of this checkout's HEAD,
# with the compiler cache off (as on a machine that never built strata), timed to the demo's
# first step and to its end. Packages already installed on this machine are not installed again;
# on a fresh machine `./dev demo` installs them first (docs/benchmarks.md, "First run").
#
#   bash bench/first_run.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/p"
log=$work/demo.log

start=$(date +%s.%N)
first_step=""
while IFS= read -r line; do
  printf '%s\n' "$line" >>"$log"
  if [ -z "$first_step" ] && [[ $line == *"## 1. "* ]]; then
    first_step=$(date +%s.%N)
  fi
done < <(cd "$work/p" && CCACHE_DISABLE=1 ./dev demo </dev/null 2>&1; echo "exit $?")
end=$(date +%s.%N)

status=$(tail -1 "$log")
objects=$(grep -c 'Building CXX object' "$log" || true)
printf 'demo: %s; %s objects compiled\n' "$status" "$objects"
if [ -n "$first_step" ]; then
  awk -v a="$start" -v b="$first_step" 'BEGIN { printf "to the first step of the demo: %.0f s\n", b - a }'
fi
awk -v a="$start" -v b="$end" 'BEGIN { printf "to the end of the demo:        %.0f s\n", b - a }'
[ "$status" = "exit 0" ]
