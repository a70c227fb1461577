/*
 * The API server's service proxy, `/api/v1/namespaces/<ns>/services/[<scheme>:]<name>[:<port>]/proxy/<path>`:
 * forwards the request (method, body, query) to a configured local process standing for the
 * Service's endpoints. The Service must exist in the stand-in (404 otherwise) and have the
 * requested port; without a configured target it answers 503 like a Service without endpoints.
 */
import http from 'node:http';
import type { KubeObject, ObjectStore } from './objectStore';
import {
  badRequest,
  genericError,
  notFound,
  serviceUnavailable,
} from './statusErrors';
import type { ServiceProxyTarget } from './types';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'authorization',
  'content-length',
]);

export interface ProxyRequest {
  namespace: string;
  /** `[scheme:]name[:port]` as in the URL */
  serviceSpec: string;
  /** the raw (still percent-encoded) path after `/proxy`, e.g. `/api/v1/targets` */
  rawSubPath: string;
  /** the raw query string without `?` */
  rawQuery: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Splits `[scheme:]name[:port]`. */
export function parseServiceSpec(spec: string): {
  scheme?: string;
  name: string;
  port?: string;
} {
  const parts = spec.split(':');
  if (parts.length === 3)
    return { scheme: parts[0], name: parts[1], port: parts[2] || undefined };
  if (parts.length === 2)
    return { name: parts[0], port: parts[1] || undefined };
  return { name: parts[0] };
}

/**
 * Normalises the proxied path like the API server, which proxies the *decoded* path (so client
 * libraries that send `api%2Fv1%2Ftargets` reach `/api/v1/targets`), and refuses paths that
 * would climb out of the service's prefix once decoded (`..`/`.` segments, backslashes, NUL) with
 * 400 BadRequest. Returns the path to forward, still percent-encoded apart from slashes.
 */
export function checkProxyPath(rawSubPath: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawSubPath);
  } catch {
    throw badRequest(
      `invalid proxy path ${JSON.stringify(rawSubPath)}: bad percent-encoding`,
    );
  }
  if (decoded.includes('\\') || decoded.includes('\0')) {
    throw badRequest(
      `invalid proxy path ${JSON.stringify(rawSubPath)}: backslash or NUL`,
    );
  }
  if (decoded.split('/').some(seg => seg === '..' || seg === '.')) {
    throw badRequest(
      `invalid proxy path ${JSON.stringify(
        rawSubPath,
      )}: '.' and '..' segments are not allowed`,
    );
  }
  const forwarded = rawSubPath.replace(/%2f/gi, '/');
  if (forwarded === '') return '/';
  return forwarded.startsWith('/') ? forwarded : `/${forwarded}`;
}

function findPort(
  service: KubeObject,
  port: string | undefined,
): { name?: string; port: number } | undefined {
  const ports: Array<{ name?: string; port: number }> =
    service.spec?.ports ?? [];
  if (port === undefined) return ports.length > 0 ? ports[0] : undefined;
  return ports.find(p => p.name === port || String(p.port) === port);
}

export class ServiceProxy {
  private readonly agent = new http.Agent({ keepAlive: false });

  constructor(
    private readonly store: ObjectStore,
    private targets: ServiceProxyTarget[],
    private readonly timeoutMs: number,
  ) {}

  setTargets(targets: ServiceProxyTarget[]): void {
    this.targets = [...targets];
  }

  /** Resolves the proxied URL or throws the Status the API server would answer with. */
  resolve(req: ProxyRequest): URL {
    const { scheme, name, port } = parseServiceSpec(req.serviceSpec);
    const path = checkProxyPath(req.rawSubPath);
    const service = this.store.get({
      group: '',
      resource: 'services',
      namespace: req.namespace,
      name,
    });
    if (!service) throw notFound({ group: '', resource: 'services' }, name);
    const svcPort = findPort(service, port);
    if (!svcPort)
      throw serviceUnavailable(
        `no endpoints available for service "${req.serviceSpec}"`,
      );
    const target = this.targets.find(
      t =>
        (t.namespace === '*' || t.namespace === req.namespace) &&
        t.service === name &&
        (t.port === svcPort.name || t.port === String(svcPort.port)),
    );
    if (!target)
      throw serviceUnavailable(
        `no endpoints available for service "${req.serviceSpec}"`,
      );
    if (scheme && scheme !== 'http') {
      throw serviceUnavailable(
        `error trying to reach service: the stand-in proxies plain http only (requested ${scheme})`,
      );
    }
    const base = new URL(target.target);
    const basePath = base.pathname.replace(/\/$/, '');
    return new URL(
      `${base.protocol}//${base.host}${basePath}${path}${
        req.rawQuery ? `?${req.rawQuery}` : ''
      }`,
    );
  }

  /** Forwards the request and streams the answer into `res`. */
  forward(req: ProxyRequest, res: http.ServerResponse): Promise<number> {
    const url = this.resolve(req);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(k.toLowerCase()) && v !== undefined) headers[k] = v;
    }
    if (req.body.length > 0)
      headers['content-length'] = String(req.body.length);
    return new Promise((resolve, reject) => {
      const upstream = http.request(
        url,
        {
          method: req.method,
          headers,
          agent: this.agent,
          timeout: this.timeoutMs,
        },
        upstreamRes => {
          const outHeaders: http.OutgoingHttpHeaders = {};
          for (const [k, v] of Object.entries(upstreamRes.headers)) {
            if (!HOP_BY_HOP.has(k.toLowerCase()) && v !== undefined)
              outHeaders[k] = v;
          }
          res.writeHead(upstreamRes.statusCode ?? 502, outHeaders);
          upstreamRes.pipe(res);
          upstreamRes.on('end', () => resolve(upstreamRes.statusCode ?? 502));
          upstreamRes.on('error', reject);
        },
      );
      upstream.on('timeout', () => {
        upstream.destroy(new Error(`timeout after ${this.timeoutMs}ms`));
      });
      upstream.on('error', e => {
        const err = e as NodeJS.ErrnoException;
        if (err.message.startsWith('timeout')) {
          reject(
            genericError(504, `error trying to reach service: ${err.message}`),
          );
        } else {
          reject(
            serviceUnavailable(
              `error trying to reach service: dial tcp ${url.host}: connect: ${
                err.code === 'ECONNREFUSED' ? 'connection refused' : err.message
              }`,
            ),
          );
        }
      });
      upstream.end(req.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
