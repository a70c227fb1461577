/*
 * Per-entity Monitoring data on a busy Prometheus and Alertmanager, side by side in one run:
 *
 *   (a) the floor: the raw, filtered Prometheus/Alertmanager queries for the entity (its scrape
 *       pool, its ALERTS series, its Alertmanager alerts and silences), sent directly;
 *   (b) the backend, with a signed-in user's token, through the Kubernetes API stand-in's
 *       service proxy as in a cluster; cold (every cache emptied just before) and warm (within
 *       the cache window): `GET …/overview` (status, targets and alerts: the same questions as
 *       the floor) and the tab load as the Monitoring tab sends it, `GET …/overview?graphs=…`
 *       (also its three graph panels); for comparison the separate `targets` + `alerts` GETs, the
 *       three section GETs the tab sent before `overview`, and `overview` plus three
 *       `query_range` GETs (the tab before its graphs moved into the overview);
 *   (c) fetch-everything, as other portals do: every target, every alerting rule, every
 *       Alertmanager alert and silence, parsed and filtered to the entity in JavaScript;
 *   (d) Backstage's own cost: the catalog's plain `GET entities/by-name/…` of the entity with the
 *       same token.
 *
 * The backend is the demo portal's real one (packages/backend: guest sign-in, the permission
 * backend with the demo policy, the catalog); `--mocked` measures Backstage's test backend with
 * mocked permissions and catalog instead (a breakdown: what the plugin itself costs).
 * Run with `yarn bench:entity-data` (needs /usr/bin/prometheus and /usr/bin/prometheus-alertmanager).
 * Environment: BENCH_ROUNDS (default 30), BENCH_TARGETS, BENCH_POOL_SIZE, BENCH_SCRAPE_INTERVAL.
 */
