/*
 * Kubernetes `Status` error objects, shaped and worded like the real API server's
 * (k8s.io/apimachinery/pkg/api/errors and k8s.io/apimachinery/pkg/util/validation/field), so
 * that product code written against the stand-in handles a real cluster's errors the same way.
 */

/** A `StatusCause` as the API server sends it in `details.causes`. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The `Status` object (apiVersion v1) returned for every failed request. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** An API group + resource, e.g. `{group: 'monitoring.coreos.com', resource: 'servicemonitors'}`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** An API group + kind, e.g. `{group: 'monitoring.coreos.com', kind: 'ServiceMonitor'}`. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** Thrown anywhere in request handling; the server turns it into the HTTP response. */
export class KubeStatusError extends Error {
  readonly status: KubeStatus;

  constructor(status: KubeStatus) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
    this.name = 'KubeStatusError';
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }
}

/** `servicemonitors.monitoring.coreos.com`, or `services` for the core group. */
export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** `ServiceMonitor.monitoring.coreos.com`, or `Service` for the core group. */
export function qualifiedKind(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

function failure(
  code: number,
  reason: string | undefined,
  message: string,
  details?: KubeStatus['details'],
): KubeStatusError {
  const status: KubeStatus = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    ...(reason ? { reason } : {}),
    ...(details ? { details } : {}),
    code,
  };
  return new KubeStatusError(status);
}

/** Go's `%q` for strings, close enough for the ASCII values Kubernetes names are made of. */
export function goQuote(value: string): string {
  return JSON.stringify(value);
}

export function notFound(gr: GroupResource, name: string): KubeStatusError {
  return failure(
    404,
    'NotFound',
    `${qualifiedResource(gr)} ${goQuote(name)} not found`,
    {
      name,
      group: gr.group || undefined,
      kind: gr.resource,
    },
  );
}

/** The body the API server sends for paths no handler serves (unknown group, version or resource). */
export function pathNotFound(): KubeStatusError {
  return failure(
    404,
    'NotFound',
    'the server could not find the requested resource',
    {},
  );
}

export function alreadyExists(
  gr: GroupResource,
  name: string,
): KubeStatusError {
  return failure(
    409,
    'AlreadyExists',
    `${qualifiedResource(gr)} ${goQuote(name)} already exists`,
    {
      name,
      group: gr.group || undefined,
      kind: gr.resource,
    },
  );
}

/** Optimistic-concurrency failure (stale `metadata.resourceVersion`). */
export function conflict(
  gr: GroupResource,
  name: string,
  reason: string,
): KubeStatusError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(gr)} ${goQuote(
      name,
    )}: ${reason}`,
    { name, group: gr.group || undefined, kind: gr.resource },
  );
}

export const STALE_OBJECT_REASON =
  'the object has been modified; please apply your changes to the latest version and try again';

/** Server-side apply conflict: details carry only the causes, like `errors.NewApplyConflict`. */
export function applyConflict(
  causes: StatusCause[],
  message: string,
): KubeStatusError {
  return failure(409, 'Conflict', message, { causes });
}

export function forbidden(
  gr: GroupResource | undefined,
  name: string,
  reason: string,
): KubeStatusError {
  let message: string;
  if (!gr || (!gr.group && !gr.resource)) {
    message = `forbidden: ${reason}`;
  } else if (!name) {
    message = `${qualifiedResource(gr)} is forbidden: ${reason}`;
  } else {
    message = `${qualifiedResource(gr)} ${goQuote(
      name,
    )} is forbidden: ${reason}`;
  }
  return failure(403, 'Forbidden', message, {
    name: name || undefined,
    group: gr?.group || undefined,
    kind: gr?.resource || undefined,
  });
}

export function unauthorized(): KubeStatusError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function badRequest(message: string): KubeStatusError {
  return failure(400, 'BadRequest', message);
}

export function methodNotSupported(
  gr: GroupResource,
  action: string,
): KubeStatusError {
  return failure(
    405,
    'MethodNotAllowed',
    `${action} is not supported on resources of kind ${goQuote(
      qualifiedResource(gr),
    )}`,
    { group: gr.group || undefined, kind: gr.resource },
  );
}

export function unsupportedMediaType(accepted: string[]): KubeStatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
      ', ',
    )}`,
  );
}

export function serviceUnavailable(message: string): KubeStatusError {
  return failure(503, 'ServiceUnavailable', message);
}

export function internalError(message: string): KubeStatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

/** Reason the API server uses for a given status code when it has no more specific one. */
export function reasonForCode(code: number): string | undefined {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 410:
      return 'Expired';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return undefined;
  }
}

/** A generic failure with an arbitrary status code (used by fault injection). */
export function genericError(code: number, message: string): KubeStatusError {
  return failure(code, reasonForCode(code), message, {});
}

// ---------------------------------------------------------------------------------------------
// Field errors (k8s.io/apimachinery/pkg/util/validation/field)

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid';

/** One validation problem at a field path such as `spec.endpoints[0].interval`. */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue?: unknown;
  detail?: string;
  supported?: string[];
  max?: number;
}

/** Formats a bad value like Go's `%#v`/`%q` does for the simple values CRDs carry. */
export function formatBadValue(value: unknown): string {
  if (typeof value === 'string') return goQuote(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

/** The part of the error after `<field>: `, which is also the cause's message. */
export function fieldErrorBody(error: FieldError): string {
  let body: string;
  switch (error.type) {
    case 'FieldValueRequired':
      body = 'Required value';
      break;
    case 'FieldValueForbidden':
      body = 'Forbidden';
      break;
    case 'FieldValueTooLong':
      body = `Too long: may not be more than ${error.max} bytes`;
      return body;
    case 'FieldValueTooMany':
      body = `Too many: ${formatBadValue(error.badValue)}: must have at most ${
        error.max
      } items`;
      return body;
    case 'FieldValueDuplicate':
      body = `Duplicate value: ${formatBadValue(error.badValue)}`;
      break;
    case 'FieldValueNotSupported':
      body = `Unsupported value: ${formatBadValue(error.badValue)}`;
      if (error.supported && error.supported.length > 0) {
        body += `: supported values: ${error.supported
          .map(goQuote)
          .join(', ')}`;
      }
      return body;
    default:
      body = `Invalid value: ${formatBadValue(error.badValue)}`;
  }
  return error.detail ? `${body}: ${error.detail}` : body;
}

export function fieldErrorString(error: FieldError): string {
  return `${error.field}: ${fieldErrorBody(error)}`;
}

/** 422 `Invalid`, like `errors.NewInvalid(qualifiedKind, name, errs)`. */
export function invalid(
  gk: GroupKind,
  name: string,
  errors: FieldError[],
): KubeStatusError {
  const list = errors.map(fieldErrorString);
  const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return failure(
    422,
    'Invalid',
    `${qualifiedKind(gk)} ${goQuote(name)} is invalid: ${joined}`,
    {
      name,
      group: gk.group || undefined,
      kind: gk.kind,
      causes: errors.map(e => ({
        reason: e.type,
        message: fieldErrorBody(e),
        field: e.field,
      })),
    },
  );
}
