/*
 * `/_standin/`: the control API for tests in other processes (Playwright), on only when the
 * stand-in was started with an `adminToken` and only for that bearer token (404 otherwise, as if
 * it did not exist).
 */
import type http from 'node:http';
import { sendJson } from './sendJson';
import type { StandInRuntime } from './standInRuntime';
import { badRequest, pathNotFound } from './statusErrors';
import type { FaultRule } from './types';

/** Handles a `/_standin/…` request; returns the status sent. */
export async function handleAdminRequest(
  runtime: StandInRuntime,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  body: Buffer,
): Promise<number> {
  const { authorizer, faults, operator, requestLog, store } = runtime;
  if (
    !runtime.adminToken ||
    req.headers.authorization !== `Bearer ${runtime.adminToken}`
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
    runtime.reset();
    return ok({ reset: true });
  }
  if (route === 'PUT /_standin/operator') {
    const { installed } = json();
    if (typeof installed !== 'boolean')
      throw badRequest('body must be {"installed": true|false}');
    runtime.setOperatorInstalled(installed);
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
    authorizer.setForbiddenNamespaces(decodeURIComponent(tokenRoute[1]), list);
    return ok({ forbiddenNamespaces: list });
  }
  throw pathNotFound();
}
