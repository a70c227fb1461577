import { JsonValue } from '@backstage/types';
import { NotFoundError } from '@backstage/errors';
import { ClusterReadCache } from '../upstream/ClusterReadCache';
import { UpstreamError } from '../upstream/errors';
import {
  describeUpstream,
  parseUpstreamJson,
  Upstream,
  upstreamAddress,
  UpstreamClient,
  upstreamKey,
} from '../upstream/UpstreamClient';
import { alertmanagerFilters } from './entityScope';

/** An alert as Alertmanager's `/api/v2/alerts` reports it. */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  fingerprint?: string;
  status?: { state?: string; silencedBy?: string[]; inhibitedBy?: string[] };
}

function keepAlertFields(a: AlertmanagerAlert): AlertmanagerAlert {
  const summary = a.annotations?.summary;
  const description = a.annotations?.description;
  return {
    labels: a.labels ?? {},
    annotations: {
      ...(summary !== undefined ? { summary } : {}),
      ...(description !== undefined ? { description } : {}),
    },
    ...(a.startsAt ? { startsAt: a.startsAt } : {}),
    ...(a.fingerprint ? { fingerprint: a.fingerprint } : {}),
    status: {
      ...(a.status?.state ? { state: a.status.state } : {}),
      silencedBy: a.status?.silencedBy ?? [],
      inhibitedBy: a.status?.inhibitedBy ?? [],
    },
  };
}

export interface AlertmanagerMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

export interface AlertmanagerSilence {
  id: string;
  matchers: AlertmanagerMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status?: { state?: string };
}

const SILENCE_ID = /^[0-9A-Za-z-]{1,64}$/;

/**
 * Alertmanager calls. Alertmanager's `filter=` scans every alert it holds, so the plugin asks
 * once per namespace and window (one shared, coalesced snapshot of that namespace) and filters
 * each entity in memory, instead of one slow scan per entity and viewer.
 */
export class AlertmanagerApi {
  readonly #client: UpstreamClient;
  readonly #cache: ClusterReadCache;

  constructor(client: UpstreamClient, cache: ClusterReadCache) {
    this.#client = client;
    this.#cache = cache;
  }

  #key(upstream: Upstream, what: 'alerts' | 'silences', namespace: string) {
    return `${upstreamKey(upstream)}|${what}|${namespace}`;
  }

  async alertsInNamespace(
    upstream: Upstream,
    namespace: string,
  ): Promise<AlertmanagerAlert[]> {
    return (await this.#cache.get(
      upstream.cluster,
      this.#key(upstream, 'alerts', namespace),
      async () => {
        const alerts = await this.#client.json<AlertmanagerAlert[]>(upstream, {
          path: 'api/v2/alerts',
          query: {
            filter: alertmanagerFilters({ namespace }),
            active: 'true',
            silenced: 'true',
            inhibited: 'true',
            unprocessed: 'true',
          },
        });
        if (!Array.isArray(alerts))
          throw new UpstreamError('Alertmanager alerts are not a list');
        // The snapshot is shared by the namespace's entities for a window: keep only what the
        // plugin serves (receivers, generatorURL and timestamps are most of each alert).
        return alerts.map(keepAlertFields) as unknown as JsonValue;
      },
    )) as unknown as AlertmanagerAlert[];
  }

  async silencesInNamespace(
    upstream: Upstream,
    namespace: string,
  ): Promise<AlertmanagerSilence[]> {
    return (await this.#cache.get(
      upstream.cluster,
      this.#key(upstream, 'silences', namespace),
      async () => {
        const silences = await this.#client.json<AlertmanagerSilence[]>(
          upstream,
          {
            path: 'api/v2/silences',
            query: { filter: alertmanagerFilters({ namespace }) },
          },
        );
        if (!Array.isArray(silences))
          throw new UpstreamError('Alertmanager silences are not a list');
        return silences as unknown as JsonValue;
      },
    )) as unknown as AlertmanagerSilence[];
  }

  async getSilence(
    upstream: Upstream,
    id: string,
  ): Promise<AlertmanagerSilence> {
    if (!SILENCE_ID.test(id)) {
      throw new NotFoundError(`Silence '${id}' not found`);
    }
    const res = await this.#client.request(upstream, {
      path: `api/v2/silence/${id}`,
    });
    if (res.status === 404) {
      throw new NotFoundError(`Silence '${id}' not found`);
    }
    return parseUpstreamJson<AlertmanagerSilence>(upstream, res);
  }

  async createSilence(
    upstream: Upstream,
    namespace: string,
    silence: Omit<AlertmanagerSilence, 'id' | 'status'>,
  ): Promise<string> {
    const res = await this.#client.json<{ silenceID?: string }>(upstream, {
      method: 'POST',
      path: 'api/v2/silences',
      body: silence,
    });
    if (!res?.silenceID)
      throw new UpstreamError('Alertmanager did not return a silence id');
    await this.#invalidate(upstream, namespace);
    return res.silenceID;
  }

  async expireSilence(
    upstream: Upstream,
    namespace: string,
    id: string,
  ): Promise<void> {
    if (!SILENCE_ID.test(id))
      throw new NotFoundError(`Silence '${id}' not found`);
    const res = await this.#client.request(upstream, {
      method: 'DELETE',
      path: `api/v2/silence/${id}`,
    });
    if (res.status === 404)
      throw new NotFoundError(`Silence '${id}' not found`);
    if (res.status < 200 || res.status > 299) {
      throw new UpstreamError(
        `${describeUpstream(upstream)} refused to expire silence '${id}' (${
          res.status
        })`,
        `${upstreamAddress(upstream)}: ${res.status} ${res.body.slice(0, 300)}`,
      );
    }
    await this.#invalidate(upstream, namespace);
  }

  async #invalidate(upstream: Upstream, namespace: string) {
    for (const what of ['alerts', 'silences'] as const) {
      await this.#cache.invalidate(
        upstream.cluster,
        this.#key(upstream, what, namespace),
      );
    }
  }
}
