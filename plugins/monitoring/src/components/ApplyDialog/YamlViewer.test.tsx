import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { KubeObject } from '@prometheus-ocs/plugin-monitoring-common';
import { parse } from 'yaml';
import { YamlViewer } from './YamlViewer';

// Strings that YAML 1.1 readers (kubectl, sigs.k8s.io/yaml, many GitOps tools)
// take for booleans, numbers or null when they are written unquoted.
const AMBIGUOUS = {
  answer: 'yes',
  switch: 'on',
  duration: '1:20',
  mode: '0o17',
  nothing: '~',
};

const manifest: KubeObject = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: {
    name: 'checkout',
    namespace: 'shop-prod',
    labels: AMBIGUOUS,
  },
  spec: { endpoints: [{ port: 'metrics', interval: '1:20' }] },
};

describe('YamlViewer', () => {
  it('quotes strings YAML 1.1 readers would misread, on screen and in the download', async () => {
    const created: Blob[] = [];
    Object.assign(URL, {
      createObjectURL: jest.fn((blob: Blob) => {
        created.push(blob);
        return 'blob:yaml';
      }),
      revokeObjectURL: jest.fn(),
    });
    // jsdom cannot navigate
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});

    await renderInTestApp(
      <YamlViewer
        yaml="kind: Other\n"
        objects={[
          {
            apiVersion: manifest.apiVersion,
            kind: manifest.kind,
            namespace: 'shop-prod',
            name: 'checkout',
            manifest,
          },
        ]}
        fileName="checkout-monitoring.yaml"
      />,
    );
    await userEvent.click(screen.getByLabelText('Object'));
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'ServiceMonitor shop-prod/checkout',
      }),
    );
    const code = () => document.querySelector('pre')?.textContent ?? '';
    // the highlighter loads lazily
    await waitFor(() => expect(code()).toContain('kind: ServiceMonitor'));
    for (const [key, value] of Object.entries(AMBIGUOUS)) {
      expect(code()).toContain(`${key}: "${value}"`);
    }

    await userEvent.click(
      screen.getByRole('button', {
        name: /Download servicemonitor-checkout\.yaml/,
      }),
    );
    const downloaded = await created[0].text();
    expect(downloaded).toContain('answer: "yes"\n');
    // what a YAML 1.1 reader (kubectl) and a YAML 1.2 reader get back
    expect(parse(downloaded, { version: '1.1' })).toEqual(manifest);
    expect(parse(downloaded, { version: '1.2' })).toEqual(manifest);
    click.mockRestore();
  });
});
