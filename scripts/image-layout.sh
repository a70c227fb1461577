#!/usr/bin/env bash
# `bash scripts/image-layout.sh DIR`: lays out in DIR the filesystem the backend image's /app
# would have, by carrying out packages/backend/Dockerfile's own WORKDIR-relative steps (its COPY
# and RUN lines, in order, with its ENV) — for machines without a Docker engine, where
# `yarn build-image` cannot run. What it cannot do is the base image and the apt-get step (the
# host's Node 22 and toolchain stand in for them). The production profile then runs the backend
# replicas from DIR with the image's CMD: PROMETHEUS_OCS_BACKEND_IMAGE_DIR=DIR (docs/deploy.md).
#
# Builds the bundle first (yarn tsc, yarn build:backend) unless SKIP_BUILD=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:?usage: image-layout.sh DIR}"
DOCKERFILE="$ROOT/packages/backend/Dockerfile"
cd "$ROOT"
source scripts/env.sh
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  yarn tsc
  yarn build:backend
fi
rm -rf "$DIR"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
# The image's yarn cache is its own (the Dockerfile's cache mount, which its RUN then cleans):
# never the host's global cache, which `yarn cache clean` would empty.
export YARN_GLOBAL_FOLDER="$ROOT/.run/image-layout-yarn"

# Joins continuation lines, drops comments; one instruction per line.
instructions() {
  sed -e 's/^[[:space:]]*#.*$//' "$DOCKERFILE" | awk '
    /\\$/ { sub(/\\$/, ""); buf = buf $0 " "; next }
    { print buf $0; buf = "" }' | grep -v '^[[:space:]]*$'
}

while IFS= read -r line; do
  op="${line%% *}"
  args="${line#* }"
  case "$op" in
    FROM | USER | WORKDIR | CMD) ;; # base image, user and /app are the image's; CMD is run by the profile
    ENV)
      # ENV KEY=value or ENV KEY="value"
      eval "export $args"
      ;;
    COPY)
      # COPY [--chown=…] SRC… DEST, sources relative to the repository root, DEST to /app.
      read -r -a words <<<"$args"
      srcs=()
      for w in "${words[@]}"; do [[ "$w" == --* ]] || srcs+=("$w"); done
      dest="${srcs[-1]}"
      unset 'srcs[-1]'
      for src in "${srcs[@]}"; do
        # shellcheck disable=SC2086 # globs such as app-config*.yaml are the Dockerfile's own
        cp -r $src "$DIR/$dest"
      done
      ;;
    RUN)
      # Cache mounts are Docker's; the OS packages step is the base image's business.
      cmd="$(sed -E 's/--mount=[^ ]+ +//g' <<<"$args")"
      if [[ "$cmd" == *apt-get* ]]; then
        echo "[image-layout] skipped (host packages): $cmd"
        continue
      fi
      echo "[image-layout] RUN $cmd"
      (cd "$DIR" && bash -euo pipefail -c "$cmd")
      ;;
    *)
      echo "[image-layout] unsupported Dockerfile instruction: $op" >&2
      exit 1
      ;;
  esac
done < <(instructions)
echo "[image-layout] $DIR holds the image's /app; run it with the image's CMD:"
instructions | grep '^CMD' | sed 's/^/[image-layout]   /'
