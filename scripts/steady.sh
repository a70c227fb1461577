#!/usr/bin/env bash
# The steady-suite check (`yarn test:steady [runs] [jest args…]`): runs the whole jest suite
# (`CI=true backstage-cli repo test`, as scripts/test.sh does) `runs` times (default 3) while a CPU
# hog keeps every core busy, and reports the failures of each run. A test that depends on catching
# a transient state or on the machine's speed fails here; docs/reliability.md ("Steady suite").
# Extra arguments go to jest, e.g. `yarn test:steady 1 --selectProjects @prometheus-ocs/plugin-monitoring`.
# STEADY_PARALLEL=1 starts the runs at once, each with its own hog (harsher, and sooner done).
# Results (jest's JSON per run, a summary) are kept under .run/steady/.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

runs="${1:-3}"
shift || true
parallel="${STEADY_PARALLEL:-0}"
out=.run/steady
mkdir -p "$out"
summary="$out/summary.txt"

hogs=()
stop() {
  # Each jest run has its own process group (setsid below): end them with their workers.
  for f in "$out"/run-*.pgid; do
    [ -e "$f" ] && kill -- "-$(cat "$f")" 2>/dev/null
    rm -f "$f"
  done
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${hogs[@]}"; do wait "$pid" 2>/dev/null || true; done
  hogs=()
}
trap stop EXIT
trap 'exit 130' INT TERM

cores="$(nproc)"
loops=$cores
[ "$parallel" = 1 ] && loops=$((cores * runs))
for _ in $(seq "$loops"); do
  node -e 'for (;;) {}' &
  hogs+=("$!")
done
mode=$([ "$parallel" = 1 ] && echo "at once" || echo "one after the other")
echo "[steady] $(date -u +%FT%TZ) CPU hog: ${#hogs[@]} busy loops on $cores cores; $runs run(s) $mode" | tee "$summary"

# One jest run; prints its summary line; exit status: jest's.
run_one() {
  local run=$1
  shift
  local json="$out/run-$run.json"
  rm -f "$json"
  local start
  start=$(date +%s)
  # In the background and waited for, so that INT/TERM reach the trap at once.
  CI=true setsid yarn backstage-cli repo test --json --outputFile="$json" "$@" \
    >"$out/run-$run.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$out/run-$run.pgid"
  wait "$pid"
  local code=$?
  rm -f "$out/run-$run.pgid"
  local seconds=$(($(date +%s) - start))
  local load line
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  if [ -s "$json" ]; then
    line="$(node -e '
      const path = require("path");
      const r = require(path.resolve(process.argv[1]));
      const failed = r.testResults.flatMap(s =>
        s.assertionResults
          .filter(a => a.status === "failed")
          .map(a => `    ${path.relative(process.cwd(), s.name)}: ${a.fullName}`)
          .concat(s.status === "failed" && !s.assertionResults.some(a => a.status === "failed")
            ? [`    ${path.relative(process.cwd(), s.name)}: ${s.message.split("\n").find(Boolean)}`]
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
  return "$code"
}

failed_runs=0
if [ "$parallel" = 1 ]; then
  pids=()
  for run in $(seq "$runs"); do
    run_one "$run" "$@" &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || failed_runs=$((failed_runs + 1))
  done
else
  for run in $(seq "$runs"); do
    run_one "$run" "$@" || failed_runs=$((failed_runs + 1))
  done
fi

echo "[steady] $(date -u +%FT%TZ) $failed_runs of $runs run(s) failed" | tee -a "$summary"
[ "$failed_runs" = 0 ]
