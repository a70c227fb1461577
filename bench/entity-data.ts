/*
 * Per-entity Monitoring data (targets + alerts) on a busy Prometheus and Alertmanager, three ways
 * side by side in one run:
 *
 *   (a) the floor: the raw, filtered Prometheus/Alertmanager queries for the entity (its scrape
 *       pool, its ALERTS series, its Alertmanager alerts and silences), sent directly;
 *   (b) the backend: GET …/targets and GET …/alerts of the monitoring plugin (through the
 *       Kubernetes API stand-in's service proxy, as in a cluster), cold (cache cleared before the
 *       request) and warm (within the cache window);
 *   (c) fetch-everything, as other portals do: every target, every alerting rule, every
 *       Alertmanager alert and silence, parsed and filtered to the entity in JavaScript.
 *
 * Prints medians, p95, bytes and the ratios b/a and c/b against the goals of issue 9.
 * Run with `yarn bench:entity-data` (needs /usr/bin/prometheus and /usr/bin/prometheus-alertmanager).
 * Environment: BENCH_ROUNDS (default 30), BENCH_TARGETS, BENCH_POOL_SIZE, BENCH_SCRAPE_INTERVAL.
 */
import os from 'node:os';
import {
  AUTH_HEADER,
  startDataBenchEnvironment,
  Timed,
  timedGet,
} from './lib/benchEnvironment';
import {
  formatBytes,
  formatMs,
  formatRatio,
  goal,
  markdownTable,
  median,
  p95,
  print,
} from './lib/stats';
import {
  BENCH_ENTITY,
  syntheticLoadOptionsFromEnv,
} from './lib/syntheticMonitoring';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 30);
const WARMUP_ROUNDS = 3;
const WARM_PER_ROUND = 10;
/** fetch-everything downloads megabytes; sample it every few rounds */
const EVERYTHING_EVERY = 3;

interface Sample {
  ms: number;
  bytes: number;
}

/** Several requests in parallel, as one page load: time until the last one is done. */
async function parallel(
  urls: string[],
  headers: Record<string, string> = {},
): Promise<{ sample: Sample; responses: Timed[] }> {
  const start = performance.now();
  const responses = await Promise.all(urls.map(url => timedGet(url, headers)));
  for (const r of responses) {
    if (r.status !== 200) {
      throw new Error(
        `${r.status} from ${urls[responses.indexOf(r)]}: ${r.body.slice(
          0,
          300,
        )}`,
      );
    }
  }
  return {
    sample: {
      ms: performance.now() - start,
      bytes: responses.reduce((n, r) => n + r.bytes, 0),
    },
    responses,
  };
}

const { name, namespace, service, scrapePool } = BENCH_ENTITY;
const q = encodeURIComponent;

const FLOOR_CALLS = [
  'Prometheus targets?scrapePool=<the pool>',
  'Prometheus query {ALERTS…, namespace, service}',
  'Alertmanager alerts?filter=namespace,service',
  'Alertmanager silences?filter=namespace,service',
];
const EVERYTHING_CALLS = [
  'Prometheus targets (all)',
  'Prometheus rules?type=alert (all)',
  'Alertmanager alerts (all)',
  'Alertmanager silences (all)',
];

/** The entity's own questions, exactly filtered (what a hand-written client would ask). */
function floorUrls(prometheus: string, alertmanager: string) {
  const amFilter = `filter=${q(`namespace="${namespace}"`)}&filter=${q(
    `service="${service}"`,
  )}`;
  return [
    `${prometheus}/api/v1/targets?scrapePool=${q(scrapePool)}&state=active`,
    `${prometheus}/api/v1/query?query=${q(
      `{__name__=~"ALERTS|ALERTS_FOR_STATE",namespace="${namespace}",service="${service}"}`,
    )}`,
    `${alertmanager}/api/v2/alerts?${amFilter}&active=true&silenced=true&inhibited=true&unprocessed=true`,
    `${alertmanager}/api/v2/silences?${amFilter}`,
  ];
}

