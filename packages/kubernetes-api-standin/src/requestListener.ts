/*
 * Every request: body, injected faults, routing, error answers, and the request log entry.
 */
import type http from 'node:http';
import { handleApiRequest } from './apiRequest';
import { readBody } from './readBody';
import { parseBodyForLog } from './requestLog';
import { sendError } from './sendJson';
import type { StandInRuntime } from './standInRuntime';
import { genericError } from './statusErrors';
import type { RecordedRequest } from './types';

/** The `request` listener of the stand-in's HTTP and HTTPS servers. */
export function createRequestListener(
  runtime: StandInRuntime,
): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const { faults, requestLog } = runtime;
  return async (req, res) => {
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
      const r = await handleApiRequest(runtime, req, res, url, rawPath, body);
      status = r.status;
      user = r.user;
      write = r.write;
    } catch (e) {
      status = sendError(res, e, runtime.logger);
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
}
