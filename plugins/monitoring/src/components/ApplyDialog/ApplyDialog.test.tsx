import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { ApplyDialog } from './ApplyDialog';
import {
  errorResponse,
  setupMonitoringServer,
} from '../../__testUtils__/server';
import {
  entityUrl,
  renderMonitoring,
} from '../../__testUtils__/renderMonitoring';
import {
  makeEntity,
  planFixture,
  statusFixture,
} from '../../__testUtils__/fixtures';

const server = setupMonitoringServer();

describe('ApplyDialog', () => {
  it('shows every object as YAML, one at a time or all, with download', async () => {
    const entity = makeEntity({ name: 'yaml-viewer' });
    server.use(
      http.post(entityUrl(entity, '/plan'), () =>
        HttpResponse.json(planFixture()),
      ),
    );
    const created: Blob[] = [];
    const createObjectURL = jest.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:yaml';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    // jsdom cannot navigate; record the download link instead
    const clicked: HTMLAnchorElement[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        clicked.push(this);
      });
    await renderMonitoring(
      client => (
        <ApplyDialog
          api={client}
          entityRef={getCompoundEntityRef(entity)}
          title="Enable monitoring"
          onClose={jest.fn()}
        />
      ),
      entity,
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      await within(dialog).findByRole('tab', { name: 'YAML' }),
    );
    const code = () => dialog.querySelector('pre')?.textContent ?? '';
    // the highlighter loads lazily
    await waitFor(() => expect(code()).toContain('kind: ServiceMonitor'));
    expect(code()).toContain('kind: Prometheus');

    await userEvent.click(
      within(dialog).getByRole('button', {
        name: /Download yaml-viewer-monitoring\.yaml/,
      }),
    );
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(await created[0].text()).toBe(planFixture().yaml);
    expect(clicked.map(a => [a.download, a.href])).toEqual([
      ['yaml-viewer-monitoring.yaml', 'blob:yaml'],
    ]);
    click.mockRestore();

    // pick the ServiceMonitor alone
    await userEvent.click(within(dialog).getByLabelText('Object'));
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'ServiceMonitor shop-prod/checkout',
      }),
    );
    await waitFor(() => expect(code()).not.toContain('kind: Prometheus'));
    expect(code()).toContain('kind: ServiceMonitor');
    expect(
      within(dialog).getByRole('button', {
        name: /Download servicemonitor-checkout\.yaml/,
      }),
    ).toBeInTheDocument();
  });

  it('reports conflicts per object and retries with force', async () => {
    const entity = makeEntity();
    const bodies: unknown[] = [];
    server.use(
      http.post(entityUrl(entity, '/plan'), () =>
        HttpResponse.json(planFixture()),
      ),
      http.post(entityUrl(entity, '/apply'), async ({ request }) => {
        const body = (await request.json()) as { force?: boolean };
        bodies.push(body);
        return HttpResponse.json({
          entityRef: 'component:default/checkout',
          cluster: 'local',
          ok: !!body.force,
          objects: [
            {
              apiVersion: 'monitoring.coreos.com/v1',
              kind: 'ServiceMonitor',
              namespace: 'shop-prod',
              name: 'checkout',
              result: body.force ? 'updated' : 'conflict',
              message: body.force
                ? undefined
                : 'conflict with "kubectl": .spec.endpoints',
            },
          ],
        });
      }),
      http.get(entityUrl(entity, '/status'), () =>
        HttpResponse.json(statusFixture()),
      ),
    );
    await renderMonitoring(
      client => (
        <ApplyDialog
          api={client}
          entityRef={getCompoundEntityRef(entity)}
          title="Sync monitoring resources"
          onClose={jest.fn()}
          pollIntervalMs={10}
        />
      ),
      entity,
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      await within(dialog).findByRole('button', { name: 'Apply' }),
    );
    expect(await within(dialog).findByText('conflict')).toBeInTheDocument();
    expect(
      within(dialog).getByText('conflict with "kubectl": .spec.endpoints'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Apply with force' }),
    );
    expect(await within(dialog).findByText('updated')).toBeInTheDocument();
    expect(bodies).toEqual([{}, { force: true }]);
    expect(
      await within(dialog).findByText(/is ready: 2 of 2 replicas available/),
    ).toBeInTheDocument();
  });

  it('shows plan errors, per object and for the whole plan', async () => {
    const entity = makeEntity();
    const plan = planFixture();
    plan.objects[5].error =
      'ServiceMonitor is invalid: spec.endpoints[0].interval';
    let fail = true;
    server.use(
      http.post(entityUrl(entity, '/plan'), ({ request }) =>
        fail
          ? errorResponse(request, 502, {
              name: 'KubernetesUnreachableError',
              message: 'Kubernetes API unreachable',
            })
          : HttpResponse.json(plan),
      ),
    );
    await renderMonitoring(
      client => (
        <ApplyDialog
          api={client}
          entityRef={getCompoundEntityRef(entity)}
          title="Enable monitoring"
          onClose={jest.fn()}
        />
      ),
      entity,
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText('Kubernetes API unreachable (HTTP 502)'),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByRole('button', { name: 'Apply' }),
    ).not.toBeInTheDocument();

    fail = false;
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Retry' }),
    );
    expect(
      await within(dialog).findByText(
        'ServiceMonitor is invalid: spec.endpoints[0].interval',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByText(/1 object has errors/)).toBeInTheDocument();
  });

  it('has nothing to apply when everything is unchanged', async () => {
    const entity = makeEntity();
    const plan = planFixture();
    plan.objects = plan.objects.map(o => ({
      ...o,
      action: 'unchanged' as const,
      changedFields: undefined,
    }));
    server.use(
      http.post(entityUrl(entity, '/plan'), () => HttpResponse.json(plan)),
    );
    const onClose = jest.fn();
    await renderMonitoring(
      client => (
        <ApplyDialog
          api={client}
          entityRef={getCompoundEntityRef(entity)}
          title="Sync monitoring resources"
          onClose={onClose}
        />
      ),
      entity,
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        /0 to create, 0 to update, 6 unchanged. Everything is already in sync/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Apply' }),
    ).toBeDisabled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    expect(onClose).toHaveBeenCalledWith(false);
  });
});
