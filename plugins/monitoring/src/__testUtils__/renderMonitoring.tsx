import { ReactElement } from 'react';
import { act, waitFor } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { MonitoringApi, MonitoringClient, monitoringApiRef } from '../api';

/** Where mockApis.discovery() puts the monitoring backend. */
export const BASE_URL = 'http://example.com/api/monitoring';

/** Route prefix of an entity in msw handlers. */
export function entityUrl(entity: Entity, path = ''): string {
  return `${BASE_URL}/entities/component/default/${entity.metadata.name}${path}`;
}

/** Permission names the user is granted; all others are denied. */
export type Grants = Array<
  'monitoring.entity.apply' | 'monitoring.silence.create'
>;

/**
 * Renders `element` (or `element(client)`) for `entity` with the real MonitoringClient (requests are
 * answered by msw) and a permission API granting `grants`.
 */
export async function renderMonitoring(
  element: ReactElement | ((client: MonitoringApi) => ReactElement),
  entity: Entity,
  grants: Grants = ['monitoring.entity.apply', 'monitoring.silence.create'],
  options?: Parameters<typeof renderInTestApp>[1],
) {
  const client = new MonitoringClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });
  const decide = jest.fn((request: EvaluatePermissionRequest) =>
    (grants as string[]).includes(request.permission.name)
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY,
  );
  const permissionApi = mockApis.permission({ authorize: decide });
  const rendered = await renderInTestApp(
    <TestApiProvider
      apis={[
        [monitoringApiRef, client],
        [permissionApiRef, permissionApi],
      ]}
    >
      <EntityProvider entity={entity}>
        {typeof element === 'function' ? element(client) : element}
      </EntityProvider>
    </TestApiProvider>,
    options,
  );
  return { ...rendered, client, decide };
}

/**
 * Resolves once the permission decisions were made and rendered, so a test
 * can assert that a denied action is absent (not merely not loaded yet).
 */
export async function permissionsSettled(decide: jest.Mock) {
  await waitFor(() => expect(decide).toHaveBeenCalled());
  await act(() => new Promise(resolve => setTimeout(resolve, 0)));
}
