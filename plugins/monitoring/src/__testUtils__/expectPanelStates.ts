import { screen, within } from '@testing-library/react';

/**
 * The graph panels' states after a 504 for `error_rate`, an empty series for `request_rate` and
 * data for `up`: each panel shows its own outcome and nothing of the others' (the tab's overview
 * answer and the card's own requests must draw the same thing).
 */
export async function expectFailedEmptyAndDrawnPanels(): Promise<void> {
  const errors = await screen.findByRole('region', {
    name: 'Error rate (per second)',
  });
  expect(
    await within(errors).findByText('Prometheus query timed out (HTTP 504)'),
  ).toBeInTheDocument();
  const rates = screen.getByRole('region', {
    name: 'Request rate (per second)',
  });
  expect(
    await within(rates).findByText('No data in this range.'),
  ).toBeInTheDocument();
  const up = screen.getByRole('region', { name: 'Targets up' });
  expect(within(up).queryByRole('alert')).toBeNull();
  expect(within(up).queryByText('No data in this range.')).toBeNull();
}
