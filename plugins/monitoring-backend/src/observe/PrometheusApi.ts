import { JsonValue } from '@backstage/types';
import { ClusterReadCache } from '../upstream/ClusterReadCache';
import { UpstreamError } from '../upstream/errors';
import {
  describeUpstream,
  Upstream,
  upstreamAddress,
  UpstreamClient,
  upstreamKey,
} from '../upstream/UpstreamClient';

/** An active target as `/api/v1/targets` reports it. */
export interface PrometheusTarget {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
  health: string;
  scrapeInterval?: string;
}

export interface PrometheusSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PrometheusSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

function keepTargetFields(t: PrometheusTarget): PrometheusTarget {
  return {
    labels: t.labels,
    scrapePool: t.scrapePool,
    scrapeUrl: t.scrapeUrl,
    lastError: t.lastError,
    lastScrape: t.lastScrape,
    lastScrapeDuration: t.lastScrapeDuration,
    health: t.health,
    ...(t.scrapeInterval ? { scrapeInterval: t.scrapeInterval } : {}),
  };
}

interface PrometheusEnvelope<T> {
  status: 'success' | 'error';
  data?: T;
  error?: string;
}

/**
 * The few Prometheus HTTP API calls the plugin makes, all label- or pool-filtered server-side
 * and all shared through the coalescing cache (key: upstream + call + parameters).
 */
export class PrometheusApi {
  readonly #client: UpstreamClient;
  readonly #cache: ClusterReadCache;

  constructor(client: UpstreamClient, cache: ClusterReadCache) {
    this.#client = client;
    this.#cache = cache;
  }

  async #get<T>(
    upstream: Upstream,
    path: string,
    query: Record<string, string>,
    keep: (data: T) => T = data => data,
  ): Promise<T> {
    const key = `${upstreamKey(upstream)}|GET ${path}?${new URLSearchParams(
      query,
    )}`;
    return (await this.#cache.get(upstream.cluster, key, async () => {
      const body = await this.#client.json<PrometheusEnvelope<T>>(upstream, {
        path,
        query,
      });
      if (body?.status !== 'success' || body.data === undefined) {
        throw new UpstreamError(
          `${describeUpstream(upstream)} answered an error`,
          `${upstreamAddress(upstream)} answered an error: ${
            body?.error ?? 'no data'
          }`,
        );
      }
      return keep(body.data) as unknown as JsonValue;
    })) as T;
  }

  /** Active targets of one scrape pool (`scrapePool=` needs Prometheus ≥ 2.42). */
  async targets(
    upstream: Upstream,
    scrapePool: string,
  ): Promise<PrometheusTarget[]> {
    const data = await this.#get<{ activeTargets?: PrometheusTarget[] }>(
      upstream,
      'api/v1/targets',
      { scrapePool, state: 'active' },
      // Older Prometheus versions ignore scrapePool: filter before caching so other pools never
      // leak; and cache only the fields we serve (discoveredLabels alone is most of the answer).
      d => ({
        activeTargets: (d.activeTargets ?? [])
          .filter(t => t.scrapePool === scrapePool)
          .map(keepTargetFields),
      }),
    );
    return data.activeTargets ?? [];
  }

  /** Instant query returning a vector. */
  async query(upstream: Upstream, promql: string): Promise<PrometheusSample[]> {
    const data = await this.#get<{
      resultType: string;
      result: PrometheusSample[];
    }>(upstream, 'api/v1/query', { query: promql });
    if (data.resultType !== 'vector') {
      throw new UpstreamError(
        `${describeUpstream(upstream)} answered a ${
          data.resultType
        } for an instant vector query`,
      );
    }
    return data.result;
  }

  /** Range query returning a matrix. */
  async queryRange(
    upstream: Upstream,
    promql: string,
    range: { start: number; end: number; step: number },
  ): Promise<PrometheusSeries[]> {
    const data = await this.#get<{
      resultType: string;
      result: PrometheusSeries[];
    }>(upstream, 'api/v1/query_range', {
      query: promql,
      start: String(range.start),
      end: String(range.end),
      step: String(range.step),
    });
    if (data.resultType !== 'matrix') {
      throw new UpstreamError(
        `${describeUpstream(upstream)} answered a ${
          data.resultType
        } for a range query`,
      );
    }
    return data.result;
  }
}
