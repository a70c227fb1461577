/*
 * The demo portal's real backend (packages/backend: its auth with guest sign-in, permission
 * backend with the demo policy, catalog, kubernetes, scaffolder and the Prometheus OCS plugins),
 * in its own process, as the benchmarks' headline backend. Its configuration comes from the
 * `--config` arguments, as for `backstage-cli package start`. The only addition is Backstage's
 * cache service wrapped so that it can be emptied (`clear-cache` over IPC, clearableCache.ts).
 *
 * Started by demoBackend.ts with `fork`.
 */
// The demo backend is an application of this repository, not a library with exports.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { createDemoBackend } from '../../packages/backend/src/createDemoBackend';
import { clearableCacheFactory, serveBenchIpc } from './clearableCache';

async function main() {
  const port = Number(process.env.BENCH_BACKEND_PORT);
  const backend = createDemoBackend();
  backend.add(clearableCacheFactory);
  await backend.start();
  serveBenchIpc(port, () => backend.stop());
}

main().catch(error => {
  process.stderr.write(
    `demo backend failed to start: ${error.stack ?? error}\n`,
  );
  process.exit(1);
});
