import { ResponseError } from '@backstage/errors';

/**
 * True when a user-delegated cluster itself refused the signed-in user (its RBAC, 403) or got no
 * usable cluster token for them (401): the cluster's answer, not Backstage's permissions.
 */
export function isClusterRefusal(error: unknown): boolean {
  return (
    ResponseError.is(error) &&
    (error.statusCode === 403 || error.statusCode === 401) &&
    (error.cause?.name === 'KubernetesApiError' ||
      error.cause?.name === 'AuthenticationError')
  );
}

/** True when the backend refused the call for lack of (Backstage) permission. */
export function isForbidden(error: unknown): boolean {
  return (
    ResponseError.is(error) &&
    error.statusCode === 403 &&
    !isClusterRefusal(error)
  );
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
