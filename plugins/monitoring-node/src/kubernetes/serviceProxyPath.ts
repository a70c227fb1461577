import { InputError } from '@backstage/errors';

/** RFC 1123 label: what Kubernetes accepts for namespace and service names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A named port (IANA_SVC_NAME) or a port number. */
const PORT = /^([a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?|\d{1,5})$/;

/**
 * Where a service-proxy request goes. Every part comes from config or code, never from annotations.
 *
 * @public
 */
export interface ServiceProxyTarget {
  namespace: string;
  service: string;
  /** port name or number */
  port: string;
  /** `https` when the service itself serves TLS */
  scheme?: 'http' | 'https';
}

/**
 * Builds `/api/v1/namespaces/<ns>/services/[<scheme>:]<svc>:<port>/proxy/<path>`.
 *
 * Each segment is validated and percent-encoded, and `.`/`..` path segments are refused, so a
 * crafted value can never step out of the proxied service into other API server paths.
 *
 * @public
 */
export function buildServiceProxyPath(
  target: ServiceProxyTarget,
  path: string,
): string {
  if (!DNS_LABEL.test(target.namespace)) {
    throw new InputError(
      `Invalid namespace for service proxy: '${target.namespace}'`,
    );
  }
  if (!DNS_LABEL.test(target.service)) {
    throw new InputError(
      `Invalid service name for service proxy: '${target.service}'`,
    );
  }
  if (!PORT.test(target.port)) {
    throw new InputError(
      `Invalid service port for service proxy: '${target.port}'`,
    );
  }
  if (path.includes('?') || path.includes('#')) {
    throw new InputError(
      'Service proxy path must not contain a query or fragment',
    );
  }
  const segments = path.replace(/^\/+/, '').split('/');
  for (const segment of segments) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new InputError(`Invalid service proxy path segment '${segment}'`);
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/')) {
      throw new InputError(`Service proxy path must not contain '${segment}'`);
    }
  }
  const serviceSegment = [
    ...(target.scheme === 'https' ? ['https'] : []),
    target.service,
    target.port,
  ].join(':');
  return [
    '/api/v1/namespaces',
    encodeURIComponent(target.namespace),
    'services',
    encodeURIComponent(serviceSegment).replace(/%3A/g, ':'),
    'proxy',
    ...segments.map(s => encodeURIComponent(s)),
  ].join('/');
}
