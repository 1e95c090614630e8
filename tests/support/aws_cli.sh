#!/usr/bin/env bash
# The AWS CLI for tests that change things "behind strata's back", as a user would.
#
#   aws_cli.sh ARGS...    runs `aws ARGS...` from a virtualenv in the test cache, installing
#                         it (pinned) on first use; quick when already installed.
#
# The cache is ${XDG_CACHE_HOME:-$HOME/.cache}/strata-test/awscli-VERSION. Needs python3 with
# venv (Debian: python3-venv). Credentials and endpoints come from the caller's environment.
set -euo pipefail

version=1.45.11
venv=${XDG_CACHE_HOME:-$HOME/.cache}/strata-test/awscli-$version
if [ ! -x "$venv/bin/aws" ] || [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q "awscli==$version" >"$venv.log" 2>&1 \
    || { tail -20 "$venv.log" >&2; echo "aws_cli.sh: could not install awscli $version" >&2; exit 1; }
  touch "$venv/.complete"
fi
exec "$venv/bin/aws" "$@"
