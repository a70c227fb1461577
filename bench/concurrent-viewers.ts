/*
 * Concurrent viewers of one entity's Monitoring tab against the demo portal's real backend
 * (guest sessions, the permission backend with the demo policy, the catalog; `--mocked`: the
 * test backend with mocked permissions and catalog, as a breakdown), a real Prometheus/Alertmanager
 * with 10,000 targets and thousands of firing alerts behind the Kubernetes API stand-in's service
 * proxy. A viewer's tab load is what the tab sends: one `GET overview?graphs=…` (status, targets,
 * alerts and its three graph panels), each viewer with its own session's token.
 *
 *   1. bursts: the cache is cleared, then BENCH_BURSTS viewers (50, 200, 500) load the tab at the
 *      same instant, 3 times each — how many upstream requests reach Prometheus/Alertmanager
 *      (counted at the service proxy), the viewers' median and p95;
 *   2. sustained: BENCH_SUSTAINED_VIEWERS (1,000) viewers poll the tab every BENCH_POLL_SECONDS
 *      (default 10 s, 3× the tab's own 30 s) at a random phase for BENCH_SUSTAINED_SECONDS
 *      (default 60 s) — how many upstream requests per distinct question and cache window
 *      (goal: 1), errors and p95;
 *   3. memory: the backend's RSS idle before the load and after it (goal: < 50 MB growth), both
 *      after a memory-reducing GC; its RSS every 5 s during the load (the working set's peak) and
 *      for BENCH_QUIET_SECONDS (default 60 s) after it without any forced GC (whether V8 returns
 *      the load's memory by itself).
 *
 * Run with `yarn bench:viewers`. Environment: BENCH_BURSTS (50,200,500), BENCH_SUSTAINED_VIEWERS
 * (1000), BENCH_POLL_SECONDS, BENCH_SUSTAINED_SECONDS, BENCH_QUIET_SECONDS, BENCH_TAB_LOAD
 * (`separate-graphs`: the tab's requests before its graphs moved into the overview), and the
 * synthetic load's BENCH_TARGETS, BENCH_POOL_SIZE.
 *
 * `yarn bench:viewers --replicas[=N]` then measures the production topology the same way: N
 * (default 2) backends on one PostgreSQL (upstream leases) and one Redis (cache store) behind the
 * production profile's round robin (lib/replicatedBackends.ts), and prints both variants' figures
 * side by side. Memory figures of that variant are the replicas' sum.
 */
import os from 'node:os';
import {
  backendKindFromArgs,
  BenchBackendKind,
  DataBenchEnvironment,
  startDataBenchEnvironment,
  TAB_GRAPH_PANELS,
  TAB_LOAD_PATH,
  timedGet,
} from './lib/benchEnvironment';
import {
  formatBytes,
  formatMs,
  goal,
  markdownTable,
  median,
  p95,
  print,
} from './lib/stats';
import { syntheticLoadOptionsFromEnv } from './lib/syntheticMonitoring';
import type { BackendMemory } from './lib/benchBackend';

/** burst sizes; the goals are about GOAL_VIEWERS */
const BURST_SIZES = (process.env.BENCH_BURSTS || '50,200,500')
  .split(',')
  .map(Number);
const GOAL_VIEWERS = 200;
const BURSTS_PER_SIZE = 3;
const VIEWERS = Number(process.env.BENCH_SUSTAINED_VIEWERS || 1000);
/** distinct guest sessions (tokens); viewers beyond that share them round robin */
const SESSIONS = Math.max(...BURST_SIZES);
const POLL_SECONDS = Number(process.env.BENCH_POLL_SECONDS || 10);
const SUSTAINED_SECONDS = Number(process.env.BENCH_SUSTAINED_SECONDS || 60);
const QUIET_SECONDS = Number(process.env.BENCH_QUIET_SECONDS || 60);
const TTL_SECONDS = 10;

/** `--replicas` (2) or `--replicas=N`: also measure N replicas on PostgreSQL + Redis. */
function replicasFromArgs(argv: string[]): number {
  let replicas = 1;
  for (const arg of argv) {
    if (arg === '--mocked') continue;
    const match = /^--replicas(?:=(\d+))?$/.exec(arg);
    if (!match) {
      throw new Error(`Unknown argument "${arg}" (--replicas[=N], --mocked)`);
    }
    replicas = Number(match[1] ?? 2);
  }
  return replicas;
}

