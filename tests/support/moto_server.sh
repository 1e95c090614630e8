#!/usr/bin/env bash
# A moto server (AWS service emulator) for the AWS integration tests, on 127.0.0.1 only.
#
#   moto_server.sh start STATE_DIR PORT   install moto if needed, start it, create the test user
#   moto_server.sh stop STATE_DIR         stop it
#
# moto runs in a virtualenv under ${XDG_CACHE_HOME:-$HOME/.cache}/strata-test/, made once and
# reused. It starts with INITIAL_NO_AUTH_ACTION_COUNT so that after the few calls moto_setup.py
# spends creating an IAM user, its access key, a role and allow-all policies, every request's
# SigV4 signature is checked by moto with botocore's signer. The user's keys go to
# STATE_DIR/credentials (AWS credentials file format, profile "default"), the ARNs to
# STATE_DIR/identity.json. CTest runs this as the fixture "moto".
set -euo pipefail

die() { printf 'moto_server.sh: %s\n' "$*" >&2; exit 1; }

readonly moto_version=5.2.5
readonly setup_calls=5  # the IAM calls moto_setup.py makes before signatures are enforced
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv="${XDG_CACHE_HOME:-$HOME/.cache}/strata-test/moto-$moto_version"

ensure_venv() {
  if [ -x "$venv/bin/moto_server" ] && "$venv/bin/python" -c "import moto, boto3" 2>/dev/null; then
    return 0
  fi
  command -v python3 >/dev/null || die "python3 is missing (./dev installs python3 and python3-venv)"
  echo "installing moto[server]==$moto_version into $venv" >&2
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv" || die "python3 -m venv failed (install python3-venv)"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$moto_version" \
    || die "pip could not install moto[server]==$moto_version"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

cmd=${1:-}
state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || die "usage: moto_server.sh start|stop STATE_DIR [PORT]"
mkdir -p "$state"

case "$cmd" in
  start)
    port=${3:?port}
    "$0" stop "$state" >/dev/null 2>&1 || true
    port_open "$port" && die "port $port on 127.0.0.1 is taken; set STRATA_TEST_MOTO_PORT to a free port and reconfigure"
    ensure_venv
    rm -f "$state/credentials" "$state/identity.json"
    INITIAL_NO_AUTH_ACTION_COUNT=$setup_calls MOTO_PORT=$port \
      nohup "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$state/moto.log" 2>&1 &
    echo $! >"$state/moto.pid"
    for _ in $(seq 1 150); do
      if port_open "$port"; then break; fi
      kill -0 "$(cat "$state/moto.pid")" 2>/dev/null || { cat "$state/moto.log" >&2; die "moto exited"; }
      sleep 0.2
    done
    port_open "$port" || { cat "$state/moto.log" >&2; die "moto did not listen on $port within 30 s"; }
    "$venv/bin/python" "$here/moto_setup.py" "http://127.0.0.1:$port" "$state" \
      || { cat "$state/moto.log" >&2; die "creating the test user failed"; }
    echo "moto $moto_version on 127.0.0.1:$port (signatures checked)"
    ;;
  stop)
    [ -f "$state/moto.pid" ] || exit 0
    pid=$(cat "$state/moto.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$state/moto.pid"
    ;;
  *) die "unknown command $cmd" ;;
esac
