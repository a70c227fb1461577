/*
 * Applies 100 entities (5 namespaces × 20) to the Kubernetes API stand-in through the backend's
 * HTTP API (POST …/apply: render, ownership checks, server-side apply of every object), then
 * applies them again (nothing changes: every object `unchanged`, nothing written), then tears
 * them all down. Prints per-entity medians and p95, and the API requests each step sent.
 *
 * The stand-in validates every monitoring.coreos.com object against the official CRD schemas and
 * keeps managed fields like the real API server, so its own cost is part of the figures.
 * Run with `yarn bench:apply`. Environment: BENCH_ENTITIES (default 100).
 */
import os from 'node:os';
import { startBenchBackend } from './lib/benchBackend';
import {
  AUTH_HEADER,
  backendConfig,
  benchEntity,
  onShutdown,
  startBenchStandIn,
} from './lib/benchEnvironment';
import { formatMs, goal, markdownTable, median, p95, print } from './lib/stats';

const ENTITIES = Number(process.env.BENCH_ENTITIES || 100);
const NAMESPACES = Array.from({ length: 5 }, (_, i) => `apply-bench-${i}`);

async function main() {
  const standIn = await startBenchStandIn(NAMESPACES);
  const entities = Array.from({ length: ENTITIES }, (_, i) =>
    benchEntity(
      `service-${String(i).padStart(3, '0')}`,
      NAMESPACES[i % NAMESPACES.length],
      {
        'prometheus-ocs.io/alert-rules':
          '- alert: HighErrorRate\n  expr: sum(rate(http_requests_total{code=~"5.."}[5m])) > 1\n  for: 10m\n',
      },
    ),
  );
  const backend = await startBenchBackend({
    config: backendConfig(standIn.url, NAMESPACES),
    entities,
  });
  const stop = async () => {
    await backend.stop();
    await standIn.close();
  };
  onShutdown(stop);

  try {
    const call = async (method: string, path: string) => {
      const start = performance.now();
      const res = await fetch(
        `${backend.baseUrl}/entities/component/default/${path}`,
        {
          method,
          headers: {
            authorization: AUTH_HEADER,
            'content-type': 'application/json',
          },
          body: method === 'POST' ? '{}' : undefined,
        },
      );
      const body = (await res.json()) as any;
      const ms = performance.now() - start;
      if (res.status !== 200 || body.ok === false) {
        throw new Error(
          `${method} ${path}: ${res.status} ${JSON.stringify(body).slice(
            0,
            500,
          )}`,
        );
      }
      return { ms, body };
    };

    // Warm-up (module loading, API discovery, connections): a plan writes nothing.
    await call('POST', `${entities[0].metadata.name}/plan`);
    const steps: Array<{
      step: string;
      ms: number[];
      requests: number;
      writes: number;
      results: Map<string, number>;
      total: number;
      resourceVersionMoved: boolean;
    }> = [];
    const run = async (step: string, method: string, suffix: string) => {
      standIn.requests.clear();
      const resourceVersion = standIn.state.resourceVersion();
      const ms: number[] = [];
      const results = new Map<string, number>();
      const start = performance.now();
      for (const entity of entities) {
        const { ms: t, body } = await call(
          method,
          `${entity.metadata.name}${suffix}`,
        );
        ms.push(t);
        for (const o of body.objects) {
          // apply and teardown report a result per object, plan an action.
          const outcome = o.result ?? o.action;
          results.set(outcome, (results.get(outcome) ?? 0) + 1);
        }
      }
      steps.push({
        step,
        ms,
        requests: standIn.requests.list().length,
        writes: standIn.requests.writes().length,
        results,
        total: performance.now() - start,
        resourceVersionMoved:
          standIn.state.resourceVersion() !== resourceVersion,
      });
    };

    await run('apply (create)', 'POST', '/apply');
    await run('apply again (no change)', 'POST', '/apply');
    await run('plan', 'POST', '/plan');
    await run('teardown', 'DELETE', '');
    const left = NAMESPACES.flatMap(namespace =>
      ['ServiceMonitor', 'Prometheus', 'PrometheusRule'].flatMap(kind =>
        standIn.state.list({
          apiVersion: 'monitoring.coreos.com/v1',
          kind,
          namespace,
        }),
      ),
    ).length;

    const [create, again] = steps;
    print(
      `# Apply ${ENTITIES} entities to the Kubernetes API stand-in — ${new Date().toISOString()}`,
      '',
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${
        process.version
      }, load average ${os
        .loadavg()
        .map(l => l.toFixed(2))
        .join(' ')}`,
      `${ENTITIES} entities in ${NAMESPACES.length} namespaces, each with a PrometheusRule; sequential requests to the backend`,
      "BREAKDOWN: Backstage's test backend with mocked permissions and catalog (what apply costs the plugin and the API server, not a user-facing figure)",
      '',
      markdownTable(
        [
          'step',
          'total',
          'per entity median',
          'p95',
          'API requests',
          'write requests',
          'object results',
        ],
        steps.map(s => [
          s.step,
          `${(s.total / 1000).toFixed(2)} s`,
          formatMs(median(s.ms)),
          formatMs(p95(s.ms)),
          String(s.requests),
          String(s.writes),
          [...s.results.entries()].map(([k, v]) => `${v} ${k}`).join(', '),
        ]),
      ),
      '',
      goal(
        create.results.get('created') ===
          create.ms.length * 3 + NAMESPACES.length * 4,
        `every object created once (${create.results.get('created')} objects)`,
      ),
      goal(
        [...again.results.keys()].every(k => k === 'unchanged') &&
          !again.resourceVersionMoved,
        `re-apply changes nothing (${[...again.results.entries()]
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')}; resourceVersion ${
          again.resourceVersionMoved ? 'moved' : 'did not move'
        })`,
      ),
      goal(
        left === 0,
        `nothing left after teardown (${left} monitoring objects)`,
      ),
    );
  } finally {
    await stop();
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
