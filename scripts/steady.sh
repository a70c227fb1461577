#!/usr/bin/env bash
# The steady-suite check (`yarn test:steady [runs] [jest args…]`): runs the whole jest suite
# (`CI=true backstage-cli repo test`, as scripts/test.sh does) `runs` times (default 3) while a CPU
# hog keeps every core busy, and reports the failures of each run. A test that depends on catching
# a transient state or on the machine's speed fails here; docs/reliability.md ("Steady suite").
# Extra arguments go to jest, e.g. `yarn test:steady 1 plugins/monitoring` for one package.
# Results (jest's JSON per run, a summary) are kept under .run/steady/.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

runs="${1:-3}"
shift || true
out=.run/steady
mkdir -p "$out"
summary="$out/summary.txt"

hogs=()
jest_group=""
stop() {
  # jest runs in its own process group (setsid below): end it with its workers.
  [ -z "$jest_group" ] || kill -- "-$jest_group" 2>/dev/null || true
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${hogs[@]}"; do wait "$pid" 2>/dev/null || true; done
  hogs=()
}
trap stop EXIT
trap 'exit 130' INT TERM

cores="$(nproc)"
for _ in $(seq "$cores"); do
  node -e 'for (;;) {}' &
  hogs+=("$!")
done
echo "[steady] $(date -u +%FT%TZ) CPU hog: ${#hogs[@]} busy loops on $cores cores; $runs run(s)" | tee "$summary"

failed_runs=0
for run in $(seq "$runs"); do
  json="$out/run-$run.json"
  rm -f "$json"
  start=$(date +%s)
  # In the background and waited for, so that INT/TERM reach the trap at once.
  CI=true setsid yarn backstage-cli repo test --json --outputFile="$json" "$@" \
    >"$out/run-$run.log" 2>&1 &
  jest_group=$!
  wait "$jest_group"
  code=$?
  jest_group=""
  seconds=$(($(date +%s) - start))
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  if [ -s "$json" ]; then
    line="$(node -e '
      const r = require(require("path").resolve(process.argv[1]));
      const failed = r.testResults.flatMap(s =>
        s.assertionResults
          .filter(a => a.status === "failed")
          .map(a => `    ${require("path").relative(process.cwd(), s.name)}: ${a.fullName}`)
          .concat(s.status === "failed" && !s.assertionResults.some(a => a.status === "failed")
            ? [`    ${require("path").relative(process.cwd(), s.name)}: ${s.message.split("\n").find(Boolean)}`]
            : []),
      );
      console.log(
        `${r.numTotalTests} tests in ${r.numTotalTestSuites} suites, ${r.numFailedTests} failed (${r.numFailedTestSuites} suites)` +
          (failed.length ? "\n" + failed.join("\n") : ""),
      );
    ' "$json")"
  else
    line="no jest result (exit $code); see $out/run-$run.log"
  fi
  echo "[steady] run $run/$runs: exit $code, ${seconds}s, load $load: $line" | tee -a "$summary"
  [ "$code" = 0 ] || failed_runs=$((failed_runs + 1))
done

echo "[steady] $failed_runs of $runs run(s) failed" | tee -a "$summary"
[ "$failed_runs" = 0 ]
