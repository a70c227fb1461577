import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { InvalidAnnotationsError } from '@prometheus-ocs/plugin-monitoring-common';
import { ErrorRequestHandler } from 'express';

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
 * Answers errors as `{ error: { name, message, problems? }, request, response }` with the status
 * the error stands for (400/403/404/409 from @backstage/errors, 502/504 from cluster and
 * upstream errors). Only name, message and annotation problems are exposed: fields of unknown
 * errors could carry request details, and 500s hide their message entirely.
 */
export function errorHandler(logger: LoggerService): ErrorRequestHandler {
  return (rawError, req, res, next) => {
    const error = isError(rawError) ? rawError : new Error(String(rawError));
    const statusCode = statusOf(error);
    if (statusCode >= 500) {
      logger.warn(
        `${req.method} ${req.originalUrl} failed with ${statusCode}: ${error.name}: ${error.message}`,
      );
    }
    if (res.headersSent) {
      next(rawError);
      return;
    }
    const problems =
      error instanceof InvalidAnnotationsError ? error.problems : undefined;
    res.status(statusCode).json({
      error: {
        name: statusCode === 500 ? 'Error' : error.name,
        message:
          statusCode === 500
            ? 'Internal error; see the backend log'
            : error.message,
        ...(problems ? { problems } : {}),
      },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode },
    });
  };
}
