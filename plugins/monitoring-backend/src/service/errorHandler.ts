import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import {
  AnnotationProblem,
  InvalidAnnotationsError,
} from '@prometheus-ocs/plugin-monitoring-common';
import {
  ErrorRequestHandler,
  Request,
  RequestHandler,
  Response,
} from 'express';
import { randomUUID } from 'node:crypto';

/** Response header carrying the id the backend logs a request's failure under. */
export const REQUEST_ID_HEADER = 'x-request-id';

const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

function statusOf(error: Error): number {
  const code = (error as { statusCode?: unknown }).statusCode;
  if (
    typeof code === 'number' &&
    Number.isInteger(code) &&
    code >= 400 &&
    code <= 599
  ) {
    return code;
  }
  return STATUS_BY_NAME[error.name] ?? 500;
}

/**
 * Gives every request an id of its own (never the caller's: a chosen id could be made to match
 * someone else's log lines), in `res.locals.requestId` and the `x-request-id` response header.
 */
export function requestIds(): RequestHandler {
  return (_req, res, next) => {
    const id = randomUUID();
    res.locals.requestId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}

function requestIdOf(res: Response): string {
  const id = res.locals.requestId;
  return typeof id === 'string' ? id : randomUUID();
}

/** What only the log may see: upstream addresses and answers (`detail`), causes, stacks. */
function internals(error: Error, statusCode: number): Record<string, string> {
  const detail = (error as { detail?: unknown }).detail;
  const cause = (error as { cause?: unknown }).cause;
  return {
    ...(typeof detail === 'string' ? { detail } : {}),
    ...(isError(cause) ? { cause: `${cause.name}: ${cause.message}` } : {}),
    ...(statusCode === 500 && error.stack ? { stack: error.stack } : {}),
  };
}

/**
 * Answers errors as `{ error: { name, message, problems? }, request: { method, url, id },
 * response }` with the status the error stands for (400/403/404/409 from @backstage/errors,
 * 502/504 from cluster and upstream errors).
 *
 * Messages of 4xx errors name the caller's own input and stay as they are. Messages of 5xx
 * errors are written for users (they name what failed — "Prometheus of cluster 'x'" — never
 * where it is) and end with the request id; everything else about the failure (addresses,
 * what an upstream answered, causes) is logged under that id. Only name, message and annotation
 * problems are exposed: fields of unknown errors could carry request details, and 500s hide
 * their message entirely.
 */
export function errorHandler(logger: LoggerService): ErrorRequestHandler {
  return (rawError, req, res, next) => {
    if (res.headersSent) {
      errorResponse(rawError, req, res, logger);
      next(rawError);
      return;
    }
    const { statusCode, body } = errorResponse(rawError, req, res, logger);
    res.status(statusCode).json(body);
  };
}

/**
 * The answer to `rawError` as errorHandler sends it (and logs it): also the body of a failed
 * section of a combined answer (`GET overview`).
 */
export function errorResponse(
  rawError: unknown,
  req: Request,
  res: Response,
  logger: LoggerService,
): {
  statusCode: number;
  body: {
    error: { name: string; message: string; problems?: AnnotationProblem[] };
    request: { method: string; url: string; id: string };
    response: { statusCode: number };
  };
} {
  const error = isError(rawError) ? rawError : new Error(String(rawError));
  const statusCode = statusOf(error);
  const requestId = requestIdOf(res);
  if (statusCode >= 500) {
    logger.warn(
      `${req.method} ${req.originalUrl} failed with ${statusCode} (request ${requestId}): ${error.name}: ${error.message}`,
      { requestId, ...internals(error, statusCode) },
    );
  }
  let message = error.message;
  if (statusCode === 500) {
    message = `Internal error (request ${requestId}); see the backend log`;
  } else if (statusCode >= 500) {
    message = `${error.message} (request ${requestId})`;
  }
  const problems =
    error instanceof InvalidAnnotationsError ? error.problems : undefined;
  return {
    statusCode,
    body: {
      error: {
        name: statusCode === 500 ? 'Error' : error.name,
        message,
        ...(problems ? { problems } : {}),
      },
      request: { method: req.method, url: req.originalUrl, id: requestId },
      response: { statusCode },
    },
  };
}