/** Everything, then filtered in JavaScript the way a browser-side plugin has to. */
async function fetchEverything(
  prometheus: string,
  alertmanager: string,
): Promise<{
  sample: Sample;
  responses: Timed[];
  found: { targets: number; alerts: number; silences: number };
}> {
  const start = performance.now();
  const { sample, responses } = await parallel([
    `${prometheus}/api/v1/targets`,
    `${prometheus}/api/v1/rules?type=alert`,
    `${alertmanager}/api/v2/alerts`,
    `${alertmanager}/api/v2/silences`,
  ]);
  const [targets, rules, alerts, silences] = responses.map(r =>
    JSON.parse(r.body),
  );
  const mine = (labels: Record<string, string> = {}) =>
    labels.namespace === namespace && labels.service === service;
  const entityTargets = targets.data.activeTargets.filter(
    (t: any) => t.scrapePool === scrapePool,
  );
  const ruleAlerts = rules.data.groups.flatMap((g: any) =>
    g.rules.flatMap((r: any) =>
      (r.alerts ?? []).filter((a: any) => mine(a.labels)),
    ),
  );
  const amAlerts = alerts.filter((a: any) => mine(a.labels));
  const entitySilences = silences.filter((s: any) =>
    s.matchers.some(
      (m: any) => m.name === 'namespace' && m.value === namespace,
    ),
  );
  if (
    entityTargets.length === 0 ||
    ruleAlerts.length === 0 ||
    amAlerts.length === 0
  ) {
    throw new Error('fetch-everything found nothing for the entity');
  }
  return {
    sample: { ms: performance.now() - start, bytes: sample.bytes },
    responses,
    found: {
      targets: entityTargets.length,
      alerts: amAlerts.length,
      silences: entitySilences.length,
    },
  };
}

