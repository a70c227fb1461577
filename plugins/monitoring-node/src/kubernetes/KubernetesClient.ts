import {
  FIELD_MANAGER,
  KubeObject,
} from '@prometheus-ocs/plugin-monitoring-common';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
} from '@backstage/errors';
import http from 'node:http';
import https from 'node:https';
import { ClusterCaller, ClusterDetails } from '../clusters/types';
import {
  KubernetesApiError,
  KubernetesListLimitError,
  KubernetesStatusCause,
  KubernetesTimeoutError,
  KubernetesUnreachableError,
} from './errors';
import {
  groupVersionPath,
  KNOWN_RESOURCE_KINDS,
  ResourceKindInfo,
} from './resourceKinds';
import { buildServiceProxyPath, ServiceProxyTarget } from './serviceProxyPath';
import { withDeadline } from '../deadline/withDeadline';

/** Objects per list page (`limit`). */
const LIST_PAGE_SIZE = 500;
/**
 * Default for `monitoring.kubernetes.maxListPages`: 10,000 objects of one kind in a namespace.
 *
 * @public
 */
export const DEFAULT_MAX_LIST_PAGES = 20;

/**
 * Identifies one object. `namespace` is required for namespaced kinds.
 *
 * @public
 */
export interface ObjectKey {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * Query parameters; arrays become repeated parameters (`filter=a&filter=b`).
 *
 * @public
 */
export type QueryParams = Record<string, string | string[] | undefined>;

/**
 * A response passed through the API server's service proxy, as received.
 *
 * @public
 */
export interface ProxyResponse {
  status: number;
  contentType?: string;
  body: string;
}

/** @public */
export interface KubernetesClientOptions {
  cluster: ClusterDetails;
  /** TLS/proxy agent built from the cluster's kubeconfig settings. */
  agent: http.Agent;
  timeoutMs: number;
  /** Responses larger than this are refused, so one huge answer cannot exhaust memory. Default 32 MiB. */
  maxResponseBytes?: number;
  /**
   * Pages a list may take (`monitoring.kubernetes.maxListPages`), so an API server that answers
   * `continue` forever cannot keep a request busy. Default DEFAULT_MAX_LIST_PAGES.
   */
  maxListPages?: number;
  /** Who the requests are made for (user-delegated clusters need it); see `withCaller`. */
  caller?: ClusterCaller;
}

interface RawResponse {
  status: number;
  contentType?: string;
  body: Buffer;
  /** the request answered, to describe a refusal without the API server's own words */
  method: string;
  path: string;
}

/**
 * What a request asked for, in RBAC terms: `list servicemonitors in namespace "shop-prod"`.
 * Built from our own request, so that a refusal (401/403) can be shown without the API server's
 * message, which names the identity the plugin runs as (its ServiceAccount).
 */
function describeRequestForRbac(method: string, path: string): string {
  const match =
    /^\/(?:api\/[^/]+|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?(?:\/([^/]+)(?:\/([^/?]+))?)?/.exec(
      path,
    );
  const namespace = match?.[1] ? decodeURIComponent(match[1]) : undefined;
  const resource = match?.[2];
  const named = match?.[3] !== undefined;
  const verb =
    {
      GET: named ? 'get' : 'list',
      PATCH: 'patch',
      PUT: 'update',
      POST: 'create',
      DELETE: 'delete',
    }[method] ?? method.toLowerCase();
  if (!resource) return `${verb} ${path.split('?')[0]}`;
  return `${verb} ${resource}${
    namespace ? ` in namespace ${JSON.stringify(namespace)}` : ''
  }`;
}

function appendQuery(url: URL, query?: QueryParams) {
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      url.searchParams.append(key, v);
    }
  }
}

/**
 * An error of the Kubernetes plugin's proxy itself (not of the API server behind it): the body is a
 * Backstage error (`{ error: { name, message } }`), never a Kubernetes `Status` nor a proxied
 * service's answer. Read as what it is, so that e.g. "cluster not found" is never taken for "object
 * absent".
 */