import os from 'node:os';
import {
  backendKindFromArgs,
  startDataBenchEnvironment,
  TAB_GRAPH_PANELS,
  TAB_LOAD_PATH,
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
  const kind = backendKindFromArgs(process.argv.slice(2));
  const env = await startDataBenchEnvironment(load, { log, kind });
  try {
    const { prometheusUrl, alertmanagerUrl } = env.monitoring;
    const proxyBase = (ns: string, svc: string) =>
      `${env.standIn.url}/api/v1/namespaces/${ns}/services/${svc}:web/proxy`;
    const floor = floorUrls(prometheusUrl, alertmanagerUrl);
    const floorViaProxy = floorUrls(
      proxyBase(namespace, 'prometheus-operated'),
      proxyBase('monitoring', 'alertmanager-main'),
    );
    const overviewUrls = [`${env.entityUrl}/overview`];
    const tabUrls = [`${env.entityUrl}/${TAB_LOAD_PATH}`];
    const separateGraphsUrls = [
      ...overviewUrls,
      ...TAB_GRAPH_PANELS.map(p => `${env.entityUrl}/query_range?query=${p}`),
    ];
    const sectionUrls = [`${env.entityUrl}/targets`, `${env.entityUrl}/alerts`];
    const threeUrls = [`${env.entityUrl}/status`, ...sectionUrls];
    const backendHeaders = env.sessions[0];
    const proxyHeaders = { authorization: 'Bearer bench-cluster-token' };

    const samples = {
      floor: [] as Sample[],
      floorViaProxy: [] as Sample[],
      cold: [] as Sample[],
      warm: [] as Sample[],
      tabCold: [] as Sample[],
      tabWarm: [] as Sample[],
      separateGraphsWarm: [] as Sample[],
      sectionsCold: [] as Sample[],
      sectionsWarm: [] as Sample[],
      threeWarm: [] as Sample[],
      catalog: [] as Sample[],
      everything: [] as Sample[],
    };
    let upstreamPerCold = 0;
    let upstreamPerColdTab = 0;
    let memoryBefore: NodeJS.MemoryUsage | undefined;
    let bodies: Timed[] = [];
    const floorCalls: Timed[][] = [];
    const everythingCalls: Timed[][] = [];
    let found = { targets: 0, alerts: 0, silences: 0 };
    const warmLoads = async (urls: string[]) => {
      const out: Sample[] = [];
      for (let i = 0; i < WARM_PER_ROUND; i++) {
        out.push((await parallel(urls, backendHeaders)).sample);
      }
      return out;
    };

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
      const cold = await parallel(overviewUrls, backendHeaders);
      upstreamPerCold =
        env.standIn.requests.list({ path: /\/proxy\// }).length - proxiedBefore;
      const warm = await warmLoads(overviewUrls);
      await env.backend.clearCache();
      const tabProxiedBefore = env.standIn.requests.list({
        path: /\/proxy\//,
      }).length;
      const tabCold = await parallel(tabUrls, backendHeaders);
      upstreamPerColdTab =
        env.standIn.requests.list({ path: /\/proxy\// }).length -
        tabProxiedBefore;
      const tabWarm = await warmLoads(tabUrls);
      const separateGraphsWarm = await warmLoads(separateGraphsUrls);
      await env.backend.clearCache();
      const sectionsCold = await parallel(sectionUrls, backendHeaders);
      const sectionsWarm = await warmLoads(sectionUrls);
      const threeWarm = await warmLoads(threeUrls);
      const catalog = env.catalogEntityUrl
        ? await warmLoads([env.catalogEntityUrl])
        : [];
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
      samples.tabCold.push(tabCold.sample);
      samples.tabWarm.push(...tabWarm);
      samples.separateGraphsWarm.push(...separateGraphsWarm);
      samples.sectionsCold.push(sectionsCold.sample);
      samples.sectionsWarm.push(...sectionsWarm);
      samples.threeWarm.push(...threeWarm);
      samples.catalog.push(...catalog);
      if (everything) {
        samples.everything.push(everything.sample);
        everythingCalls.push(everything.responses);
        found = everything.found;
      }
      bodies = cold.responses;
    }
    const memoryAfter = await env.backend.memory();

    const overview = JSON.parse(bodies[0].body);
    const targets = overview.targets.value;
    const alerts = overview.alerts.value;
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
    const tabWarm = median(ms(samples.tabWarm));
    const catalogGet = samples.catalog.length
      ? median(ms(samples.catalog))
      : undefined;
    const warmGoal = Math.max(10, 1.5 * (catalogGet ?? 0));
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
    const backendLabel =
      env.kind === 'demo'
        ? "the demo portal's real backend (guest token, permission backend + demo policy, catalog)"
        : 'BREAKDOWN ONLY: the test backend with mocked permissions and catalog';

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
      `Backend: ${backendLabel}`,
      `Prometheus/Alertmanager: ${env.monitoring.targets} targets (${env.monitoring.upTargets} up, ${env.monitoring.downTargets} down) in ${env.monitoring.pools} pools of ${env.monitoring.namespaces.length} namespaces, ${env.monitoring.downTargets} firing alerts, scrape interval ${load.scrapeInterval}`,
      `Entity: component:default/${name} → ${scrapePool}: ${targets.targets.length} targets (${targets.summary.up} up, ${targets.summary.down} down), ${alerts.alerts.length} alerts; upstream requests per cold load: ${upstreamPerCold} (overview), ${upstreamPerColdTab} (tab load with graphs)`,
      '',
      markdownTable(
        ['approach', 'samples', 'median', 'p95', 'bytes'],
        [
          row('(a) floor: filtered queries, direct', samples.floor),
          row('(a′) the same through the service proxy', samples.floorViaProxy),
          row('(b) GET overview, cold', samples.cold),
          row('(b) GET overview, warm', samples.warm),
          row('(b) tab load: GET overview?graphs=, cold', samples.tabCold),
          row('(b) tab load: GET overview?graphs=, warm', samples.tabWarm),
          row(
            '(b) GET overview + 3 × query_range, warm',
            samples.separateGraphsWarm,
          ),
          row('(b) GET targets + GET alerts, cold', samples.sectionsCold),
          row('(b) GET targets + GET alerts, warm', samples.sectionsWarm),
          row('(b) GET status + targets + alerts, warm', samples.threeWarm),
          ...(samples.catalog.length
            ? [row('(d) catalog GET of the entity, warm', samples.catalog)]
            : []),
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
          ['b/a cold (median)', formatRatio(bCold / a), '≤ 1.3'],
          ...(catalogGet
            ? [
                ['b warm / d (median)', formatRatio(bWarm / catalogGet), ''],
                [
                  'tab load warm / d (median)',
                  formatRatio(tabWarm / catalogGet),
                  '≤ 1.5',
                ],
              ]
            : []),
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
      goal(bCold / a <= 1.3, `cold b/a = ${formatRatio(bCold / a)} (≤ 1.3)`),
      goal(
        tabWarm <= warmGoal,
        `warm tab load (GET ${TAB_LOAD_PATH}) = ${formatMs(
          tabWarm,
        )} median (≤ ${formatMs(warmGoal)}: ${
          catalogGet
            ? `10 ms, or 1.5 × the catalog GET's ${formatMs(catalogGet)}`
            : '10 ms'
        })`,
      ),
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
