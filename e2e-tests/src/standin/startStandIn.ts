/*
 * The Kubernetes API stand-in: an HTTP server on loopback that speaks the Kubernetes API for
 * what Prometheus OCS uses (see docs/standin.md), controllable in-process through the returned
 * handle, or out of process through the optional `/_standin/` control API.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Authorizer, type RequestAttributes } from './authorizer';
import { loadCrdCatalog, type CrdCatalog } from './crdCatalog';
import {
  apiGroup,
  apiGroupList,
  apiGroups,
  apiResourceList,
  apiVersions,
  versionInfo,
} from './discovery';
import { FaultInjector } from './faultInjector';
import { ObjectStore, type KubeObject } from './objectStore';
import { openApiV3Document, openApiV3Index } from './openApi';
import { OperatorSimulation } from './operatorSimulation';
import { RequestLog } from './requestLog';
import { ResourceHandler, type Verb } from './resourceHandler';
import {
  BUILTIN_RESOURCE_TYPES,
  groupVersion,
  type ResourceType,
} from './resourceTypes';
import { ServiceProxy } from './serviceProxy';
import {
  badRequest,
  genericError,
  internalError,
  KubeStatusError,
  methodNotSupported,
  pathNotFound,
} from './statusErrors';
import type {
  FaultRule,
  RecordedRequest,
  ServiceProxyTarget,
  StandIn,
  StandInOptions,
  StandInToken,
} from './types';

/** Namespaces every fresh stand-in has. */
export const DEFAULT_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'monitoring',
  'shop-prod',
  'shop-dev',
  'restricted',
];

/** The demo token: full access except the `restricted` namespace. */
export const DEFAULT_TOKENS: StandInToken[] = [
  {
    token: 'demo-admin-token',
    user: 'system:serviceaccount:kube-system:backstage',
    forbiddenNamespaces: ['restricted'],
  },
];

// This private test package always runs from source (never from a build), so the directory of
// this file is where its data files are.
// eslint-disable-next-line no-restricted-syntax
const SOURCE_DIR = __dirname;

/** The repository's official prometheus-operator CRDs. */
export const DEFAULT_CRD_DIR = path.resolve(SOURCE_DIR, '../../../crds');

/**
 * The loopback-only test certificate (self-signed, CA:TRUE, SAN localhost/127.0.0.1/::1), so
 * clients can verify the stand-in with `--certificate-authority`. Its key is not a secret.
 */
export const DEFAULT_TLS_CERT_FILE = path.resolve(
  SOURCE_DIR,
  'tls/loopback.crt',
);
export const DEFAULT_TLS_KEY_FILE = path.resolve(
  SOURCE_DIR,
  'tls/loopback.key',
);

