#!/usr/bin/env bash
# Fails when an #include crosses a layer or adapter boundary the architecture forbids
# (docs/architecture.md):
#   - layers point one way, cli -> adapters -> engine -> proto: engine includes no adapter and no
#     cli header, adapters include no cli header;
#   - between adapters (adapters/<name>/), only these includes are allowed:
#       every adapter but common      -> adapters/common/ and adapters/backend/ (the backend
#                                        interface that adapters implement)
#       dynamodb, glue                -> adapters/aws/
#       backend                       -> any adapter (the registry knows every backend)
#       common                        -> nothing (it is what the others share)
#     anything else is an error (postgres may not include aws, aws no other adapter, ...).
# Also fails when cli/ or adapters/ use the engine's CommitWriter directly: every commit is
# written through the one recording path in engine/record/.
#
# Usage: layering_check.sh [ROOT]   (ROOT: the source tree, default .)
set -euo pipefail
root=${1:-.}
cd "$root"
bad=0

# Sources of a directory, if it exists: one path per line.
sources() {
  [ -d "$1" ] || return 0
  find "$1" -type f \( -name '*.h' -o -name '*.cc' \) | sort
}

# Layers: the directory may not include anything under the given prefixes.
check_layer() {  # dir, forbidden include prefixes...
  local dir=$1; shift
  for prefix in "$@"; do
    local hits
    hits=$(sources "$dir" | xargs -r grep -HnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"${prefix}/" || true)
    if [ -n "$hits" ]; then
      echo "$hits" >&2
      echo "layering: $dir must not include $prefix/" >&2
      bad=1
    fi
  done
}
check_layer engine adapters cli
check_layer adapters cli

# Between adapters: may adapters/$1 include adapters/$2?
adapter_may_include() {
  local from=$1 to=$2
  [ "$from" = "$to" ] && return 0
  case "$from" in
    backend) return 0 ;;
    common) return 1 ;;
  esac
  case "$to" in
    common | backend) return 0 ;;
    aws) [ "$from" = dynamodb ] || [ "$from" = glue ] ;;
    *) return 1 ;;
  esac
}

while IFS= read -r file; do
  from=${file#adapters/}
  from=${from%%/*}
  while IFS=: read -r line to; do
    [ -n "$line" ] || continue
    if ! adapter_may_include "$from" "$to"; then
      echo "$file:$line: #include \"adapters/$to/...\"" >&2
      echo "layering: adapters/$from must not include adapters/$to/" >&2
      bad=1
    fi
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"adapters/[^/"]+/' "$file" |
             sed -E 's/^([0-9]+):.*"adapters\/([^/"]+)\/.*/\1:\2/' || true)
done < <(sources adapters | grep -E '^adapters/[^/]+/' || true)

# Every commit goes through the recording path (engine/record), never the writer itself.
writers=$( { sources cli; sources adapters; } | xargs -r grep -Hnw CommitWriter || true)
if [ -n "$writers" ]; then
  echo "layering: CommitWriter used outside engine/; record commits through engine/record:" >&2
  echo "$writers" | sed 's/^/  /' >&2
  bad=1
fi

exit $bad
