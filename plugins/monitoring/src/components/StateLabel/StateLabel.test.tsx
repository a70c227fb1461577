import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { StateLabel } from './StateLabel';

describe('StateLabel', () => {
  it('keeps the state readable by assistive technology', async () => {
    await renderInTestApp(<StateLabel tone="error">down</StateLabel>);
    const text = screen.getByText('down');
    expect(text.closest('[aria-hidden="true"]')).toBeNull();
    expect(screen.getByTestId('status-error')).toBeInTheDocument();
  });
});
