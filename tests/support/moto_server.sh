#!/usr/bin/env bash
# moto server (the AWS service emulator) for the integration tests, the demo and the DynamoDB
# benchmark, on 127.0.0.1 only.
#
#   moto_server.sh install            make the virtualenv if it is missing (quick when present)
#   moto_server.sh start STATE_DIR    install if needed, start moto on a port the OS chooses,
#                                     create the test user; the port goes to STATE_DIR/port
#   moto_server.sh stop STATE_DIR     stop the server started in STATE_DIR (no-op if none)
#   moto_server.sh python ARGS...     run the virtualenv's python (it has boto3)
#
# moto runs in a virtualenv under ${XDG_CACHE_HOME:-$HOME/.cache}/strata-test/, made once and
# reused (needs python3 with venv; Debian: python3-venv). It starts with
# INITIAL_NO_AUTH_ACTION_COUNT so that after the few calls moto_setup.py spends creating an IAM
# user, its access key, a role and allow-all policies, every request's SigV4 signature is
# checked by moto with botocore's signer. The user's keys go to STATE_DIR/credentials (AWS
# credentials file format, profile "default"), the ARNs to STATE_DIR/identity.json. CTest runs
# start and stop as the fixture "moto".
set -euo pipefail

die() { printf 'moto_server.sh: %s\n' "$*" >&2; exit 1; }

# The versions docs/testing.md describes: moto's behaviour was measured with these, and
# botocore 1.44.18 changed Athena's protocol to one this moto does not speak.
readonly moto_version=5.2.6
readonly pins="moto[server]==$moto_version boto3==1.44.13 botocore==1.44.13"
readonly setup_calls=5  # the IAM calls moto_setup.py makes before signatures are enforced
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/strata-test
venv=$cache/moto-$moto_version

installed() { [ -f "$venv/.complete" ] && [ "$(cat "$venv/.complete")" = "$pins" ] && [ -x "$venv/bin/python" ]; }

install() {
  installed && return 0
  command -v python3 >/dev/null || die "python3 is missing (./dev installs python3 and python3-venv)"
  mkdir -p "$cache"
  # One installer at a time: the tests and the demo may both get here first.
  exec 9>"$cache/moto.lock"
  flock 9
  if ! installed; then
    echo "installing $pins into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv" >&2 || die "python3 -m venv failed (install python3-venv)"
    # shellcheck disable=SC2086
    "$venv/bin/pip" install --quiet --disable-pip-version-check $pins >"$venv.log" 2>&1 \
      || { tail -20 "$venv.log" >&2; die "pip could not install $pins"; }
    printf '%s' "$pins" >"$venv/.complete"
  fi
  flock -u 9
}

pid_alive() { [ -f "$1/moto.pid" ] && kill -0 "$(cat "$1/moto.pid")" 2>/dev/null; }

stop() {
  local state=$1 pid
  [ -f "$state/moto.pid" ] || return 0
  pid=$(cat "$state/moto.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$state/moto.pid" "$state/port"
}

start() {
  local state=$1 port
  stop "$state"
  install
  rm -f "$state/credentials" "$state/identity.json" "$state/port"
  INITIAL_NO_AUTH_ACTION_COUNT=$setup_calls \
    nohup "$venv/bin/python" "$here/moto_run.py" "$state/port" >"$state/moto.log" 2>&1 </dev/null &
  echo $! >"$state/moto.pid"
  for _ in $(seq 1 300); do
    [ -s "$state/port" ] && break
    pid_alive "$state" || { cat "$state/moto.log" >&2; die "moto exited"; }
    sleep 0.1
  done
  [ -s "$state/port" ] || { cat "$state/moto.log" >&2; stop "$state"; die "moto did not listen within 30 s"; }
  port=$(cat "$state/port")
  "$venv/bin/python" "$here/moto_setup.py" "http://127.0.0.1:$port" "$state" \
    || { cat "$state/moto.log" >&2; stop "$state"; die "creating the test user failed"; }
  echo "moto $moto_version on 127.0.0.1:$port (signatures checked)"
}

cmd=${1:-}
case "$cmd" in
  install) install ;;
  start | stop)
    [ $# -ge 2 ] || die "usage: moto_server.sh $cmd STATE_DIR"
    mkdir -p "$2"
    state=$(cd "$2" && pwd)
    "$cmd" "$state"
    ;;
  python) shift; install; exec "$venv/bin/python" "$@" ;;
  *) die "usage: moto_server.sh install | start STATE_DIR | stop STATE_DIR | python ARGS..." ;;
esac
