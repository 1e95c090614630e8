#!/usr/bin/env bash
# The demo behind `./dev demo`: records four rounds of changes to the sample shop's DynamoDB
# table files into a local log, then travels through that history; deploys it to a throwaway
# DynamoDB; runs PostgreSQL migration tracks on a throwaway server; and keeps a data lake's
# Athena tables as DDL files, changed in place on a throwaway Glue catalog.
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
# ---- DynamoDB: deploy the recorded history to a throwaway DynamoDB (moto server) ----------
# moto serves the DynamoDB API on 127.0.0.1, on a port the OS chooses, and checks every
# request's signature against the user tests/support/moto_server.sh creates.
support=$here/../tests/support
ddb_state=$(dirname "$work")/ddb
trap 'bash "$support/moto_server.sh" stop "$ddb_state" >/dev/null 2>&1 || true' EXIT
bash "$support/moto_server.sh" start "$ddb_state" >/dev/null
credential() { awk -F' = ' -v k="$1" '$1 == k {print $2}' "$ddb_state/credentials"; }
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_DYNAMODB
export AWS_ACCESS_KEY_ID=$(credential aws_access_key_id)
export AWS_SECRET_ACCESS_KEY=$(credential aws_secret_access_key)
export AWS_REGION=us-east-1 STRATA_POLL_INTERVAL_MS=100
export DEMO_DDB_ENDPOINT=http://127.0.0.1:$(cat "$ddb_state/port")
unset STRATA_NOW
cat >>strata.yaml <<'YAML'
targets:
  dev: { engine: dynamodb, region: us-east-1, endpoint: "${DEMO_DDB_ENDPOINT}" }
YAML

step "DynamoDB: what applying the log to a fresh DynamoDB would do"
run plan --target dev || true
step "Apply it (progress on stderr; the deployment is recorded in the log)"
run apply --target dev --auto-approve
step "The live tables, with keys, indexes and whether strata manages them"
run list --target dev
step "A change made behind strata's back (with the DynamoDB API) is drift (exit 3)"
printf '$ python3 -c "boto3 ... update_table(customers, delete index by_email)"\n'
bash "$support/moto_server.sh" python - <<'PY'
import os
import boto3
ddb = boto3.client("dynamodb", endpoint_url=os.environ["DEMO_DDB_ENDPOINT"],
                   region_name=os.environ["AWS_REGION"])