const MAX_BODY_BYTES = 3 * 1024 * 1024;
const MONITORING_GROUP = 'monitoring.coreos.com';

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(genericError(413, 'Request entity too large: limit is 3145728'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function verbFor(method: string, hasName: boolean): Verb | undefined {
  switch (method) {
    case 'GET':
      return hasName ? 'get' : 'list';
    case 'POST':
      return hasName ? undefined : 'create';
    case 'PUT':
      return hasName ? 'update' : undefined;
    case 'PATCH':
      return hasName ? 'patch' : undefined;
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

function proxyVerb(method: string): string {
  switch (method) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return 'get';
  }
}

interface ParsedResourcePath {
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  extra: string[];
}

function parseResourceSegments(
  segments: string[],
): ParsedResourcePath | undefined {
  if (segments.length === 0) return undefined;
  if (segments[0] === 'namespaces') {
    if (segments.length <= 2)
      return { resource: 'namespaces', name: segments[1], extra: [] };
    if (
      segments.length === 3 &&
      (segments[2] === 'status' || segments[2] === 'finalize')
    ) {
      return {
        resource: 'namespaces',
        name: segments[1],
        subresource: segments[2],
        extra: [],
      };
    }
    return {
      namespace: segments[1],
      resource: segments[2],
      name: segments[3],
      subresource: segments[4],
      extra: segments.slice(5),
    };
  }
  return {
    resource: segments[0],
    name: segments[1],
    subresource: segments[2],
    extra: segments.slice(3),
  };
}

function parseBodyForLog(
  body: Buffer,
  contentType: string | undefined,
): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  if (contentType?.includes('json') || contentType?.includes('yaml')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** Starts the stand-in; resolves once it listens. */
export async function startStandIn(
  options: StandInOptions = {},
): Promise<StandIn> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort =
    options.port ?? Number(process.env.K8S_STANDIN_PORT ?? 6443);
  const crds: CrdCatalog = loadCrdCatalog(options.crdDir ?? DEFAULT_CRD_DIR);
  const authorizer = new Authorizer(options.tokens ?? DEFAULT_TOKENS);
  const store = new ObjectStore(options.stateFile);
  const faults = new FaultInjector();
  const requestLog = new RequestLog(options.requestLogLimit ?? 10000);
  const logger = options.logger;
  let operatorInstalled = options.operatorInstalled ?? true;
  let proxyTargets: ServiceProxyTarget[] = [...(options.proxyTargets ?? [])];

  const activeTypes = (): ResourceType[] =>
    operatorInstalled
      ? [...BUILTIN_RESOURCE_TYPES, ...crds.versions.map(v => v.type)]
      : BUILTIN_RESOURCE_TYPES.filter(t => t.group !== MONITORING_GROUP);
  const findType = (
    apiVersion: string,
    kind: string,
  ): ResourceType | undefined =>
    activeTypes().find(t => groupVersion(t) === apiVersion && t.kind === kind);
  const findResource = (group: string, version: string, resource: string) =>
    activeTypes().find(
      t =>
        t.group === group && t.version === version && t.resource === resource,
    );
  const groups = () =>
    apiGroups(activeTypes(), g =>
      g === MONITORING_GROUP ? crds.preferredVersion(g) : undefined,
    );

  const operator = new OperatorSimulation(
    store,
    findType,
    options.operatorReadyDelayMs ?? 3000,
    logger,
  );
  const handler = new ResourceHandler(store, crds, findType, operator);
  operator.attach(handler);
  const proxy = new ServiceProxy(
    store,
    proxyTargets,
    options.proxyTimeoutMs ?? 30000,
  );

  const seed = () => {
    const nsType = findType('v1', 'Namespace')!;
    for (const ns of options.namespaces ?? DEFAULT_NAMESPACES) {
      handler.controllerWrite(
        nsType,
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        'stand-in',
      );
    }
    // Services behind namespace-specific proxy targets exist from the start, like a shared
    // Alertmanager deployed by the cluster admins.
    const svcType = findType('v1', 'Service')!;
    for (const t of proxyTargets) {
      if (t.namespace === '*') continue;
      if (
        store.get({
          group: '',
          resource: 'services',
          namespace: t.namespace,
          name: t.service,
        })
      )
        continue;
      if (
        !store.get({
          group: '',
          resource: 'namespaces',
          namespace: '',
          name: t.namespace,
        })
      ) {
        handler.controllerWrite(
          nsType,
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: t.namespace },
          },
          'stand-in',
        );
      }
      const targetPort = Number(new URL(t.target).port || 80);
      const port = /^\d+$/.test(t.port) ? Number(t.port) : targetPort;
      handler.controllerWrite(
        svcType,
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {
            name: t.service,
            namespace: t.namespace,
            labels: { 'app.kubernetes.io/name': t.service },
          },
          spec: {
            ports: [
              {
                ...(/^\d+$/.test(t.port) ? {} : { name: t.port }),
                port,
                targetPort: port,
                protocol: 'TCP',
              },
            ],
            selector: { 'app.kubernetes.io/name': t.service },
          },
        },
        'stand-in',
      );
    }
    for (const obj of options.initialObjects ?? []) {
      const t = findType(obj.apiVersion, obj.kind);
      if (!t)
        throw new Error(
          `initial object ${obj.apiVersion} ${obj.kind} is not a served kind`,
        );
      handler.controllerWrite(t, obj, 'stand-in');
    }
  };
  if (!store.restored) seed();
  else operator.reconcileAll();

  const reset = () => {
    operator.close();
    store.clear();
    seed();
  };
  const setOperatorInstalled = (installed: boolean) => {
    operatorInstalled = installed;
    if (installed) operator.reconcileAll();
  };
  // Known once listening; discovery's serverAddressByClientCIDRs reports it.
  let actualPort = requestedPort;

  const sendJson = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers?: Record<string, string | string[]>,
  ) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Audit-Id': randomUUID(),
      ...(headers ?? {}),
    });
    res.end(text);
  };

  const sendError = (res: http.ServerResponse, e: unknown): number => {
    const err =
      e instanceof KubeStatusError
        ? e
        : internalError((e as Error)?.message ?? String(e));
    if (!(e instanceof KubeStatusError))
      logger?.warn(`stand-in internal error: ${(e as Error)?.stack ?? e}`);
    if (res.headersSent) {
      res.destroy();
    } else {
      sendJson(res, err.code, err.status);
    }
    return err.code;
  };

  const handleAdmin = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    body: Buffer,
  ): Promise<number> => {
    if (
      !options.adminToken ||
      req.headers.authorization !== `Bearer ${options.adminToken}`
    )
      throw pathNotFound();
    const route = `${req.method} ${url.pathname.replace(/\/$/, '')}`;
    const json = (): any => {
      try {
        return body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch (e) {
        throw badRequest(`invalid JSON: ${(e as Error).message}`);
      }
    };
    const ok = (value: unknown) => {
      sendJson(res, 200, value);
      return 200;
    };
    const tokenRoute =
      /^PUT \/_standin\/tokens\/([^/]+)\/forbidden-namespaces$/.exec(route);
    if (route === 'GET /_standin/state')
      return ok(store.entries().map(e => e.object));
    if (route === 'POST /_standin/reset') {
      reset();
      return ok({ reset: true });
    }
    if (route === 'PUT /_standin/operator') {
      const { installed } = json();
      if (typeof installed !== 'boolean')
        throw badRequest('body must be {"installed": true|false}');
      setOperatorInstalled(installed);
      return ok({ installed });
    }
    if (route === 'PUT /_standin/operator-ready-delay') {
      const { ms } = json();
      if (typeof ms !== 'number' || ms < 0)
        throw badRequest('body must be {"ms": <non-negative number>}');
      operator.setReadyDelay(ms);
      return ok({ ms });
    }
    if (route === 'POST /_standin/faults') {
      const rule = json() as FaultRule;
      try {
        const f = faults.add(rule);
        return ok({ rule: { ...f.rule, path: f.rule.path?.toString() } });
      } catch (e) {
        throw badRequest((e as Error).message);
      }
    }
    if (route === 'GET /_standin/faults') {
      return ok(
        faults.list().map(f => ({
          rule: { ...f.rule, path: f.rule.path?.toString() },
          matched: f.matched,
          applied: f.applied,
        })),
      );
    }
    if (route === 'DELETE /_standin/faults') {
      faults.clear();
      return ok({ cleared: true });
    }
    if (route === 'GET /_standin/requests') {
      return ok(
        requestLog.list({
          method: url.searchParams.get('method') ?? undefined,
          path: url.searchParams.get('path') ?? undefined,
        }),
      );
    }
    if (route === 'DELETE /_standin/requests') {
      requestLog.clear();
      return ok({ cleared: true });
    }
    if (tokenRoute) {
      const list = json();
      if (!Array.isArray(list) || list.some(x => typeof x !== 'string'))
        throw badRequest('body must be a JSON array of namespace names');
      authorizer.setForbiddenNamespaces(
        decodeURIComponent(tokenRoute[1]),
        list,
      );
      return ok({ forbiddenNamespaces: list });
    }
    throw pathNotFound();
  };

  const handleApi = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    rawPath: string,
    body: Buffer,
  ): Promise<{ status: number; user?: string; write: boolean }> => {
    const method = req.method ?? 'GET';
    const pathname =
      url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
    if (['/healthz', '/livez', '/readyz'].includes(pathname)) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return { status: 200, write: false };
    }
    if (pathname.startsWith('/_standin/') || pathname === '/_standin') {
      return { status: await handleAdmin(req, res, url, body), write: false };
    }
    const token = authorizer.authenticate(req);
    const user = token.user;
    const ok = (value: unknown) => {
      sendJson(res, 200, value);
      return { status: 200, user, write: false };
    };
    if (method === 'GET') {
      if (pathname === '/version') return ok(versionInfo());
      if (pathname === '/api') return ok(apiVersions(`${host}:${actualPort}`));
      if (pathname === '/apis') return ok(apiGroupList(groups()));
      if (pathname === '/openapi/v3') return ok(openApiV3Index(activeTypes()));
      const oa = /^\/openapi\/v3\/(api\/v1|apis\/[^/]+\/[^/]+)$/.exec(pathname);
      if (oa) {
        const doc = openApiV3Document(oa[1], activeTypes(), crds);
        if (!doc) throw pathNotFound();
        return ok(doc);
      }
    }

    // Service proxy, matched on the raw path so encoded characters are seen as sent.
    const proxyMatch =
      /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/.exec(
        rawPath,
      );
    if (proxyMatch) {
      const namespace = decodeURIComponent(proxyMatch[1]);
      const serviceSpec = decodeURIComponent(proxyMatch[2]);
      authorizer.authorize(token, {
        verb: proxyVerb(method),
        group: '',
        resource: 'services',
        subresource: 'proxy',
        namespace,
        name: serviceSpec,
        namespaced: true,
      });
      const rawQuery = (req.url ?? '').includes('?')
        ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1)
        : '';
      const status = await proxy.forward(
        {
          namespace,
          serviceSpec,
          rawSubPath: proxyMatch[3] ?? '',
          rawQuery,
          method,
          headers: req.headers,
          body,
        },
        res,
      );
      return { status, user, write: false };
    }

    let segments: string[];
    try {
      segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw badRequest(`invalid path ${JSON.stringify(rawPath)}`);
    }
    let group: string;
    let version: string | undefined;
    let rest: string[];
    if (segments[0] === 'api') {
      group = '';
      version = segments[1];
      rest = segments.slice(2);
      if (version !== undefined && version !== 'v1') throw pathNotFound();
    } else if (segments[0] === 'apis' && segments.length >= 2) {
      group = segments[1];
      version = segments[2];
      rest = segments.slice(3);
      const info = groups().find(g => g.name === group);
      if (!info) throw pathNotFound();
      if (version === undefined) {
        if (method !== 'GET') throw pathNotFound();
        return ok(apiGroup(info));
      }
      if (!info.versions.includes(version)) throw pathNotFound();
    } else {
      throw pathNotFound();
    }
    if (rest.length === 0) {
      if (method !== 'GET') throw pathNotFound();
      return ok(apiResourceList({ group, version: version! }, activeTypes()));
    }
    const parsed = parseResourceSegments(rest);
    if (!parsed) throw pathNotFound();
    const rt = findResource(group, version!, parsed.resource);
    if (!rt || parsed.extra.length > 0) throw pathNotFound();
    if (parsed.namespace !== undefined && !rt.namespaced) throw pathNotFound();
    if (
      parsed.namespace === undefined &&
      rt.namespaced &&
      parsed.name !== undefined
    )
      throw pathNotFound();
    const verb = verbFor(method, parsed.name !== undefined);
    const attrs: RequestAttributes = {
      verb: verb ?? method.toLowerCase(),
      group,
      resource: rt.resource,
      subresource: parsed.subresource,
      // RequestInfo puts a Namespace's own name in the namespace attribute.
      namespace: rt.kind === 'Namespace' ? parsed.name : parsed.namespace,
      name: parsed.name,
      namespaced: rt.namespaced,
    };
    authorizer.authorize(token, attrs);
    if (!verb)
      throw methodNotSupported(
        { group, resource: rt.resource },
        method.toLowerCase(),
      );
    const result = handler.handle({
      verb,
      rt,
      namespace: parsed.namespace,
      name: parsed.name,
      subresource: parsed.subresource,
      query: url.searchParams,
      body,
      contentType: String(req.headers['content-type'] ?? ''),
      accept: req.headers.accept,
      userAgent: req.headers['user-agent'],
    });
    sendJson(res, result.status, result.body, result.headers);
    const write =
      !['get', 'list'].includes(verb) && !url.searchParams.has('dryRun');
    return { status: result.status, user, write };
  };

  const onRequest = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> => {
    const started = new Date();
    const rawUrl = req.url ?? '/';
    const rawPath = rawUrl.split('?')[0];
    const url = new URL(rawUrl, 'http://stand-in.local');
    const method = req.method ?? 'GET';
    let body: Buffer = Buffer.alloc(0);
    let status = 500;
    let user: string | undefined;
    let write = false;
    try {
      body = await readBody(req);
      const decision = faults.decide(method, url.pathname);
      if (decision?.holds.length) await Promise.all(decision.holds);
      if (decision?.delayMs)
        await new Promise(r => setTimeout(r, decision.delayMs));
      if (decision?.status !== undefined)
        throw genericError(
          decision.status,
          decision.message ?? 'injected fault',
        );
      const r = await handleApi(req, res, url, rawPath, body);
      status = r.status;
      user = r.user;
      write = r.write;
    } catch (e) {
      status = sendError(res, e);
      write =
        ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) &&
        /^\/apis?\//.test(url.pathname) &&
        !/\/proxy(\/|$)/.test(url.pathname) &&
        !url.searchParams.has('dryRun');
    }
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => {
      query[k] = v;
    });
    const entry: RecordedRequest = {
      time: started.toISOString(),
      method,
      path: url.pathname,
      query,
      contentType: req.headers['content-type'],
      userAgent: req.headers['user-agent'],
      user,
      body: parseBodyForLog(body, req.headers['content-type']),
      status,
      write,
    };
    if (!url.pathname.startsWith('/_standin')) requestLog.add(entry);
  };
  const server = http.createServer(onRequest);

  // One port speaks both plain HTTP (what client-node and the portal's config use) and HTTPS
  // (kubectl sends bearer tokens only over TLS): the first byte of a connection tells which.
  const tlsFiles =
    options.tls === false
      ? undefined
      : options.tls ?? {
          certFile: DEFAULT_TLS_CERT_FILE,
          keyFile: DEFAULT_TLS_KEY_FILE,
        };
  const secureServer = tlsFiles
    ? https.createServer(
        {
          cert: fs.readFileSync(tlsFiles.certFile),
          key: fs.readFileSync(tlsFiles.keyFile),
        },
        onRequest,
      )
    : undefined;
  const sockets = new Set<net.Socket>();
  const listener = net.createServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', first => {
      socket.pause();
      socket.unshift(first);
      const target = secureServer && first[0] === 0x16 ? secureServer : server;
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(requestedPort, host, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  const address = listener.address();
  actualPort =
    typeof address === 'object' && address ? address.port : requestedPort;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${actualPort}`;
  const httpsUrl = secureServer
    ? `https://${urlHost}:${actualPort}`
    : undefined;
  logger?.info(
    `Kubernetes API stand-in listening on ${url}${
      httpsUrl ? ` and ${httpsUrl}` : ''
    }`,
  );

  const handle: StandIn = {
    url,
    httpsUrl,
    caFile: tlsFiles?.certFile,
    port: actualPort,
    state: {
      get(ref) {
        const t =
          findType(ref.apiVersion, ref.kind) ??
          [...BUILTIN_RESOURCE_TYPES, ...crds.versions.map(v => v.type)].find(
            x => groupVersion(x) === ref.apiVersion && x.kind === ref.kind,
          );
        if (!t)
          throw new Error(
            `${ref.apiVersion} ${ref.kind} is not a kind the stand-in serves`,
          );
        return store.get({
          group: t.group,
          resource: t.resource,
          namespace: t.namespaced ? ref.namespace ?? '' : '',
          name: ref.name,
        });
      },
      list(ref) {
        const t = [
          ...BUILTIN_RESOURCE_TYPES,
          ...crds.versions.map(v => v.type),
        ].find(x => groupVersion(x) === ref.apiVersion && x.kind === ref.kind);
        if (!t)
          throw new Error(
            `${ref.apiVersion} ${ref.kind} is not a kind the stand-in serves`,
          );
        return store.list(
          t.group,
          t.resource,
          t.namespaced ? ref.namespace : undefined,
        );
      },
      resourceVersion: () => store.currentResourceVersion(),
      reset,
    },
    faults: {
      add: rule => faults.add(rule),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    requests: {
      list: filter => requestLog.list(filter),
      writes: () => requestLog.writes(),
      clear: () => requestLog.clear(),
    },
    setOperatorInstalled,
    isOperatorInstalled: () => operatorInstalled,
    setForbiddenNamespaces: (token, namespaces) =>
      authorizer.setForbiddenNamespaces(token, namespaces),
    setProxyTargets(targets) {
      proxyTargets = [...targets];
      proxy.setTargets(proxyTargets);
    },
    setOperatorReadyDelay: ms => operator.setReadyDelay(ms),
    close: () =>
      new Promise<void>((resolve, reject) => {
        faults.clear(); // answers held requests, so none is left pending
        operator.close();
        proxy.close();
        listener.close(err => (err ? reject(err) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
  return handle;
}

export type { KubeObject };
