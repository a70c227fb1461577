import {
  MONITORING_ANNOTATIONS as A,
  MONITORING_ANNOTATION_DEFAULTS,
} from '../annotations';
import type { MonitoringSettings } from '../contract';
import { checkIanaSvcName } from '../kubernetesNames';
import { parsePrometheusDuration } from '../prometheusDuration';
import { MONITORING_LIMITS } from './monitoringLimits';
import { ProblemCollector } from './ProblemCollector';

const PATH = /^\/([A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;

/** How Prometheus scrapes the entity's pods. */
export type ScrapeSettings = Pick<
  MonitoringSettings,
  'port' | 'path' | 'interval'
>;

/** Reads `prometheus-ocs.io/port`, `/path` and `/interval`, falling back to the defaults. */
export function readScrapeSettings(
  defaultInterval: string,
  p: ProblemCollector,
): ScrapeSettings {
  // prometheus-ocs.io/port: a port name (IANA_SVC_NAME) or number.
  let port: MonitoringSettings['port'] = {
    name: MONITORING_ANNOTATION_DEFAULTS.port,
  };
  const portValue = p.get(A.port);
  if (portValue !== undefined) {
    if (/^[0-9]+$/.test(portValue)) {
      const n = Number(portValue);
      if (n < 1 || n > 65535 || portValue.length > 5) {
        p.add(
          A.port,
          'must be a port number between 1 and 65535 or a port name',
          portValue,
        );
      } else {
        port = { name: MONITORING_ANNOTATION_DEFAULTS.port, number: n };
      }
    } else {
      const problem = checkIanaSvcName(portValue);
      if (problem)
        p.add(
          A.port,
          `${problem}, or a port number between 1 and 65535`,
          portValue,
        );
      else port = { name: portValue };
    }
  }

  // prometheus-ocs.io/path
  let path: string = MONITORING_ANNOTATION_DEFAULTS.path;
  const pathValue = p.get(A.path);
  if (pathValue !== undefined) {
    if (
      pathValue.length > MONITORING_LIMITS.maxPathLength ||
      !PATH.test(pathValue)
    ) {
      p.add(
        A.path,
        `must be an absolute URL path starting with "/" (RFC 3986 path characters or %XX escapes, no query or fragment, at most ${MONITORING_LIMITS.maxPathLength} characters)`,
        pathValue,
      );
    } else {
      path = pathValue;
    }
  }

  // prometheus-ocs.io/interval
  let interval = defaultInterval;
  const intervalValue = p.get(A.interval);
  if (intervalValue !== undefined) {
    const ms = parsePrometheusDuration(intervalValue);
    if (ms === undefined) {
      p.add(
        A.interval,
        'must be a Prometheus duration such as 30s or 1m (units y w d h m s ms, no spaces)',
        intervalValue,
      );
    } else if (
      ms < MONITORING_LIMITS.minIntervalMs ||
      ms > MONITORING_LIMITS.maxIntervalMs
    ) {
      p.add(
        A.interval,
        'must be between 1s and 5m (longer intervals make series go stale in Prometheus)',
        intervalValue,
      );
    } else {
      interval = intervalValue;
    }
  }

  return { port, path, interval };
}
