import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { TeardownDialog } from './TeardownDialog';
import {
  errorResponse,
  setupMonitoringServer,
} from '../../__testUtils__/server';
import {
  entityUrl,
  renderMonitoring,
} from '../../__testUtils__/renderMonitoring';
import { makeEntity, statusFixture } from '../../__testUtils__/fixtures';

const server = setupMonitoringServer();

describe('TeardownDialog', () => {
  it('keeps the confirmation open with the reason when teardown is refused', async () => {
    const entity = makeEntity();
    server.use(
      http.delete(entityUrl(entity), ({ request }) =>
        errorResponse(request, 403, {
          name: 'NotAllowedError',
          message:
            'Not allowed: monitoring.entity.apply on component:default/checkout',
        }),
      ),
    );
    const onClose = jest.fn();
    await renderMonitoring(
      client => (
        <TeardownDialog
          api={client}
          entityRef={getCompoundEntityRef(entity)}
          status={statusFixture()}
          onClose={onClose}
        />
      ),
      entity,
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Disable monitoring' }),
    );
    expect(
      await within(dialog).findByText('Could not disable monitoring'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/You are not allowed to disable monitoring/),
    ).toHaveTextContent('monitoring.entity.apply');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    expect(onClose).toHaveBeenCalledWith(false);
  });

  it('reports objects that could not be removed', async () => {
    const entity = makeEntity();
    server.use(
      http.delete(entityUrl(entity), () =>
        HttpResponse.json({
          entityRef: 'component:default/checkout',
          cluster: 'local',
          ok: false,
          objects: [
            {
              apiVersion: 'monitoring.coreos.com/v1',
              kind: 'ServiceMonitor',
              namespace: 'shop-prod',
              name: 'checkout',
              result: 'failed',
              message: 'the API server timed out',
            },
          ],
        }),
      ),
    );
    const onClose = jest.fn();
    await renderMonitoring(
      client => (
        <TeardownDialog
          api={client}
          entityRef={getCompoundEntityRef(entity)}
          status={statusFixture()}
          onClose={onClose}
        />
      ),
      entity,
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Disable monitoring' }),
    );
    expect(
      await within(dialog).findByText(/Some objects could not be removed/),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('failed')).toBeInTheDocument();
    expect(
      within(dialog).getByText('the API server timed out'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    expect(onClose).toHaveBeenCalledWith(true);
  });
});
