import { ResponseError } from '@backstage/errors';

/** True when the backend refused the call for lack of permission. */
export function isForbidden(error: unknown): boolean {
  return ResponseError.is(error) && error.statusCode === 403;
}

/**
 * The message to show a user: the backend's own message for API errors
 * (e.g. "Alertmanager unreachable"), not the generic "Request failed with 502".
 */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    const cause = error.cause?.message;
    return cause
      ? `${cause} (HTTP ${error.statusCode})`
      : `HTTP ${error.statusCode} ${error.statusText}`;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** The backend's own message without the HTTP status, for 403 explanations. */
export function serverMessage(error: unknown): string | undefined {
  return ResponseError.is(error) ? error.cause?.message : undefined;
}
