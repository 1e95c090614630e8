#!/usr/bin/env bash
# The official DynamoDB Local for the integration tests.
#
#   dynamodb_local.sh install                   fetch it into the cache (quick when present)
#   dynamodb_local.sh start STATE_DIR PORT [--delay]
#                                               install, then run it in memory on PORT;
#                                               --delay holds tables and indexes in their
#                                               transient statuses (CREATING, DELETING) a while,
#                                               as the real service does
#   dynamodb_local.sh stop STATE_DIR            stop the server started in STATE_DIR
#
# The jars come from Maven Central (software.amazon.dynamodb:DynamoDBLocal, see
# dynamodb-local/pom.xml) into ${XDG_CACHE_HOME:-$HOME/.cache}/strata-test/dynamodb-local-VERSION.
# Needs java and mvn (Debian: default-jdk-headless, maven). CTest runs start/stop as the
# fixtures "dynamodb" and "dynamodb_delayed".
#
# DynamoDB Local has no option to choose its listening address; the tests only ever connect
# to 127.0.0.1.
set -euo pipefail

die() { printf 'dynamodb_local.sh: %s\n' "$*" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=3.3.1
cache=${XDG_CACHE_HOME:-$HOME/.cache}/strata-test/dynamodb-local-$version
main_class=software.amazon.dynamodb.services.local.main.ServerRunner

# DynamoDB Local names two classes of the AWS SDK's Pinpoint client (used only for its usage
# telemetry, which we turn off) in exception handlers, so the JVM must be able to load them.
# Maven Central's Pinpoint jar is large and not always reachable from build machines; two
# stand-in classes compiled here are all the server needs.
build_stubs() {
  local out=$1 classes
  command -v javac >/dev/null || die "javac not found (install default-jdk-headless)"
  classes=$(mktemp -d)
  javac -nowarn -d "$classes" $(find "$here/dynamodb-local/stubs" -name '*.java')
  jar cf "$out" -C "$classes" .
  rm -rf "$classes"
}

install() {
  [ -f "$cache/.complete" ] && return 0
  command -v java >/dev/null || die "java not found (install default-jdk-headless)"
  command -v mvn >/dev/null || die "mvn not found (install maven)"
  mkdir -p "$cache"
  rm -rf "$cache/lib"
  echo "fetching DynamoDB Local $version into $cache" >&2
  mvn -q -B -f "$here/dynamodb-local/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$cache/lib" >"$cache/mvn.log" 2>&1 \
    || { tail -30 "$cache/mvn.log" >&2; die "could not fetch DynamoDB Local from Maven Central"; }
  ls "$cache/lib"/libsqlite4java-linux-amd64-*.so >/dev/null 2>&1 \
    || die "the sqlite4java native library for linux-amd64 is missing from $cache/lib"
  build_stubs "$cache/lib/strata-pinpoint-stubs.jar"
  touch "$cache/.complete"
}

answers() {  # port: does a DynamoDB API answer there?
  curl -s -m 2 -X POST "http://127.0.0.1:$1/" \
    -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
    -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
    -d '{}' 2>/dev/null | grep -q TableNames
}

start() {
  local state=$1 port=$2 delay=${3:-}
  install
  stop "$state"
  mkdir -p "$state"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is taken; set STRATA_TEST_DDB_PORT / STRATA_TEST_DDB_DELAYED_PORT to free ports and reconfigure"
  fi
  local flags=(-inMemory -sharedDb -port "$port" -disableTelemetry)
  [ "$delay" = "--delay" ] && flags+=(-delayTransientStatuses)
  # The working directory is the state dir: DynamoDB Local looks for files beside itself.
  (cd "$state" && exec java -Xmx512m -Djava.library.path="$cache/lib" \
     -Dsqlite4java.library.path="$cache/lib" -cp "$cache/lib/*" "$main_class" "${flags[@]}" \
     >"$state/server.log" 2>&1 </dev/null) &
  echo $! >"$state/pid"
  for _ in $(seq 1 120); do
    if answers "$port"; then
      echo "DynamoDB Local $version on 127.0.0.1:$port${delay:+ (delayed transient statuses)}"
      return 0
    fi
    kill -0 "$(cat "$state/pid")" 2>/dev/null || { cat "$state/server.log" >&2; die "server exited"; }
    sleep 0.5
  done
  cat "$state/server.log" >&2
  stop "$state"
  die "server did not answer on port $port within 60 s"
}

stop() {
  local state=$1 pid
  [ -f "$state/pid" ] || return 0
  pid=$(cat "$state/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$state/pid"
}

cmd=${1:-}
case "$cmd" in
  install) install ;;
  start) [ $# -ge 3 ] || die "usage: dynamodb_local.sh start STATE_DIR PORT [--delay]"; start "$2" "$3" "${4:-}" ;;
  stop) [ $# -ge 2 ] || die "usage: dynamodb_local.sh stop STATE_DIR"; stop "$2" ;;
  *) die "usage: dynamodb_local.sh install | start STATE_DIR PORT [--delay] | stop STATE_DIR" ;;
esac
