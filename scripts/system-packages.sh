#!/usr/bin/env bash
# The Debian packages the commands need, installed when they are missing:
#
#   bash scripts/system-packages.sh monitoring [browser] [production]
#
#   monitoring  prometheus, prometheus-alertmanager   (yarn dev, the tests, the benchmarks)
#   browser     chromium                              (Playwright)
#   production  postgresql, redis-server              (the production profile and its suite)
#
# As root (or in CI with passwordless sudo) it installs what is missing with apt-get; otherwise it
# prints the one command to run and exits 1. Used by scripts/dev.sh, scripts/test.sh and .ci/run.
# PROMETHEUS_BIN, ALERTMANAGER_BIN, CHROMIUM_BIN, POSTGRES_BIN_DIR and REDIS_SERVER_BIN point at
# binaries installed elsewhere; a package whose binary is found there is not installed.
set -euo pipefail

have_postgres() {
  if [ -n "${POSTGRES_BIN_DIR:-}" ]; then
    [ -x "$POSTGRES_BIN_DIR/postgres" ]
  else
    compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
  fi
}

need=()
for what in "$@"; do
  case "$what" in
    monitoring)
      [ -x "${PROMETHEUS_BIN:-/usr/bin/prometheus}" ] || need+=(prometheus)
      [ -x "${ALERTMANAGER_BIN:-/usr/bin/prometheus-alertmanager}" ] || need+=(prometheus-alertmanager)
      ;;
    browser)
      [ -x "${CHROMIUM_BIN:-/usr/bin/chromium}" ] || need+=(chromium)
      ;;
    production)
      have_postgres || need+=(postgresql)
      [ -x "${REDIS_SERVER_BIN:-/usr/bin/redis-server}" ] || need+=(redis-server)
      ;;
    *)
      echo "system-packages.sh: unknown group '$what' (monitoring, browser, production)" >&2
      exit 2
      ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
  SUDO=()
elif [ -n "${CI:-}" ] && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "Missing Debian packages: ${need[*]}. Install them (as root) with:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${need[*]}" >&2
  echo "(or run this command as root: it installs them itself)" >&2
  exit 1
fi

echo "[setup] installing Debian packages: ${need[*]}"
# Keep the packages' own services (a system Prometheus on :9090, PostgreSQL on :5432, Redis on
# :6379) from starting during the install: the project runs the binaries itself, on loopback,
# with its own configs and data under .run/. policy-rc.d exit 101 = "action forbidden" for
# invoke-rc.d; an existing policy is kept and restored afterwards.
POLICY=/usr/sbin/policy-rc.d
backup=""
if [ -e "$POLICY" ]; then
  backup="$(mktemp)"
  "${SUDO[@]}" cp -p "$POLICY" "$backup"
fi
printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
"${SUDO[@]}" chmod +x "$POLICY"
restore() {
  if [ -n "$backup" ]; then "${SUDO[@]}" cp -p "$backup" "$POLICY"; rm -f "$backup"; else "${SUDO[@]}" rm -f "$POLICY"; fi
}
trap restore EXIT
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update
"${SUDO[@]}" apt-get install -y --no-install-recommends "${need[@]}"
