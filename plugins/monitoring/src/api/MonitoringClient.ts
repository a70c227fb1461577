import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AlertsResponse,
  ApplyResponse,
  CreateSilenceRequest,
  OverviewResponse,
  OverviewSection,
  PlanResponse,
  QueryRangeResponse,
  SilenceInfo,
  StatusResponse,
  TargetsResponse,
  TeardownResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import {
  ApplyRequest,
  EntityOverview,
  MonitoringApi,
  OverviewRequest,
  OverviewSectionResult,
  PlanRequest,
  QueryRangeRequest,
  RenderPreview,
} from './MonitoringApi';
import { ClusterCredentials } from './KubernetesClusterCredentials';

/**
 * Default implementation of {@link MonitoringApi}, talking to the monitoring
 * backend plugin through the app's discovery and fetch APIs (so Backstage
 * identity is attached to every call). Failed calls throw the `ResponseError`
 * of `@backstage/errors`: the backend answers Backstage's ErrorResponseBody, so the
 * error's `cause` carries the backend's name, message and any `problems`.
 *
 * @public
 */
export class MonitoringClient implements MonitoringApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly clusterCredentials?: ClusterCredentials;

  /**
   * @param options - `clusterCredentials`: the user's tokens for user-delegated clusters, sent with
   *   every entity request (see {@link KubernetesClusterCredentials})
   */
  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    clusterCredentials?: ClusterCredentials;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.clusterCredentials = options.clusterCredentials;
  }

  getStatus(entityRef: CompoundEntityRef): Promise<StatusResponse> {
    return this.request(entityRef, '/status');
  }

  plan(
    entityRef: CompoundEntityRef,
    request: PlanRequest = {},
  ): Promise<PlanResponse> {
    return this.request(entityRef, '/plan', {
      method: 'POST',
      body: request.ignoreOptIn ? { ignoreOptIn: true } : {},
    });
  }

  apply(
    entityRef: CompoundEntityRef,
    request: ApplyRequest = {},
  ): Promise<ApplyResponse> {
    return this.request(entityRef, '/apply', {
      method: 'POST',
      body: {
        ...(request.force ? { force: true } : {}),
        ...(request.ignoreOptIn ? { ignoreOptIn: true } : {}),
      },
    });
  }

  teardown(entityRef: CompoundEntityRef): Promise<TeardownResponse> {
    return this.request(entityRef, '', { method: 'DELETE' });
  }

  getTargets(entityRef: CompoundEntityRef): Promise<TargetsResponse> {
    return this.request(entityRef, '/targets');
  }

  getAlerts(entityRef: CompoundEntityRef): Promise<AlertsResponse> {
    return this.request(entityRef, '/alerts');
  }

  async getOverview(
    entityRef: CompoundEntityRef,
    request: OverviewRequest = {},
  ): Promise<EntityOverview> {
    const graphs = request.graphs ?? [];
    const { body, response } = await this.send<OverviewResponse>(
      entityRef,
      graphs.length > 0
        ? `/overview?${new URLSearchParams({ graphs: graphs.join(',') })}`
        : '/overview',
    );
    // An older backend answers without graphs: those panels then load on their own.
    const answered = graphs.filter(panel => body.graphs?.[panel]);
    const [status, targets, alerts, panels] = await Promise.all([
      sectionResult(body.status, response),
      sectionResult(body.targets, response),
      sectionResult(body.alerts, response),
      Promise.all(
        answered.map(panel => sectionResult(body.graphs![panel], response)),
      ),
    ]);
    return {
      status,
      targets,
      alerts,
      graphs: Object.fromEntries(
        answered.map((panel, i) => [panel, panels[i]]),
      ),
    };
  }

  createSilence(
    entityRef: CompoundEntityRef,
    request: CreateSilenceRequest,
  ): Promise<SilenceInfo> {
    return this.request(entityRef, '/silences', {
      method: 'POST',
      body: request,
    });
  }

  async expireSilence(
    entityRef: CompoundEntityRef,
    silenceId: string,
  ): Promise<void> {
    await this.request(
      entityRef,
      `/silences/${encodeURIComponent(silenceId)}`,
      { method: 'DELETE' },
    );
  }

  queryRange(
    entityRef: CompoundEntityRef,
    request: QueryRangeRequest,
  ): Promise<QueryRangeResponse> {
    // the backend names panels with `query`; it owns their PromQL
    const query = new URLSearchParams({
      query: request.panel,
      start: String(request.start),
      end: String(request.end),
      step: String(request.step),
    });
    return this.request(entityRef, `/query_range?${query}`);
  }

  async previewResources(entity: Entity): Promise<RenderPreview> {
    const baseUrl = await this.discoveryApi.getBaseUrl('monitoring');
    const response = await this.fetchApi.fetch(
      `${baseUrl}/render?ignoreOptIn=true`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(entity),
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }

  private async request<T>(
    entityRef: CompoundEntityRef,
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    return (await this.send<T>(entityRef, path, init)).body;
  }

  private async send<T>(
    entityRef: CompoundEntityRef,
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<{ body: T; response: Response }> {
    const baseUrl = await this.discoveryApi.getBaseUrl('monitoring');
    const entityPath = [
      entityRef.kind.toLocaleLowerCase('en-US'),
      entityRef.namespace,
      entityRef.name,
    ]
      .map(encodeURIComponent)
      .join('/');
    const clusterHeaders = (await this.clusterCredentials?.headers()) ?? {};
    const response = await this.fetchApi.fetch(
      `${baseUrl}/entities/${entityPath}${path}`,
      {
        method: init.method ?? 'GET',
        headers: {
          ...clusterHeaders,
          ...(init.body !== undefined && {
            'Content-Type': 'application/json',
          }),
        },
        ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    // DELETE silences answers 204 without a body
    if (response.status === 204) {
      return { body: undefined as T, response };
    }
    const text = await response.text();
    return { body: (text ? JSON.parse(text) : undefined) as T, response };
  }
}

/**
 * A section of the overview as its own endpoint would have answered: the value, or the same
 * ResponseError (status, the backend's name, message and problems).
 */
async function sectionResult<T>(
  section: OverviewSection<T>,
  response: Response,
): Promise<OverviewSectionResult<T>> {
  if (!section.error) {
    return { value: section.value as T };
  }
  const { statusCode } = section.error.response;
  const error = await ResponseError.fromResponse({
    headers: new Headers({ 'content-type': 'application/json' }),
    ok: false,
    redirected: false,
    status: statusCode,
    statusText: '',
    type: response.type,
    url: response.url,
    text: async () => JSON.stringify(section.error),
  });
  return { error };
}