function backstageProxyError(
  cluster: string,
  res: RawResponse,
): Error | undefined {
  if (res.status < 400 || !res.contentType?.includes('application/json')) {
    return undefined;
  }
  let json: any;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    return undefined;
  }
  const error = json?.error;
  if (
    json?.kind !== undefined ||
    typeof error !== 'object' ||
    typeof error?.name !== 'string' ||
    typeof error?.message !== 'string'
  ) {
    return undefined;
  }
  const detail = `${error.name}: ${error.message}${
    error.cause?.message ? ` (${error.cause.message})` : ''
  }`;
  if (res.status === 401) {
    return new AuthenticationError(
      `The Kubernetes plugin did not accept the credentials for cluster '${cluster}': ${error.message}`,
    );
  }
  if (res.status === 403) {
    return new NotAllowedError(
      `The Kubernetes plugin refused the request to cluster '${cluster}' (permission kubernetes.proxy)`,
    );
  }
  if (res.status === 404) {
    return new InputError(
      `Cluster '${cluster}' is not a cluster of the Kubernetes plugin`,
    );
  }
  if (res.status >= 500) {
    // The API server's own failures arrive as Kubernetes Status objects; a Backstage error from the
    // proxy means it could not reach the API server (connection refused, DNS, TLS).
    const code = error.code ?? error.cause?.code;
    return new KubernetesUnreachableError(
      cluster,
      typeof code === 'string'
        ? code
        : 'the Kubernetes plugin could not reach it',
      detail,
    );
  }
  return new KubernetesApiError({
    cluster,
    status: res.status,
    message: http.STATUS_CODES[res.status] ?? 'error',
    detail,
  });
}

/**
 * A thin client for the Kubernetes API of one cluster that keeps objects as plain JSON.
 *
 * `@kubernetes/client-node`'s KubeConfig supplies TLS and proxy settings; requests are sent with
 * Node's http(s) module rather than client-node's typed API objects, because those (de)serialize
 * through generated models that drop fields they do not know and turn timestamps into Dates —
 * which would corrupt both the server-side-apply bodies and the drift comparison.
 *
 * Tokens only travel in the Authorization header; no error message includes request headers.
 *
 * @public
 */
export class KubernetesClient {
  readonly clusterName: string;
  readonly #cluster: ClusterDetails;
  readonly #agent: http.Agent;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #maxListPages: number;
  readonly #options: KubernetesClientOptions;
  #discovery = new Map<string, Promise<Map<string, ResourceKindInfo>>>();

  constructor(options: KubernetesClientOptions) {
    this.#options = options;
    this.#cluster = options.cluster;
    this.clusterName = options.cluster.name;
    this.#agent = options.agent;
    this.#timeoutMs = options.timeoutMs;
    this.#maxResponseBytes = options.maxResponseBytes ?? 32 * 1024 * 1024;
    this.#maxListPages = options.maxListPages ?? DEFAULT_MAX_LIST_PAGES;
  }

