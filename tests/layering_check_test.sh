#!/usr/bin/env bash
# Runs layering_check.sh on small trees made here: a clean tree that uses every allowed include
# must pass; the same tree plus one forbidden include must fail, naming the rule, for each kind
# of forbidden include, and so must a tree whose cli/ uses the engine's CommitWriter.
#
# Usage: layering_check_test.sh PATH/TO/layering_check.sh
set -uo pipefail
check=${1:?usage: layering_check_test.sh PATH/TO/layering_check.sh}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# A file with one #include line.
put() {  # path, included header
  mkdir -p "$(dirname "$1")"
  printf '#include "%s"\n' "$2" >>"$1"
}

# A tree whose includes are all allowed.
clean_tree() {  # dir
  local t=$1
  rm -rf "$t"
  mkdir -p "$t"
  put "$t/proto/README" "nothing"
  put "$t/engine/state/apply.cc" "engine/status.h"
  put "$t/adapters/common/parallel.cc" "adapters/common/parallel.h"
  put "$t/adapters/common/parallel.cc" "engine/status.h"
  put "$t/adapters/aws/session.cc" "adapters/common/process_runner.h"
  put "$t/adapters/aws/session.cc" "adapters/aws/http.h"
  put "$t/adapters/dynamodb/introspect.cc" "adapters/aws/json_service.h"
  put "$t/adapters/dynamodb/introspect.cc" "adapters/common/parallel.h"
  put "$t/adapters/dynamodb/backend.cc" "adapters/backend/backend.h"
  put "$t/adapters/glue/catalog.cc" "adapters/aws/json_service.h"
  put "$t/adapters/glue/catalog.cc" "adapters/common/system.h"
  put "$t/adapters/postgres/migrator.h" "adapters/common/process_runner.h"
  put "$t/adapters/postgres/backend.h" "adapters/backend/backend.h"
  put "$t/adapters/backend/registry.cc" "adapters/dynamodb/backend.h"
  put "$t/adapters/backend/registry.cc" "adapters/postgres/backend.h"
  put "$t/adapters/backend/registry.cc" "adapters/glue/backend.h"
  put "$t/adapters/backend/registry.cc" "adapters/aws/session.h"
  put "$t/adapters/backend/registry.cc" "adapters/common/system.h"
  put "$t/cli/main.cc" "adapters/dynamodb/introspect.h"
  put "$t/cli/main.cc" "engine/status.h"
}

expect_pass() {  # name, dir
  local out
  if ! out=$(bash "$check" "$2" 2>&1); then
    echo "FAIL $1: the check failed on an allowed tree:" >&2
    echo "$out" | sed 's/^/    /' >&2
    failures=$((failures + 1))
    return
  fi
  echo "ok   $1"
}

expect_fail() {  # name, file, included header or a whole line, expected message
  local t="$work/$1"
  clean_tree "$t"
  if [[ "$3" == \#* ]]; then
    printf '%s\n' "$3" >>"$t/$2"
  else
    put "$t/$2" "$3"
  fi
  local out
  if out=$(bash "$check" "$t" 2>&1); then
    echo "FAIL $1: $2 including $3 passed the check" >&2
    failures=$((failures + 1))
    return
  fi
  if ! grep -qF "$4" <<<"$out" || ! grep -qF "$2" <<<"$out"; then
    echo "FAIL $1: expected \"$4\" and the file $2 in the output, got:" >&2
    echo "$out" | sed 's/^/    /' >&2
    failures=$((failures + 1))
    return
  fi
  echo "ok   $1"
}

clean_tree "$work/clean"
expect_pass clean_tree "$work/clean"

# Layers.
expect_fail engine_includes_adapters engine/state/apply.cc adapters/aws/http.h \
  "engine must not include adapters/"
expect_fail engine_includes_cli engine/state/apply.cc cli/context.h "engine must not include cli/"
expect_fail adapter_includes_cli adapters/dynamodb/plan.cc cli/context.h \
  "adapters must not include cli/"
# Between adapters.
expect_fail postgres_includes_aws adapters/postgres/connection.cc adapters/aws/session.h \
  "adapters/postgres must not include adapters/aws/"
expect_fail postgres_includes_dynamodb adapters/postgres/render.cc adapters/dynamodb/render.h \
  "adapters/postgres must not include adapters/dynamodb/"
expect_fail aws_includes_postgres adapters/aws/credential_chain.h \
  adapters/postgres/process_runner.h "adapters/aws must not include adapters/postgres/"
expect_fail aws_includes_dynamodb adapters/aws/session.cc adapters/dynamodb/errors.h \
  "adapters/aws must not include adapters/dynamodb/"
expect_fail dynamodb_includes_postgres adapters/dynamodb/plan.cc adapters/postgres/render.h \
  "adapters/dynamodb must not include adapters/postgres/"
expect_fail dynamodb_includes_glue adapters/dynamodb/plan.cc adapters/glue/catalog.h \
  "adapters/dynamodb must not include adapters/glue/"
expect_fail glue_includes_dynamodb adapters/glue/catalog.cc adapters/dynamodb/render.h \
  "adapters/glue must not include adapters/dynamodb/"
expect_fail common_includes_aws adapters/common/parallel.cc adapters/aws/http.h \
  "adapters/common must not include adapters/aws/"
expect_fail common_includes_backend adapters/common/system.cc adapters/backend/backend.h \
  "adapters/common must not include adapters/backend/"
expect_fail spaced_include adapters/postgres/connection.cc '#  include "adapters/aws/http.h"' \
  "adapters/postgres must not include adapters/aws/"

# CommitWriter outside engine/: commits go through engine/record.
t="$work/writer"
clean_tree "$t"
printf 'void F(strata::CommitWriter& w);\n' >>"$t/cli/main.cc"
if ! out=$(bash "$check" "$t" 2>&1) && grep -qF "CommitWriter used outside engine/" <<<"$out" &&
    grep -qF "cli/main.cc" <<<"$out"; then
  echo "ok   commit_writer_fails"
else
  echo "FAIL commit_writer_fails: expected a failure naming cli/main.cc, got:" >&2
  echo "$out" | sed 's/^/    /' >&2
  failures=$((failures + 1))
fi
if out=$(bash "$check" "$work/clean" 2>&1) && ! grep -q "warning" <<<"$out"; then
  echo "ok   no_writer_no_warning"
else
  echo "FAIL no_writer_no_warning: got:" >&2
  echo "$out" | sed 's/^/    /' >&2
  failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures layering check case(s) failed" >&2
  exit 1
fi
echo "all layering check cases passed"