/** The figures of one variant, for the side-by-side table. */
interface ViewerFigures {
  label: string;
  burstUpstream: number;
  burstQuestions: number;
  burstMedian: number;
  burstP95: number;
  /** median and p95 per burst size */
  bursts: Array<{ viewers: number; median: number; p95: number }>;
  sustainedLoads: number;
  sustainedMedian: number;
  sustainedP95: number;
  shortestGap: number;
  errors: number;
  rssIdle: number;
  rssGrowth: number;
  peakGrowth: number;
}

/** The first few distinct errors, for the report. */
const errorSamples = new Map<string, number>();
function noteError(what: string) {
  const key = what.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '…');
  if (errorSamples.size < 5 || errorSamples.has(key)) {
    errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
  }
}

/**
 * `BENCH_TAB_LOAD=separate-graphs`: a tab load as the tab sent it before its graphs moved into
 * the overview (`GET overview` and three `GET query_range` in parallel), for a comparison on the
 * same machine and code.
 */
const SEPARATE_GRAPHS = process.env.BENCH_TAB_LOAD === 'separate-graphs';
const TAB_LOAD_PATHS = SEPARATE_GRAPHS
  ? ['overview', ...TAB_GRAPH_PANELS.map(panel => `query_range?query=${panel}`)]
  : [TAB_LOAD_PATH];

/**
 * One viewer loading the tab: what the tab sends; ms until every answer is complete. A load
 * with a failed request or section counts as one error.
 */
async function loadTab(
  env: DataBenchEnvironment,
  viewer: number,
): Promise<{ ms: number; errors: number }> {
  const headers = env.sessions[viewer % env.sessions.length];
  const start = performance.now();
  const responses = await Promise.all(
    TAB_LOAD_PATHS.map(p =>
      timedGet(`${env.entityUrl}/${p}`, headers).catch(() => undefined),
    ),
  );
  const ms = performance.now() - start;
  // Every section the tab shows, each failing on its own: name the failed ones.
  const sections: Array<[string, any]> = [];
  for (const [i, r] of responses.entries()) {
    if (r?.status !== 200) {
      noteError(r ? `${r.status} ${r.body.slice(0, 200)}` : 'no answer');
      return { ms, errors: 1 };
    }
    const body = JSON.parse(r.body);
    if (!TAB_LOAD_PATHS[i].startsWith('overview')) {
      sections.push([TAB_LOAD_PATHS[i], { value: body }]);
      continue;
    }
    sections.push(
      ['status', body.status],
      ['targets', body.targets],
      ['alerts', body.alerts],
      ...(SEPARATE_GRAPHS
        ? []
        : TAB_GRAPH_PANELS.map((panel): [string, any] => [
            `graph ${panel}`,
            body.graphs?.[panel],
          ])),
    );
  }
  const failed = sections.filter(
    ([, section]) =>
      !section || section.error || section.value?.failures?.length,
  );
  for (const [name, section] of failed) {
    let what = 'missing';
    if (section?.error) {
      what = `${section.error.response.statusCode} ${section.error.error.message}`;
    } else if (section) {
      what = `partial: ${JSON.stringify(section.value.failures).slice(0, 200)}`;
    }
    noteError(`${name}: ${what}`);
  }
  return { ms, errors: failed.length > 0 ? 1 : 0 };
}

/** The distinct upstream question of a proxied request: path and query, without the proxy prefix. */
function upstreamKey(r: { path: string; query: Record<string, string> }) {
  return `${r.path.replace(/^.*\/proxy/, '')}?${new URLSearchParams(r.query)}`;
}

