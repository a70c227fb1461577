/*
 * Answers with the API server's headers; errors as `Status` objects (an unexpected exception is
 * a 500 InternalError, and logged).
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { internalError, KubeStatusError } from './statusErrors';
import type { StandInLogger } from './types';

/** A JSON answer. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string | string[]>,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Audit-Id': randomUUID(),
    ...(headers ?? {}),
  });
  res.end(text);
}

/** The error as a `Status` answer (or a dropped connection once headers are out); returns the code. */
export function sendError(
  res: http.ServerResponse,
  e: unknown,
  logger: StandInLogger | undefined,
): number {
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
}