  /**
   * This client acting for `caller`: on a user-delegated cluster the requests carry the user's
   * identity and cluster token, so the cluster's RBAC decides. Connections and API discovery are
   * shared with this client.
   */
  withCaller(caller: ClusterCaller | undefined): KubernetesClient {
    if (!caller || !this.#cluster.userDelegated) return this;
    const client = new KubernetesClient({ ...this.#options, caller });
    client.#discovery = this.#discovery;
    return client;
  }

  /** Reads one object; `undefined` when it does not exist. */
  async get(key: ObjectKey): Promise<KubeObject | undefined> {
    const res = await this.#request('GET', await this.#objectPath(key));
    if (res.status === 404) return undefined;
    return this.#parseObject(res);
  }

  /**
   * Lists objects of one kind in a namespace, following `continue` tokens for at most
   * `maxListPages` pages.
   * @throws KubernetesListLimitError when the list does not end within them
   */
  async list(options: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    labelSelector?: string;
  }): Promise<KubeObject[]> {
    const path = await this.#collectionPath(options);
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let pages = 0;
    do {
      if (pages === this.#maxListPages) {
        throw new KubernetesListLimitError({
          cluster: this.clusterName,
          list: `${options.kind} in ${
            options.namespace ? `namespace ${options.namespace}` : 'the cluster'
          }${options.labelSelector ? ` (${options.labelSelector})` : ''}`,
          pages,
          pageSize: LIST_PAGE_SIZE,
        });
      }
      pages++;
      const res = await this.#request('GET', path, {
        query: {
          labelSelector: options.labelSelector,
          limit: String(LIST_PAGE_SIZE),
          continue: continueToken,
        },
      });
      const list = this.#parseObject(res) as unknown as {
        items?: KubeObject[];
        metadata?: { continue?: string };
      };
      for (const item of list.items ?? []) {
        // List items omit apiVersion/kind; restore them so callers can treat items like objects.
        items.push({
          ...item,
          apiVersion: options.apiVersion,
          kind: options.kind,
        });
      }
      continueToken = list.metadata?.continue || undefined;
    } while (continueToken);
    return items;
  }

  /**
   * Server-side apply (`application/apply-patch+yaml`) as field manager `prometheus-ocs`.
   * Without `force`, fields owned by another manager make the API server answer 409, surfaced
   * as a KubernetesApiError with `kubernetesStatus` 409 and the conflicting fields in `causes`.
   */
  async apply(
    object: KubeObject,
    options: { dryRun?: boolean; force?: boolean; fieldManager?: string } = {},
  ): Promise<KubeObject> {
    const path = await this.#objectPath({
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
    });
    const res = await this.#request('PATCH', path, {
      query: {
        fieldManager: options.fieldManager ?? FIELD_MANAGER,
        force: options.force ? 'true' : undefined,
        dryRun: options.dryRun ? 'All' : undefined,
      },
      contentType: 'application/apply-patch+yaml',
      // JSON is valid YAML, and keeps the exact shape the renderer produced.
      body: JSON.stringify(object),
    });
    return this.#parseObject(res);
  }

  /**
   * Deletes one object. With `uid`, the API server only deletes the very object that was
   * inspected (a precondition), not a same-named object created in between.
   * Returns false when the object did not exist.
   */
  async delete(
    key: ObjectKey,
    options: { uid?: string } = {},
  ): Promise<boolean> {
    const body = options.uid
      ? JSON.stringify({
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          preconditions: { uid: options.uid },
          propagationPolicy: 'Background',
        })
      : undefined;
    const res = await this.#request('DELETE', await this.#objectPath(key), {
      body,
      contentType: body ? 'application/json' : undefined,
    });
    if (res.status === 404) return false;
    this.#parseObject(res);
    return true;
  }

  /** Whether the API server serves a group version, e.g. `monitoring.coreos.com/v1`. */
  async hasApiVersion(apiVersion: string): Promise<boolean> {
    const res = await this.#request('GET', groupVersionPath(apiVersion));
    if (res.status === 404) return false;
    this.#parseObject(res);
    return true;
  }

  /**
   * Calls a service through the API server's service proxy. The response is returned as is
   * (any status), for the caller to interpret; only transport failures throw.
   */
  async proxy(
    target: ServiceProxyTarget,
    options: {
      method?: 'GET' | 'POST' | 'DELETE';
      path: string;
      query?: QueryParams;
      body?: string;
      contentType?: string;
      signal?: AbortSignal;
      timeoutMs?: number;
    },
  ): Promise<ProxyResponse> {
    const res = await this.#request(
      options.method ?? 'GET',
      buildServiceProxyPath(target, options.path),
      options,
    );
    return {
      status: res.status,
      contentType: res.contentType,
      body: res.body.toString('utf8'),
    };
  }

  async #resourceInfo(
    apiVersion: string,
    kind: string,
  ): Promise<ResourceKindInfo> {
    const known = KNOWN_RESOURCE_KINDS[`${apiVersion}/${kind}`];
    if (known) return known;
    let resources = this.#discovery.get(apiVersion);
    if (!resources) {
      resources = this.#discover(apiVersion);
      this.#discovery.set(apiVersion, resources);
      resources.catch(() => this.#discovery.delete(apiVersion));
    }
    const info = (await resources).get(kind);
    if (!info) {
      throw new InputError(
        `Cluster '${this.clusterName}' does not serve kind ${kind} in ${apiVersion}`,
      );
    }
    return info;
  }

  async #discover(apiVersion: string): Promise<Map<string, ResourceKindInfo>> {
    const res = await this.#request('GET', groupVersionPath(apiVersion));
    const map = new Map<string, ResourceKindInfo>();
    if (res.status === 404) return map;
    const list = this.#parseObject(res) as unknown as {
      resources?: Array<{ name: string; kind: string; namespaced: boolean }>;
    };
    for (const r of list.resources ?? []) {
      if (!r.name.includes('/')) {
        map.set(r.kind, { plural: r.name, namespaced: r.namespaced });
      }
    }
    return map;
  }

  async #collectionPath(key: {
    apiVersion: string;
    kind: string;
    namespace?: string;
  }): Promise<string> {
    const info = await this.#resourceInfo(key.apiVersion, key.kind);
    const parts = [groupVersionPath(key.apiVersion)];
    if (info.namespaced) {
      if (!key.namespace) {
        throw new InputError(
          `${key.kind} is namespaced but no namespace was given`,
        );
      }
      parts.push('namespaces', encodeURIComponent(key.namespace));
    }
    parts.push(info.plural);
    return parts.join('/');
  }

  async #objectPath(key: ObjectKey): Promise<string> {
    if (!key.name) {
      throw new InputError(`${key.kind} has no name`);
    }
    return `${await this.#collectionPath(key)}/${encodeURIComponent(key.name)}`;
  }

  #parseObject(res: RawResponse): KubeObject {
    const text = res.body.toString('utf8');
    let json: any;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = undefined;
    }
    if (res.status < 200 || res.status > 299) {
      const statusMessage =
        typeof json?.message === 'string'
          ? (json.message as string)
          : undefined;
      // The Status message of a 4xx describes our own request (a conflict, an invalid field) and
      // is shown; a 5xx's message and any other body (a proxy's error page, etcd trouble) are
      // the server's internals and only go to the log. So is a 401/403's on a service-identity
      // cluster: it names the identity the plugin runs as (`User "system:serviceaccount:…"`);
      // users get what was refused. On a user-delegated cluster the refusal names the user's own
      // identity and is the cluster's answer to them, so it is shown as it is.
      let userMessage = res.status < 500 ? statusMessage : undefined;
      if (
        (res.status === 401 || res.status === 403) &&
        !this.#cluster.userDelegated
      ) {
        userMessage = `${
          res.status === 401 ? 'refused' : 'forbidden'
        } for the credentials Prometheus OCS uses: ${describeRequestForRbac(
          res.method,
          res.path,
        )} (RBAC; the platform team grants it)`;
      }
      const causes: KubernetesStatusCause[] = Array.isArray(
        json?.details?.causes,
      )
        ? json.details.causes
        : [];
      throw new KubernetesApiError({
        cluster: this.clusterName,
        status: res.status,
        userDelegated: Boolean(this.#cluster.userDelegated),
        reason: typeof json?.reason === 'string' ? json.reason : undefined,
        message: userMessage ?? http.STATUS_CODES[res.status] ?? 'error',
        causes,
        detail:
          userMessage !== undefined && userMessage === statusMessage
            ? undefined
            : (statusMessage ?? text.slice(0, 300)) || undefined,
      });
    }
    if (json === undefined || typeof json !== 'object') {
      throw new KubernetesApiError({
        cluster: this.clusterName,
        status: res.status,
        message: 'response is not a JSON object',
      });
    }
    return json as KubeObject;
  }

  async #request(
    method: string,
    path: string,
    options: {
      query?: QueryParams;
      body?: string;
      contentType?: string;
      signal?: AbortSignal;
      timeoutMs?: number;
    } = {},
  ): Promise<RawResponse> {
    const url = new URL(this.#cluster.url.replace(/\/+$/, '') + path);
    appendQuery(url, options.query);
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const transport = url.protocol === 'https:' ? https : http;
    const maxBytes = this.#maxResponseBytes;
    const cluster = this.clusterName;
    const auth = this.#cluster.auth;
    const caller = this.#options.caller;
    const agent = this.#agent;

    // One deadline for the whole exchange: the token (a supplier may fetch it), connecting,
    // and reading the complete answer.
    return withDeadline(
      async deadline => {
        const headers: Record<string, string> = {
          accept: 'application/json, */*;q=0.8',
        };
        if (auth.type === 'bearerToken') {
          headers.authorization = `Bearer ${await auth.getToken()}`;
        } else if (auth.type === 'backstage') {
          Object.assign(headers, await auth.getHeaders(caller));
        }
        if (options.body !== undefined) {
          headers['content-type'] = options.contentType ?? 'application/json';
          headers['content-length'] = String(Buffer.byteLength(options.body));
        }
        const signal = options.signal
          ? AbortSignal.any([deadline, options.signal])
          : deadline;
        return new Promise<RawResponse>((resolve, reject) => {
          const fail = (error: unknown) => {
            if (options.signal?.aborted) {
              reject(options.signal.reason ?? new Error('aborted'));
            } else if (error instanceof Error && 'code' in error) {
              reject(
                new KubernetesUnreachableError(
                  cluster,
                  String((error as any).code),
                ),
              );
            } else {
              // Other messages may carry the API server's address: only the log gets them.
              reject(
                new KubernetesUnreachableError(
                  cluster,
                  'connection failed',
                  error instanceof Error ? error.message : String(error),
                ),
              );
            }
          };
          const req = transport.request(
            url,
            { method, headers, agent, signal },
            res => {
              const chunks: Buffer[] = [];
              let size = 0;
              res.on('data', (chunk: Buffer) => {
                size += chunk.length;
                if (size > maxBytes) {
                  res.destroy();
                  reject(
                    new KubernetesApiError({
                      cluster,
                      status: res.statusCode ?? 0,
                      message: `response larger than ${maxBytes} bytes refused`,
                    }),
                  );
                  return;
                }
                chunks.push(chunk);
              });
              res.on('end', () => {
                const raw = {
                  status: res.statusCode ?? 0,
                  contentType: res.headers['content-type'],
                  body: Buffer.concat(chunks),
                  method,
                  path,
                };
                const proxyError =
                  auth.type === 'backstage'
                    ? backstageProxyError(cluster, raw)
                    : undefined;
                if (proxyError) reject(proxyError);
                else resolve(raw);
              });
              res.on('error', fail);
            },
          );
          req.on('error', fail);
          req.end(options.body);
        });
      },
      {
        timeoutMs,
        timeoutError: () => new KubernetesTimeoutError(cluster, timeoutMs),
      },
    );
  }
}
