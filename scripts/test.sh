#!/usr/bin/env bash
# The README's test command (`yarn test:all`): type-check, API reports, lint, unit/integration
# tests, Playwright.
# Needs the Debian packages prometheus, prometheus-alertmanager and chromium (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

if [ ! -d node_modules ] || [ yarn.lock -nt node_modules/.yarn-state.yml ]; then
  yarn install --immutable
fi

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "type-check (also writes dist-types/, which the API reports read)"
yarn tsc

step "API reports up to date (report.api.md, cli-report.md; regenerate with yarn build:api-reports)"
yarn build:api-reports:only --ci

step "lint"
yarn backstage-cli repo lint

step "unit and integration tests"
CI=true yarn backstage-cli repo test

step "end-to-end tests (Playwright in /usr/bin/chromium)"
yarn test:e2e
