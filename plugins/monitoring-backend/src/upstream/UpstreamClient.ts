import {
  ClusterDetails,
  DeadlineExceededError,
  KubernetesApiError,
  KubernetesClient,
  KubernetesTimeoutError,
  KubernetesUnreachableError,
  QueryParams,
  withDeadline,
} from '@prometheus-ocs/plugin-monitoring-node';
import { UpstreamLocation } from '../readMonitoringBackendConfig';
import { UpstreamError, UpstreamTimeoutError } from './errors';

/** One Prometheus or Alertmanager, as seen from the backend. */
export interface Upstream {
  kind: 'prometheus' | 'alertmanager';
  cluster: string;
  /** Configured name, shown when a cluster has several of this kind. */
  name?: string;
  location: UpstreamLocation;
  /** Namespace used when the location has none (the entity's namespace). */
  namespace: string;
  timeoutMs: number;
}

export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: QueryParams;
  /** JSON body */
  body?: unknown;
}

export interface UpstreamResponse {
  status: number;
  body: string;
}

/** Refuse absurdly large answers instead of buffering them. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * The upstream as users see it in errors and partial-failure reports: kind, configured name and
 * cluster — never its address (see upstreamAddress).
 */
export function describeUpstream(upstream: Upstream): string {
  const kind = upstream.kind === 'prometheus' ? 'Prometheus' : 'Alertmanager';
  const name = upstream.name ? ` '${upstream.name}'` : '';
  return `${kind}${name} of cluster '${upstream.cluster}'`;
}

/** Where the upstream is (its URL or Service): for the backend log only. */
export function upstreamAddress(upstream: Upstream): string {
  return upstream.location.type === 'url'
    ? upstream.location.url
    : `service ${upstream.location.namespace ?? upstream.namespace}/${
        upstream.location.service
      }:${upstream.location.port} of cluster '${upstream.cluster}'`;
}

/**
 * Why a request failed, in words safe to show: the cluster errors of -node carry no addresses,
 * and of a failed fetch only the error code (ECONNREFUSED, ...) is kept.
 */
function reasonForUsers(error: unknown): string | undefined {
  if (
    error instanceof KubernetesUnreachableError ||
    error instanceof KubernetesApiError
  ) {
    return error.message;
  }
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

function detailOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const extra = (error as { detail?: unknown }).detail;
  const cause = (error as { cause?: unknown }).cause;
  return [
    `${error.name}: ${error.message}`,
    typeof extra === 'string' ? extra : undefined,
    cause instanceof Error ? `cause: ${cause.message}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
}

/** A stable identity of an upstream, for cache keys. */
export function upstreamKey(upstream: Upstream): string {
  const l = upstream.location;
  return l.type === 'url'
    ? `${upstream.kind}|${upstream.cluster}|${l.url}`
    : `${upstream.kind}|${upstream.cluster}|${l.scheme}:${
        l.namespace ?? upstream.namespace
      }/${l.service}:${l.port}`;
}

function withQuery(base: string, path: string, query?: QueryParams): string {
  const url = new URL(`${base}/${path.replace(/^\/+/, '')}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      url.searchParams.append(key, v);
    }
  }
  return url.toString();
}

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new Error(
        `response larger than ${MAX_RESPONSE_BYTES} bytes refused`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Sends requests to Prometheus/Alertmanager through the cluster's API server service proxy
 * (with the cluster's credentials) or to an explicit URL from config. Never to anything else:
 * no part of the target comes from annotations or requests.
 */
export class UpstreamClient {
  readonly #getClient: (cluster: string) => Promise<KubernetesClient>;

  constructor(options: {
    getClient: (cluster: string) => Promise<KubernetesClient>;
  }) {
    this.#getClient = options.getClient;
  }

  static fromClusters(options: {
    getCluster(name: string): Promise<ClusterDetails>;
    clientFactory: {
      getClient(cluster: ClusterDetails): Promise<KubernetesClient>;
    };
  }): UpstreamClient {
    return new UpstreamClient({
      getClient: async name =>
        options.clientFactory.getClient(await options.getCluster(name)),
    });
  }

  async request(
    upstream: Upstream,
    request: UpstreamRequest,
  ): Promise<UpstreamResponse> {
    const body =
      request.body === undefined ? undefined : JSON.stringify(request.body);
    const name = describeUpstream(upstream);
    const timeoutError = () =>
      new UpstreamTimeoutError(
        `${name} did not answer within ${upstream.timeoutMs} ms`,
        upstreamAddress(upstream),
      );
    try {
      if (upstream.location.type === 'url') {
        const url = withQuery(
          upstream.location.url,
          request.path,
          request.query,
        );
        return await withDeadline(
          async signal => {
            const res = await fetch(url, {
              method: request.method ?? 'GET',
              headers: {
                accept: 'application/json',
                ...(body !== undefined
                  ? { 'content-type': 'application/json' }
                  : {}),
              },
              body,
              signal,
              redirect: 'error',
            });
            return { status: res.status, body: await readLimited(res) };
          },
          { timeoutMs: upstream.timeoutMs, timeoutError },
        );
      }
      const client = await this.#getClient(upstream.cluster);
      const { namespace, service, port, scheme } = upstream.location;
      const res = await client.proxy(
        { namespace: namespace ?? upstream.namespace, service, port, scheme },
        {
          method: request.method,
          path: request.path,
          query: request.query,
          body,
          contentType: body !== undefined ? 'application/json' : undefined,
          timeoutMs: upstream.timeoutMs,
        },
      );
      return { status: res.status, body: res.body };
    } catch (error) {
      // A cluster supplier that did not answer names itself.
      if (
        error instanceof UpstreamTimeoutError ||
        error instanceof DeadlineExceededError
      ) {
        throw error;
      }
      if (error instanceof KubernetesTimeoutError) throw timeoutError();
      const reason = reasonForUsers(error);
      throw new UpstreamError(
        `${name} could not be reached${reason ? `: ${reason}` : ''}`,
        `${upstreamAddress(upstream)}: ${detailOf(error)}`,
      );
    }
  }

  /** Sends a request and parses its JSON answer (see parseUpstreamJson). */
  async json<T>(upstream: Upstream, request: UpstreamRequest): Promise<T> {
    return parseUpstreamJson<T>(
      upstream,
      await this.request(upstream, request),
    );
  }
}

/**
 * Parses a JSON answer; non-2xx answers become UpstreamError naming the upstream and the status.
 * What the upstream said (Prometheus `error`, Alertmanager text, the API server's Status message,
 * which for the service proxy names pod addresses) goes to `detail`, for the log only.
 */
export function parseUpstreamJson<T>(
  upstream: Upstream,
  res: UpstreamResponse,
): T {
  let parsed: any;
  try {
    parsed = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    parsed = undefined;
  }
  if (res.status < 200 || res.status > 299) {
    const detail =
      (typeof parsed?.error === 'string' && parsed.error) ||
      (typeof parsed?.message === 'string' && parsed.message) ||
      res.body.slice(0, 300).trim() ||
      'no details';
    throw new UpstreamError(
      `${describeUpstream(upstream)} answered ${res.status}`,
      `${upstreamAddress(upstream)} answered ${res.status}: ${detail}`,
    );
  }
  if (parsed === undefined && res.body) {
    throw new UpstreamError(
      `${describeUpstream(upstream)} answered with invalid JSON`,
      `${upstreamAddress(upstream)}: ${res.body.slice(0, 300)}`,
    );
  }
  return parsed as T;
}
