#!/usr/bin/env bash
# The demo behind `./dev demo`: records four rounds of changes to the sample shop's DynamoDB
# table files into a local log, then travels through that history.
#
# It works on a copy in build/demo/shop (the log lives in its .strata/), so the example in
# the repository stays clean; each run starts from scratch.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
strata=${STRATA:?set STRATA to the strata binary}
work=$(mkdir -p "${STRATA_DEMO_DIR:-$here/../build/demo}" && cd "${STRATA_DEMO_DIR:-$here/../build/demo}" && pwd)/shop

rm -rf "$work"
mkdir -p "$work/schema/dynamodb"
cp "$here/shop/strata.yaml" "$work/"
cd "$work"

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold="" plain=""; fi
step() { printf '\n%s## %s%s\n' "$bold" "$*" "$plain"; }
run() {
  local shown="strata"
  for a in "$@"; do case "$a" in *[[:space:]\;]*) shown+=" \"$a\"" ;; *) shown+=" $a" ;; esac; done
  printf '$ %s\n' "$shown"
  "$strata" "$@"
}

# Each round replaces the table files with the next step's and records the difference,
# as a different person on a different day (pinned so the demo's output is stable).
record() {  # step-dir who email when message
  rm -f schema/dynamodb/*
  cp "$here/shop/steps/$1/"* schema/dynamodb/
  export STRATA_ACTOR_NAME=$2 STRATA_ACTOR_EMAIL=$3 STRATA_NOW=$4 STRATA_ACTOR_HOST=laptop-$2
  run generate -m "$5"
}

step "1. Record the first tables"
record 1-initial alice alice@shop.example 2026-03-01T09:00:00Z "initial tables"
step "2. Support looks customers up by email; teams own their tables"
record 2-lookups bob bob@shop.example 2026-03-03T14:30:00Z "customers by email; owner tags"
run tag v1 -m "first release"
step "3. Dashboard totals, order stream, carts; sessions go on demand"
record 3-streams alice alice@shop.example 2026-03-10T11:00:00Z "totals on the status index; carts"
step "4. Retire sessions, protect orders, re-key carts (a replacement)"
record 4-retire carol carol@shop.example 2026-03-20T16:45:00Z "retire sessions; carts per item"

step "Nothing left to record"
run generate
run status

step "The log, newest first"
run log --events

step "orders as it was on 5 March (CreateTable JSON)"
run show --at @2026-03-05 orders

step "The whole schema at tag v1"
run show --at v1

step "What changed since v1"
run diff v1 HEAD

step "Who last changed each part of orders"
run blame orders

step "Verify checksums, the hash chain and a full replay"
run verify

step "Artifacts written beside the log"
ls migrations/dynamodb
printf '\nThe demo project is in %s; try: cd %s && %s log\n' "$work" "$work" "$strata"
