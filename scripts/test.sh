#!/usr/bin/env bash
# The README's test command (`npm run test:all`): type-check, API reports, lint, unit/integration
# tests (including the production profile's suite), Playwright.
# Needs the Debian packages prometheus, prometheus-alertmanager, chromium, postgresql and
# redis-server: installed here when run as root, otherwise the command to install them is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh monitoring browser production
source scripts/env.sh

if [ ! -f node_modules/.yarn-state.yml ] || [ yarn.lock -nt node_modules/.yarn-state.yml ]; then
  yarn install --immutable
  # A no-op install may leave the state file untouched; mark the install as current.
  touch node_modules/.yarn-state.yml
fi

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "type-check (also writes dist-types/, which the API reports read)"
# A full build, never an incremental one: types inferred from other packages (zod schemas,
# Backstage blueprints) print their unions in the order the compiler met them, and an
# incremental build meets them in another order than the fresh build the reports come from.
yarn tsc --incremental false

step "API reports up to date (report.api.md, cli-report.md; regenerate with yarn build:api-reports)"
yarn build:api-reports:only --ci

step "lint"
yarn backstage-cli repo lint

step "unit and integration tests"
CI=true yarn backstage-cli repo test

step "end-to-end tests (Playwright in /usr/bin/chromium)"
yarn test:e2e
