/*
 * Routes one authenticated API request: health, discovery, OpenAPI, the service proxy, and
 * resource requests (authorized, then handed to the ResourceHandler).
 */
import type http from 'node:http';
import { handleAdminRequest } from './adminApi';
import type { RequestAttributes } from './authorizer';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
} from './discovery';
import { openApiV3Document, openApiV3Index } from './openApi';
import { parseResourceSegments } from './parseResourceSegments';
import { proxyVerb, verbFor } from './requestVerbs';
import { sendJson } from './sendJson';
import type { StandInRuntime } from './standInRuntime';
import { badRequest, methodNotSupported, pathNotFound } from './statusErrors';
import type { StandInToken } from './types';

/** `/api/v1/namespaces/<ns>/services/<service>/proxy[/<path>]`. */
const SERVICE_PROXY_PATH =
  /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/;

/** Answers a request below `/`; returns the status, the user and whether it was a write. */
export async function handleApiRequest(
  runtime: StandInRuntime,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  rawPath: string,
  body: Buffer,
): Promise<{ status: number; user?: string; write: boolean }> {
  const method = req.method ?? 'GET';
  const pathname =
    url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
  if (['/healthz', '/livez', '/readyz'].includes(pathname)) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('ok');
    return { status: 200, write: false };
  }
  if (pathname.startsWith('/_standin/') || pathname === '/_standin') {
    return {
      status: await handleAdminRequest(runtime, req, res, url, body),
      write: false,
    };
  }
  const token = await runtime.authorizer.authenticate(req);
  const user = token.user;
  const ok = (value: unknown) => {
    sendJson(res, 200, value);
    return { status: 200, user, write: false };
  };
  if (method === 'GET') {
    const document = discoveryDocument(runtime, pathname);
    if (document !== undefined) return ok(document);
  }

  // Service proxy, matched on the raw path so encoded characters are seen as sent.
  const proxyMatch = SERVICE_PROXY_PATH.exec(rawPath);
  if (proxyMatch) {
    const status = await forwardToService(
      runtime,
      req,
      res,
      token,
      proxyMatch,
      body,
    );
    return { status, user, write: false };
  }

  const target = resolveApiPath(runtime, pathname, rawPath, method);
  if ('document' in target) return ok(target.document);
  const { status, write } = serveResource(
    runtime,
    req,
    res,
    url,
    token,
    target,
    body,
  );
  return { status, user, write };
}

/** The version, group list and OpenAPI documents a GET of `pathname` asks for, if it asks for one. */
function discoveryDocument(
  runtime: StandInRuntime,
  pathname: string,
): unknown | undefined {
  if (pathname === '/version') return versionInfo();
  if (pathname === '/api')
    return apiVersions(`${runtime.host}:${runtime.port()}`);
  if (pathname === '/apis') return apiGroupList(runtime.groups());
  if (pathname === '/openapi/v3') return openApiV3Index(runtime.activeTypes());
  const oa = /^\/openapi\/v3\/(api\/v1|apis\/[^/]+\/[^/]+)$/.exec(pathname);
  if (oa) {
    const doc = openApiV3Document(oa[1], runtime.activeTypes(), runtime.crds);
    if (!doc) throw pathNotFound();
    return doc;
  }
  return undefined;
}

/** Authorizes `services/proxy` on the named service and forwards the request; returns the status. */
async function forwardToService(
  runtime: StandInRuntime,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  token: StandInToken,
  proxyMatch: RegExpExecArray,
  body: Buffer,
): Promise<number> {
  const method = req.method ?? 'GET';
  const namespace = decodeURIComponent(proxyMatch[1]);
  const serviceSpec = decodeURIComponent(proxyMatch[2]);
  runtime.authorizer.authorize(token, {
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
  return runtime.proxy.forward(
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
}

/** A served group version and the path segments after it (at least one). */
type ApiPath = { group: string; version: string; rest: string[] };

/**
 * Splits `/api/v1/…` or `/apis/<group>/<version>/…` into an {@link ApiPath}, or answers the
 * group's or the group version's discovery document when the path stops there.
 */
function resolveApiPath(
  runtime: StandInRuntime,
  pathname: string,
  rawPath: string,
  method: string,
): ApiPath | { document: unknown } {
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
    const info = runtime.groups().find(g => g.name === group);
    if (!info) throw pathNotFound();
    if (version === undefined) {
      if (method !== 'GET') throw pathNotFound();
      return { document: apiGroup(info) };
    }
    if (!info.versions.includes(version)) throw pathNotFound();
  } else {
    throw pathNotFound();
  }
  if (rest.length === 0) {
    if (method !== 'GET') throw pathNotFound();
    return {
      document: apiResourceList(
        { group, version: version! },
        runtime.activeTypes(),
      ),
    };
  }
  return { group, version: version!, rest };
}

/** Routes a resource request to its type, authorizes it and hands it to the ResourceHandler. */
function serveResource(
  runtime: StandInRuntime,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  token: StandInToken,
  { group, version, rest }: ApiPath,
  body: Buffer,
): { status: number; write: boolean } {
  const method = req.method ?? 'GET';
  const parsed = parseResourceSegments(rest);
  if (!parsed) throw pathNotFound();
  const rt = runtime.findResource(group, version, parsed.resource);
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
  runtime.authorizer.authorize(token, attrs);
  if (!verb)
    throw methodNotSupported(
      { group, resource: rt.resource },
      method.toLowerCase(),
    );
  const result = runtime.handler.handle({
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
  return { status: result.status, write };
}
