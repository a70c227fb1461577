#!/usr/bin/env bash
# `npm run dev`: starts the local Prometheus OCS demo (Kubernetes API stand-in, demo service,
# Alertmanager, Prometheus, Backstage app + backend) and stops all of it on Ctrl-C.
# Options: --no-backstage, --production (PostgreSQL, Redis, two backend replicas behind a
# round robin; see docs/deploy.md). Ports and the orchestration: e2e-tests/src/env/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# The Debian packages the demo runs (installed here when run as root, else the command to run).
groups=(monitoring)
for arg in "$@"; do
  if [ "$arg" = --production ]; then groups+=(production); fi
done
bash scripts/system-packages.sh "${groups[@]}"

# shellcheck source=scripts/env.sh
source scripts/env.sh

# Install dependencies when they are missing or older than the lockfile.
if [ ! -f node_modules/.yarn-state.yml ] || [ yarn.lock -nt node_modules/.yarn-state.yml ]; then
  echo "[dev] installing dependencies (yarn install --immutable)"
  yarn install --immutable
  # A no-op install may leave the state file untouched; mark the install as current.
  touch node_modules/.yarn-state.yml
fi

# The demo cluster's token (see app-config.yaml: serviceAccountToken: ${K8S_TOKEN}).
export K8S_TOKEN="${K8S_TOKEN:-demo-admin-token}"

# exec: the orchestrator receives SIGINT/SIGTERM itself and stops everything it started.
exec node -r @backstage/cli/config/nodeTransform.cjs e2e-tests/src/env/dev.ts "$@"
