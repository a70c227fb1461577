/*
 * What the Playwright tests talk to besides the browser: the monitoring backend (as the guest
 * user), and the real Prometheus, Alertmanager and Kubernetes API stand-in behind it, so a test
 * can compare what the Monitoring tab shows with what the upstreams themselves report.
 */
import { expect } from '@playwright/test';
import type {
  AlertsResponse,
  ApplyResponse,
  QueryRangeResponse,
  StatusResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { portsFromEnv } from '../src/env/environmentPorts';

const ports = portsFromEnv();

export const BACKEND_URL = `http://127.0.0.1:${ports.backend}`;
export const PROMETHEUS_URL = `http://127.0.0.1:${ports.prometheus}`;
export const ALERTMANAGER_URL = `http://127.0.0.1:${ports.alertmanager}`;
export const STAND_IN_URL = `http://127.0.0.1:${ports.standIn}`;
const STAND_IN_TOKEN = process.env.K8S_TOKEN ?? 'demo-admin-token';

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) {
    throw new Error(
      `${init?.method ?? 'GET'} ${url} answered ${
        response.status
      }: ${await response.text()}`,
    );
  }
  return (await response.json()) as T;
}

/**
 * The guest's Backstage token, from the guest provider's refresh endpoint the frontend calls on
 * sign-in. Retried because the dev backend restarts whenever one of its source files changes.
 */
export async function guestToken(): Promise<string> {
  let token = '';
  await expect(async () => {
    const body = await getJson<{ backstageIdentity: { token: string } }>(
      `${BACKEND_URL}/api/auth/guest/refresh`,
      // the auth backend refuses refresh requests that do not come from the app's fetch
      { headers: { 'x-requested-with': 'XMLHttpRequest' } },
    );
    token = body.backstageIdentity.token;
  }).toPass({ timeout: 90_000 });
  return token;
}

/** The monitoring backend's HTTP API for one Component of the default namespace. */
export class MonitoringApiClient {
  constructor(private readonly token: string) {}

  static async asGuest(): Promise<MonitoringApiClient> {
    return new MonitoringApiClient(await guestToken());
  }

  /** Sends a request without judging its status, for tests about errors. */
  call(
    entity: string,
    path: string,
    method = 'GET',
    body?: unknown,
  ): Promise<Response> {
    return fetch(
      `${BACKEND_URL}/api/monitoring/entities/component/default/${entity}${path}`,
      {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
    );
  }

  private async json<T>(
    entity: string,
    path: string,
    method = 'GET',
    body?: unknown,
  ): Promise<T> {
    const response = await this.call(entity, path, method, body);
    if (!response.ok) {
      throw new Error(
        `${method} ${path || '/'} of ${entity} answered ${
          response.status
        }: ${await response.text()}`,
      );
    }
    return (await response.json()) as T;
  }

  status(entity: string): Promise<StatusResponse> {
    return this.json(entity, '/status');
  }

  teardown(entity: string): Promise<{ ok: boolean }> {
    return this.json(entity, '', 'DELETE');
  }

  /** Applies the entity's objects, as its owner's "Enable monitoring" does (idempotent). */
  apply(entity: string): Promise<ApplyResponse> {
    return this.json(entity, '/apply', 'POST', {});
  }

  alerts(entity: string): Promise<AlertsResponse> {
    return this.json(entity, '/alerts');
  }

  /** One graph panel over the last `rangeSeconds`, as the tab asks for it. */
  queryRange(
    entity: string,
    query: 'up' | 'request_rate' | 'error_rate',
    rangeSeconds = 3600,
  ): Promise<QueryRangeResponse> {
    const end = Math.floor(Date.now() / 1000);
    const step = Math.max(15, Math.ceil(rangeSeconds / 240));
    return this.json(
      entity,
      `/query_range?query=${query}&start=${
        end - rangeSeconds
      }&end=${end}&step=${step}`,
    );
  }

  expireSilence(entity: string, silenceId: string): Promise<unknown> {
    return this.json(
      entity,
      `/silences/${encodeURIComponent(silenceId)}`,
      'DELETE',
    );
  }
}

/** One entry of Prometheus' `/api/v1/targets`. */
export interface PrometheusTarget {
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  labels: Record<string, string>;
}

/** The active targets of one scrape pool, straight from Prometheus. */
export async function prometheusTargets(
  scrapePool: string,
): Promise<PrometheusTarget[]> {
  const body = await getJson<{ data: { activeTargets: PrometheusTarget[] } }>(
    `${PROMETHEUS_URL}/api/v1/targets?state=active&scrapePool=${encodeURIComponent(
      scrapePool,
    )}`,
  );
  return body.data.activeTargets;
}

/** Alerts Prometheus currently evaluates as pending or firing. */
export async function prometheusAlerts(): Promise<
  Array<{ labels: Record<string, string>; state: string }>
> {
  const body = await getJson<{
    data: { alerts: Array<{ labels: Record<string, string>; state: string }> };
  }>(`${PROMETHEUS_URL}/api/v1/alerts`);
  return body.data.alerts;
}

/** One alert as Alertmanager's API v2 reports it. */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
}

/** Alertmanager's alerts matching one equality matcher per label given. */
export async function alertmanagerAlerts(
  labels: Record<string, string>,
): Promise<AlertmanagerAlert[]> {
  const filters = Object.entries(labels)
    .map(
      ([name, value]) => `filter=${encodeURIComponent(`${name}="${value}"`)}`,
    )
    .join('&');
  return getJson<AlertmanagerAlert[]>(
    `${ALERTMANAGER_URL}/api/v2/alerts?${filters}`,
  );
}

/** One silence from Alertmanager's API v2. */
export async function alertmanagerSilence(
  id: string,
): Promise<{ comment: string; createdBy: string; status: { state: string } }> {
  return getJson(
    `${ALERTMANAGER_URL}/api/v2/silence/${encodeURIComponent(id)}`,
  );
}

/** GET on the Kubernetes API stand-in with the demo admin token; `body` is null on 404. */
export async function getKubernetesObject(
  path: string,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${STAND_IN_URL}${path}`, {
    headers: { authorization: `Bearer ${STAND_IN_TOKEN}` },
  });
  return {
    status: response.status,
    body: response.status === 404 ? null : await response.json(),
  };
}

/**
 * Deletes an object prometheus-ocs made for `entityRef` from the stand-in with the demo admin
 * token, when it exists; objects of anyone else are left alone.
 */
export async function deleteEntityObject(
  path: string,
  entityRef: string,
): Promise<void> {
  const { status, body } = await getKubernetesObject(path);
  if (
    status === 200 &&
    body.metadata.annotations?.['prometheus-ocs.io/entity-ref'] === entityRef
  ) {
    const response = await fetch(`${STAND_IN_URL}${path}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${STAND_IN_TOKEN}` },
    });
    if (!response.ok && response.status !== 404) {
      throw new Error(`DELETE ${path} answered ${response.status}`);
    }
  }
}