ddb.update_table(TableName="customers",
                 GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_email"}}])
PY
run drift --target dev || echo "(exit $?)"
step "apply puts the index back; the plan shows one UpdateTable"
run apply --target dev --auto-approve
step "Deployments are commits too"
run log --origin deploy
step "The whole history as one HTML page: timeline, blame, diffs, deployments (docs/report.md)"
run report --out "$work/strata-report.html"
bash "$support/moto_server.sh" stop "$ddb_state" >/dev/null 2>&1 || true
trap - EXIT

# ---- PostgreSQL: migration tracks with a captured history, on a throwaway local server ----
pg_work=$(dirname "$work")/accounts
pg_state=$(dirname "$work")/pg
bash "$here/../tests/support/postgres_server.sh" stop "$pg_state" >/dev/null 2>&1 || true
rm -rf "$pg_work"
cp -r "$here/accounts" "$pg_work"
cd "$pg_work"
unset STRATA_NOW
export STRATA_ACTOR_NAME=dana STRATA_ACTOR_EMAIL=dana@shop.example STRATA_ACTOR_HOST=laptop-dana
trap 'bash "$here/../tests/support/postgres_server.sh" stop "$pg_state" >/dev/null 2>&1 || true' EXIT
bash "$here/../tests/support/postgres_server.sh" start "$pg_state" >/dev/null
export PGHOST=127.0.0.1 PGPORT=$(cat "$pg_state/port") PGUSER=postgres
for db in dev staging scratch; do psql -X -q -d postgres -c "CREATE DATABASE $db"; done

step "PostgreSQL: two tracks (core first, then billing), pending on dev"
PGDATABASE=dev run migrate status
step "Apply them: each file runs in one transaction with its history row; strata records what each one changed"
PGDATABASE=dev run migrate run
step "The captured history"
run log --events
step "users as it was after the first migration, as DDL"
run show --at 1 public.users
step "Who added users.email, and when"
run blame public.users.email
step "Deploy the same migrations to staging (recorded as deployments)"
PGDATABASE=staging run migrate run
step "A change made behind strata's back is drift (exit 3)"
psql -X -q -d staging -c "ALTER TABLE users ADD COLUMN nickname text"
PGDATABASE=staging run drift || echo "(exit $?)"
step "Replay the recorded SQL into an empty database and check it against the log"
PGDATABASE=scratch run replay
run verify
bash "$here/../tests/support/postgres_server.sh" stop "$pg_state" >/dev/null 2>&1 || true
trap - EXIT

# ---- Glue/Athena: tables as DDL files, changed in place on a throwaway Glue catalog (moto) ----
lake_work=$(dirname "$work")/lake
lake_state=$(dirname "$work")/glue
rm -rf "$lake_work"
mkdir -p "$lake_work/schema/athena"
cp "$here/lake/strata.yaml" "$lake_work/"
cd "$lake_work"
trap 'bash "$support/moto_server.sh" stop "$lake_state" >/dev/null 2>&1 || true' EXIT
bash "$support/moto_server.sh" start "$lake_state" >/dev/null
credential() { awk -F' = ' -v k="$1" '$1 == k {print $2}' "$lake_state/credentials"; }
unset AWS_ENDPOINT_URL_GLUE
export AWS_ACCESS_KEY_ID=$(credential aws_access_key_id)
export AWS_SECRET_ACCESS_KEY=$(credential aws_secret_access_key)
export DEMO_GLUE_ENDPOINT=http://127.0.0.1:$(cat "$lake_state/port")
cat >>strata.yaml <<'YAML'
targets:
  dev: { engine: glue, region: us-east-1, endpoint: "${DEMO_GLUE_ENDPOINT}" }
YAML
lake_round() {  # step-dir who email message
  rm -rf schema/athena/*
  cp -r "$here/lake/steps/$1/"* schema/athena/
  export STRATA_ACTOR_NAME=$2 STRATA_ACTOR_EMAIL=$3 STRATA_ACTOR_HOST=laptop-$2
  run generate -m "$4"
}
glue_api() {  # shown-command python-code: the Glue API, as a user or a loader would call it
  printf '$ %s\n' "$1"
  bash "$support/moto_server.sh" python -c "import os, boto3
glue = boto3.client('glue', endpoint_url=os.environ['DEMO_GLUE_ENDPOINT'], region_name='us-east-1')
$2"
}

step "Glue: two Athena tables, one CREATE EXTERNAL TABLE per file"
find schema/athena -name '*.sql' | sort
lake_round 1-initial erin erin@shop.example "web clicks and billing invoices"
step "Create the databases and tables in a fresh Glue catalog"
run plan --target dev
run apply --target dev --auto-approve
step "Data arrives: a loader registers a partition of clicks"
glue_api "python3 -c \"glue.create_partition(web.clicks, dt=2026-03-01)\"" "
glue.create_partition(DatabaseName='web', TableName='clicks', PartitionInput={
    'Values': ['2026-03-01'],
    'StorageDescriptor': {'Location': 's3://shop-lake/web/clicks/dt=2026-03-01/'}})"
step "Edit the files: a new column, a new location, new compression, a wider decimal"
lake_round 2-widen frank frank@shop.example "session ids; clicks move to the v2 bucket; totals after tax"
run log --events -n 1
step "The plan changes both tables in place with UpdateTable (no drop, no recreate)"
run plan --target dev
run apply --target dev --auto-approve
step "The partition is still there"
glue_api "python3 -c \"glue.get_partitions(web.clicks)\"" "
for p in glue.get_partitions(DatabaseName='web', TableName='clicks')['Partitions']:
    print('web.clicks partition', p['Values'], p['StorageDescriptor']['Location'])"
step "clicks as it was before the change, as DDL"
run show --at 1 web.clicks
step "Who added each column of clicks"
run blame web.clicks
step "Export the live tables as canonical DDL files"
run export --target dev --dir exported
find exported -name '*.sql' | sort
step "A column added with the Glue API behind strata's back is drift (exit 3)"
glue_api "python3 -c \"glue.update_table(billing.invoices, + discount decimal(10,2))\"" "
t = glue.get_table(DatabaseName='billing', Name='invoices')['Table']
sd = t['StorageDescriptor']
sd['Columns'].append({'Name': 'discount', 'Type': 'decimal(10,2)'})
glue.update_table(DatabaseName='billing', TableInput={
    'Name': t['Name'], 'TableType': t['TableType'], 'Parameters': t['Parameters'],
    'PartitionKeys': t['PartitionKeys'], 'StorageDescriptor': sd})"
run drift --target dev || echo "(exit $?)"
bash "$support/moto_server.sh" stop "$lake_state" >/dev/null 2>&1 || true
trap - EXIT

printf '\nThe demo projects are in %s (DynamoDB), %s (PostgreSQL) and %s (Glue); try: cd %s && %s log\n' \
  "$work" "$pg_work" "$lake_work" "$work" "$strata"
