import { screen, within } from '@testing-library/react';
import { http } from 'msw';
import { PreviewDialog } from './PreviewDialog';
import {
  errorResponse,
  setupMonitoringServer,
} from '../../__testUtils__/server';
import {
  BASE_URL,
  renderMonitoring,
} from '../../__testUtils__/renderMonitoring';
import { makeEntity } from '../../__testUtils__/fixtures';

const server = setupMonitoringServer();

describe('PreviewDialog', () => {
  it('shows why the entity cannot be rendered', async () => {
    const entity = makeEntity({ optedIn: false });
    server.use(
      http.post(`${BASE_URL}/render`, ({ request }) =>
        errorResponse(request, 400, {
          name: 'InputError',
          message:
            'Invalid monitoring annotations: prometheus-ocs.io/port="0": must be a port name or a number from 1 to 65535',
          problems: [
            {
              annotation: 'prometheus-ocs.io/port',
              value: '0',
              message: 'must be a port name or a number from 1 to 65535',
            },
          ],
        }),
      ),
    );
    await renderMonitoring(
      client => (
        <PreviewDialog api={client} entity={entity} onClose={jest.fn()} />
      ),
      entity,
    );
    const dialog = screen.getByRole('dialog');
    expect(
      await within(dialog).findByText('Could not render the resources'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/prometheus-ocs\.io\/port="0": must be a port/),
    ).toHaveTextContent('(HTTP 400)');
  });
});