async function main() {
  const load = syntheticLoadOptionsFromEnv();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const env = await startDataBenchEnvironment(load, { log });
  try {
    const { prometheusUrl, alertmanagerUrl } = env.monitoring;
    const proxyBase = (ns: string, svc: string) =>
      `${env.standIn.url}/api/v1/namespaces/${ns}/services/${svc}:web/proxy`;
    const floor = floorUrls(prometheusUrl, alertmanagerUrl);
    const floorViaProxy = floorUrls(
      proxyBase(namespace, 'prometheus-operated'),
      proxyBase('monitoring', 'alertmanager-main'),
    );
    const backendUrls = [`${env.entityUrl}/targets`, `${env.entityUrl}/alerts`];
    const backendHeaders = { authorization: AUTH_HEADER };
    const proxyHeaders = { authorization: 'Bearer bench-cluster-token' };

    const samples = {
      floor: [] as Sample[],
      floorViaProxy: [] as Sample[],
      cold: [] as Sample[],
      warm: [] as Sample[],
      everything: [] as Sample[],
    };
    let upstreamPerCold = 0;
    let memoryBefore: NodeJS.MemoryUsage | undefined;
    let bodies: Timed[] = [];
    const floorCalls: Timed[][] = [];
    const everythingCalls: Timed[][] = [];
    let found = { targets: 0, alerts: 0, silences: 0 };

    log(`measuring ${ROUNDS} rounds (+${WARMUP_ROUNDS} warm-up)…`);
    for (let round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
      const keep = round >= 0;
      if (round === 0) memoryBefore = await env.backend.memory();
      const a = await parallel(floor);
      const a2 = await parallel(floorViaProxy, proxyHeaders);
      await env.backend.clearCache();
      const proxiedBefore = env.standIn.requests.list({
        path: /\/proxy\//,
      }).length;
      const cold = await parallel(backendUrls, backendHeaders);
      upstreamPerCold =
        env.standIn.requests.list({ path: /\/proxy\// }).length - proxiedBefore;
      const warm: Sample[] = [];
      for (let i = 0; i < WARM_PER_ROUND; i++) {
        warm.push((await parallel(backendUrls, backendHeaders)).sample);
      }
      const everything =
        (round + WARMUP_ROUNDS) % EVERYTHING_EVERY === 0
          ? await fetchEverything(prometheusUrl, alertmanagerUrl)
          : undefined;
      if (!keep) continue;
      samples.floor.push(a.sample);
      floorCalls.push(a.responses);
      samples.floorViaProxy.push(a2.sample);
      samples.cold.push(cold.sample);
      samples.warm.push(...warm);
      if (everything) {
        samples.everything.push(everything.sample);
        everythingCalls.push(everything.responses);
        found = everything.found;
      }
      bodies = cold.responses;
    }
    const memoryAfter = await env.backend.memory();

    const [targets, alerts] = bodies.map(b => JSON.parse(b.body));
    const ms = (s: Sample[]) => s.map(x => x.ms);
    const bytes = (s: Sample[]) => median(s.map(x => x.bytes));
    const row = (label: string, s: Sample[]) => [
      label,
      String(s.length),
      formatMs(median(ms(s))),
      formatMs(p95(ms(s))),
      formatBytes(bytes(s)),
    ];

    const a = median(ms(samples.floor));
    const bCold = median(ms(samples.cold));
    const bWarm = median(ms(samples.warm));
    const c = median(ms(samples.everything));
    const bBytes = bytes(samples.cold);
    const cBytes = bytes(samples.everything);
    const rssGrowth = (memoryAfter.rss - memoryBefore!.rss) / 1024 / 1024;
    const callRows = (labels: string[], calls: Timed[][]) =>
      labels.map((label, i) => [
        label,
        formatMs(median(calls.map(call => call[i].ms))),
        formatBytes(median(calls.map(call => call[i].bytes))),
      ]);

    print(
      `# Per-entity Monitoring data — ${new Date().toISOString()}`,
      '',
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(
        os.totalmem() /
        1024 ** 3
      ).toFixed(0)} GB RAM, Node ${process.version}, load average ${os
        .loadavg()
        .map(l => l.toFixed(2))
        .join(' ')}`,
      `Prometheus/Alertmanager: ${env.monitoring.targets} targets (${env.monitoring.upTargets} up, ${env.monitoring.downTargets} down) in ${env.monitoring.pools} pools of ${env.monitoring.namespaces.length} namespaces, ${env.monitoring.downTargets} firing alerts, scrape interval ${load.scrapeInterval}`,
      `Entity: component:default/${name} → ${scrapePool}: ${targets.targets.length} targets (${targets.summary.up} up, ${targets.summary.down} down), ${alerts.alerts.length} alerts; ${upstreamPerCold} upstream requests per cold load`,
      '',
      markdownTable(
        ['approach', 'samples', 'median', 'p95', 'bytes'],
        [
          row('(a) floor: filtered queries, direct', samples.floor),
          row('(a′) the same through the service proxy', samples.floorViaProxy),
          row('(b) backend targets + alerts, cold', samples.cold),
          row('(b) backend targets + alerts, warm', samples.warm),
          row('(c) fetch everything + filter in JS', samples.everything),
        ],
      ),
      '',
      'The individual calls (sent in parallel within one load):',
      '',
      markdownTable(
        ['call', 'median', 'bytes'],
        [
          ...callRows(FLOOR_CALLS, floorCalls),
          ...callRows(EVERYTHING_CALLS, everythingCalls),
        ],
      ),
      '',
      `Fetch-everything found ${found.targets} targets and ${found.alerts} Alertmanager alerts for the entity; the backend answered ${targets.targets.length} targets and ${alerts.alerts.length} alerts.`,
      '',
      markdownTable(
        ['ratio', 'value', 'goal'],
        [
          ['b/a cold (median)', formatRatio(bCold / a), '≤ 1.5'],
          ['c/b cold (median)', formatRatio(c / bCold), '≥ 3'],
          ['c/b warm (median)', formatRatio(c / bWarm), '≥ 10'],
          ['bytes c/b', formatRatio(cBytes / bBytes), '≥ 100'],
        ],
      ),
      '',
      `Backend RSS ${formatBytes(memoryBefore!.rss)} before, ${formatBytes(
        memoryAfter.rss,
      )} after ${
        samples.cold.length + samples.warm.length
      } loads (heap used ${formatBytes(memoryBefore!.heapUsed)} → ${formatBytes(
        memoryAfter.heapUsed,
      )})`,
      '',
      'Goals:',
      goal(bCold / a <= 1.5, `cold b/a = ${formatRatio(bCold / a)} (≤ 1.5)`),
      goal(bWarm <= 10, `warm b = ${formatMs(bWarm)} median (≤ 10 ms)`),
      goal(c / bWarm >= 10, `c/b warm = ${formatRatio(c / bWarm)} (≥ 10)`),
      goal(c / bCold >= 3, `c/b cold = ${formatRatio(c / bCold)} (≥ 3)`),
      goal(
        bBytes <= 50 * 1024,
        `bytes to the browser = ${formatBytes(bBytes)} (≤ 50 KB)`,
      ),
      goal(
        cBytes / bBytes >= 100,
        `bytes c/b = ${formatRatio(cBytes / bBytes)} (≥ 100)`,
      ),
      goal(
        rssGrowth < 50,
        `backend RSS growth = ${rssGrowth.toFixed(1)} MB (< 50 MB)`,
      ),
    );
  } finally {
    await env.stop();
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