async function measure(
  replicas: number,
  kind: BenchBackendKind,
): Promise<ViewerFigures> {
  const load = syntheticLoadOptionsFromEnv();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const label = `${
    kind === 'demo' ? 'demo backend' : 'BREAKDOWN: mocked test backend'
  }, ${
    replicas > 1
      ? `${replicas} replicas on PostgreSQL + Redis behind a round robin`
      : 'one process, in-memory cache'
  }`;
  log(`--- ${label} ---`);
  errorSamples.clear();
  const env = await startDataBenchEnvironment(load, {
    log,
    ttlSeconds: TTL_SECONDS,
    replicas,
    kind,
    sessions: SESSIONS,
  });
  const viewers = (n: number) =>
    Promise.all(Array.from({ length: n }, (_, i) => loadTab(env, i)));
  try {
    const proxied = () => env.standIn.requests.list({ path: /\/proxy\// });
    await loadTab(env, 0);
    const memoryBefore = await env.backend.memory();
    // A warm-up burst: V8 and the allocator grow to what GOAL_VIEWERS concurrent tabs need once.
    await viewers(GOAL_VIEWERS);
    const memoryWarm = await env.backend.memory();
    // The backend's RSS every 5 s through the load (from /proc: no GC, no pause).
    const loadRss = [env.backend.rss()];
    const sampler = setInterval(() => loadRss.push(env.backend.rss()), 5000);

    const burstMs: number[] = [];
    const burstUpstream: number[] = [];
    let burstKeys = new Map<string, number>();
    /** within any burst of GOAL_VIEWERS: two requests of one question less than a window apart */
    let burstRepeats = 0;
    let errors = 0;
    const bursts: ViewerFigures['bursts'] = [];
    for (const size of BURST_SIZES) {
      log(`${BURSTS_PER_SIZE} bursts of ${size} viewers…`);
      const ms: number[] = [];
      for (let burst = 0; burst < BURSTS_PER_SIZE; burst++) {
        await env.backend.clearCache();
        const before = proxied().length;
        const results = await viewers(size);
        ms.push(...results.map(r => r.ms));
        errors += results.reduce((n, r) => n + r.errors, 0);
        if (size !== GOAL_VIEWERS) continue;
        const requests = proxied().slice(before);
        burstUpstream.push(requests.length);
        burstKeys = new Map();
        const times = new Map<string, number[]>();
        for (const r of requests) {
          burstKeys.set(
            upstreamKey(r),
            (burstKeys.get(upstreamKey(r)) ?? 0) + 1,
          );
          times.set(upstreamKey(r), [
            ...(times.get(upstreamKey(r)) ?? []),
            Date.parse(r.time),
          ]);
        }
        // A burst that outlasts the cache window asks again in the next window, as it should.
        for (const t of times.values()) {
          t.sort((x, y) => x - y);
          burstRepeats += t
            .slice(1)
            .filter((x, i) => x - t[i] < TTL_SECONDS * 1000 * 0.99).length;
        }
        burstMs.push(...results.map(r => r.ms));
      }
      bursts.push({ viewers: size, median: median(ms), p95: p95(ms) });
    }

    log(
      `${VIEWERS} viewers polling every ${POLL_SECONDS} s for ${SUSTAINED_SECONDS} s (cache window ${TTL_SECONDS} s)…`,
    );
    await env.backend.clearCache();
    const sustainedStart = Date.now();
    const startIndex = proxied().length;
    const sustainedMs: number[] = [];
    const deadline = sustainedStart + SUSTAINED_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: VIEWERS }, async (_, viewer) => {
        // A random phase, like viewers who opened the tab at different moments.
        await new Promise(r =>
          setTimeout(r, Math.random() * POLL_SECONDS * 1000),
        );
        while (Date.now() < deadline) {
          const started = Date.now();
          const result = await loadTab(env, viewer);
          sustainedMs.push(result.ms);
          errors += result.errors;
          const wait = POLL_SECONDS * 1000 - (Date.now() - started);
          if (wait > 0) await new Promise(r => setTimeout(r, wait));
        }
      }),
    );
    clearInterval(sampler);
    loadRss.push(env.backend.rss());
    const sustainedSeconds = (Date.now() - sustainedStart) / 1000;

    log(
      `load over: the backend's RSS for ${QUIET_SECONDS} s without forcing a GC…`,
    );
    const quietRss: number[] = [];
    for (let waited = 0; waited < QUIET_SECONDS; waited += 5) {
      await new Promise(r => setTimeout(r, 5000));
      quietRss.push(env.backend.rss());
    }
    const memoryAfter = await env.backend.memory();

    const upstream = proxied().slice(startIndex);
    const byKey = new Map<string, number[]>();
    for (const r of upstream) {
      const times = byKey.get(upstreamKey(r)) ?? [];
      times.push(Date.parse(r.time));
      byKey.set(upstreamKey(r), times);
    }
    const keyRows = [...byKey.entries()].map(([key, times]) => {
      const gaps = times.slice(1).map((t, i) => (t - times[i]) / 1000);
      return {
        key,
        count: times.length,
        minGap: gaps.length ? Math.min(...gaps) : Infinity,
      };
    });
    const windows = sustainedSeconds / TTL_SECONDS;
    const maxPerWindow = Math.max(
      ...keyRows.map(k => (k.minGap >= TTL_SECONDS * 0.99 ? 1 : 2)),
    );
    const mb = (bytes: number) => bytes / 1024 / 1024;
    const rssGrowth = mb(memoryAfter.rss - memoryBefore.rss);
    const peakGrowth = mb(Math.max(...loadRss) - memoryBefore.rss);
    const settled = quietRss.findIndex(r => mb(r - memoryBefore.rss) < 50);
    const heapGrowth = mb(memoryAfter.heapUsed - memoryBefore.heapUsed);
    const shorten = (key: string) =>
      key.length > 110 ? `${key.slice(0, 107)}…` : key;

    print(
      `# Concurrent viewers of one entity — ${label} — ${new Date().toISOString()}`,
      '',
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${
        process.version
      }, load average ${os
        .loadavg()
        .map(l => l.toFixed(2))
        .join(' ')}`,
      `Prometheus/Alertmanager: ${env.monitoring.targets} targets, ${env.monitoring.downTargets} firing alerts; cache window ${TTL_SECONDS} s`,
      '',
      `Bursts (cache cleared, then that many viewers at once, ${BURSTS_PER_SIZE}× each; a tab load is ${TAB_LOAD_PATHS.map(
        p => `GET ${p}`,
      ).join(' + ')}):`,
      '',
      markdownTable(
        ['viewers at once', 'tab loads', 'median', 'p95'],
        bursts.map(b => [
          String(b.viewers),
          String(b.viewers * BURSTS_PER_SIZE),
          formatMs(b.median),
          formatMs(b.p95),
        ]),
      ),
      '',
      `${GOAL_VIEWERS} viewers: upstream requests per burst ${burstUpstream.join(
        ', ',
      )} for ${burstKeys.size} distinct questions`,
      '',
      `Sustained: ${VIEWERS} viewers, ${
        sustainedMs.length
      } tab loads in ${sustainedSeconds.toFixed(1)} s (${(
        sustainedMs.length / sustainedSeconds
      ).toFixed(0)}/s, ${windows.toFixed(
        1,
      )} cache windows); viewer load median ${formatMs(
        median(sustainedMs),
      )}, p95 ${formatMs(p95(sustainedMs))}; errors ${errors}`,
      '',
      markdownTable(
        [
          'upstream question (through the service proxy)',
          'requests',
          'shortest gap between two',
        ],
        keyRows.map(k => [
          shorten(k.key),
          String(k.count),
          Number.isFinite(k.minGap) ? `${k.minGap.toFixed(1)} s` : '–',
        ]),
      ),
      '',
      markdownTable(
        [
          'backend memory (after a memory-reducing full GC)',
          'RSS',
          'JS heap used',
          'JS heap total',
          'external (Buffers)',
          'malloc main arena',
          'malloc thread arenas',
          'other anonymous (V8 pages, large blocks)',
        ],
        (
          [
            ['idle, after start-up and one tab load', memoryBefore],
            [`after one warm-up burst of ${GOAL_VIEWERS} viewers`, memoryWarm],
            [
              `${QUIET_SECONDS} s after ${
                BURST_SIZES.reduce((n, b) => n + b * BURSTS_PER_SIZE, 0) +
                sustainedMs.length
              } more tab loads`,
              memoryAfter,
            ],
          ] as Array<[string, BackendMemory]>
        ).map(([when, m]) => [
          when,
          formatBytes(m.rss),
          formatBytes(m.heapUsed),
          formatBytes(m.heapTotal),
          formatBytes(m.external),
          m.regions ? formatBytes(m.regions.mallocMain) : '–',
          m.regions ? formatBytes(m.regions.mallocThreads) : '–',
          m.regions ? formatBytes(m.regions.otherAnonymous) : '–',
        ]),
      ),
      `Backend RSS during the load (bursts, then sustained), every 5 s, no forced GC: ${loadRss
        .map(r => mb(r).toFixed(0))
        .join(', ')} MB — peak ${peakGrowth.toFixed(0)} MB above idle`,
      `Backend RSS after the load, every 5 s, no forced GC: ${quietRss
        .map(r => mb(r).toFixed(0))
        .join(', ')} MB — ${
        settled >= 0
          ? `back within 50 MB of idle after ${(settled + 1) * 5} s`
          : `not back within 50 MB of idle after ${QUIET_SECONDS} s`
      }`,
      '',
      'Goals:',
      goal(
        burstKeys.size > 0 && burstRepeats === 0,
        `burst: ${GOAL_VIEWERS} viewers → at most one upstream request per question and cache window (last burst: ${
          burstUpstream[burstUpstream.length - 1]
        } requests for ${
          burstKeys.size
        } questions; ${burstRepeats} repeated within a window in all bursts)`,
      ),
      goal(
        median(burstMs) <= 1000,
        `burst: ${GOAL_VIEWERS} viewers at once, median tab load ${formatMs(
          median(burstMs),
        )} (≤ 1 s)`,
      ),
      goal(
        p95(burstMs) <= 2000,
        `burst: ${GOAL_VIEWERS} viewers at once, p95 tab load ${formatMs(
          p95(burstMs),
        )} (≤ 2 s)`,
      ),
      goal(
        maxPerWindow === 1,
        `sustained: at most one upstream request per question and cache window (shortest gap ${Math.min(
          ...keyRows.map(k => k.minGap),
        ).toFixed(1)} s ≥ ${TTL_SECONDS} s)`,
      ),
      goal(
        errors === 0,
        `errors (bursts and ${VIEWERS} sustained viewers): ${errors}${[
          ...errorSamples,
        ]
          .map(([what, n]) => `\n    ${n}× ${what}`)
          .join('')}`,
      ),
      goal(
        settled >= 0,
        `RSS back within 50 MB of idle after the load without a forced GC (${
          settled >= 0
            ? `after ${(settled + 1) * 5} s`
            : 'not within the quiet period'
        })`,
      ),
      goal(
        rssGrowth < 50,
        `backend RSS growth, idle before → after the load = ${rssGrowth.toFixed(
          1,
        )} MB (< 50 MB); from after the warm-up burst ${mb(
          memoryAfter.rss - memoryWarm.rss,
        ).toFixed(1)} MB; JS heap ${
          heapGrowth >= 0 ? '+' : ''
        }${heapGrowth.toFixed(1)} MB`,
      ),
    );
    return {
      label,
      burstUpstream: burstUpstream[0],
      burstQuestions: burstKeys.size,
      burstMedian: median(burstMs),
      burstP95: p95(burstMs),
      bursts,
      sustainedLoads: sustainedMs.length,
      sustainedMedian: median(sustainedMs),
      sustainedP95: p95(sustainedMs),
      shortestGap: Math.min(...keyRows.map(k => k.minGap)),
      errors,
      rssIdle: memoryBefore.rss,
      rssGrowth,
      peakGrowth,
    };
  } finally {
    await env.stop();
  }
}

async function main() {
  const replicas = replicasFromArgs(process.argv.slice(2));
  const kind = backendKindFromArgs(process.argv.slice(2));
  const figures = [await measure(1, kind)];
  if (replicas > 1) figures.push(await measure(replicas, kind));
  if (figures.length < 2) return;
  print(
    '',
    '## Side by side',
    '',
    markdownTable(
      ['figure', ...figures.map(f => f.label)],
      (
        [
          ['upstream requests, first cold burst', f => String(f.burstUpstream)],
          ['distinct upstream questions', f => String(f.burstQuestions)],
          ...BURST_SIZES.map(
            (size, i) =>
              [
                `burst of ${size}: median / p95`,
                (f: ViewerFigures) =>
                  `${formatMs(f.bursts[i].median)} / ${formatMs(
                    f.bursts[i].p95,
                  )}`,
              ] as [string, (f: ViewerFigures) => string],
          ),
          ['sustained: tab loads', f => String(f.sustainedLoads)],
          ['sustained: median', f => formatMs(f.sustainedMedian)],
          ['sustained: p95', f => formatMs(f.sustainedP95)],
          [
            'shortest gap between two requests of a question',
            f => `${f.shortestGap.toFixed(1)} s`,
          ],
          ['errors', f => String(f.errors)],
          ['RSS idle (all processes)', f => formatBytes(f.rssIdle)],
          [
            'RSS growth after the load / peak during it',
            f => `${f.rssGrowth.toFixed(1)} MB / ${f.peakGrowth.toFixed(0)} MB`,
          ],
        ] as Array<[string, (f: ViewerFigures) => string]>
      ).map(([name, value]) => [name, ...figures.map(value)]),
    ),
  );
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
