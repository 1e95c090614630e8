#!/usr/bin/env bash
# Fails when an #include points against cli -> adapters -> engine -> proto.
set -euo pipefail
root=${1:-.}
cd "$root"
bad=0
check() {  # dir, forbidden include prefixes...
  local dir=$1; shift
  for prefix in "$@"; do
    if grep -rnE "#include \"${prefix}/" "$dir" --include='*.h' --include='*.cc'; then
      echo "layering: $dir must not include $prefix/" >&2
      bad=1
    fi
  done
}
check engine adapters cli
check adapters cli
exit $bad
