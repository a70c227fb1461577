import { KubeObject, toYaml } from '@prometheus-ocs/plugin-monitoring-common';
import { layoutManifests, manifestFileName } from './manifestFiles';

const objects: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'prometheus-k8s', namespace: 'ns' },
  },
  {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'web', namespace: 'ns' },
  },
];

describe('manifestFileName', () => {
  it('is <kind>-<name>.yaml in lower case', () => {
    expect(objects.map(manifestFileName)).toEqual([
      'serviceaccount-prometheus-k8s.yaml',
      'servicemonitor-web.yaml',
    ]);
  });
});

describe('layoutManifests', () => {
  it('lays out one file per object, in order', () => {
    expect(
      layoutManifests(objects, {
        targetPath: './deploy//monitoring/',
        layout: 'file-per-object',
        fileName: 'x.yaml',
      }),
    ).toEqual([
      {
        path: 'deploy/monitoring/serviceaccount-prometheus-k8s.yaml',
        content: toYaml([objects[0]]),
        objects: [objects[0]],
      },
      {
        path: 'deploy/monitoring/servicemonitor-web.yaml',
        content: toYaml([objects[1]]),
        objects: [objects[1]],
      },
    ]);
  });

  it('lays out a single multi-document file', () => {
    expect(
      layoutManifests(objects, {
        targetPath: '.',
        layout: 'single-file',
        fileName: 'all.yaml',
      }),
    ).toEqual([{ path: 'all.yaml', content: toYaml(objects), objects }]);
  });

  it.each([[''], ['a/b.yaml'], ['..'], ['a\\b.yaml']])(
    'refuses the single-file name %j',
    fileName => {
      expect(() =>
        layoutManifests(objects, {
          targetPath: 'm',
          layout: 'single-file',
          fileName,
        }),
      ).toThrow('fileName must be a plain file name without directories');
    },
  );
});
