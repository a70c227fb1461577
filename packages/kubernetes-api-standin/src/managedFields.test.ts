import {
  describePath,
  fromFieldsV1,
  leafValues,
  serverSideApply,
  toFieldsV1,
} from './managedFields';
import { BUILTIN_RESOURCE_TYPES } from './resourceTypes';

const service = BUILTIN_RESOURCE_TYPES.find(t => t.kind === 'Service')!;
const opts = { listTypeAt: service.listTypeAt, scope: 'main' as const };

describe('managed fields', () => {
  it('renders and parses FieldsV1 like the API server', () => {
    const paths = leafValues(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'a', labels: { x: 'y' } },
        spec: { ports: [{ name: 'web', port: 80 }], selector: {} },
      },
      opts,
    );
    const fields = toFieldsV1(paths.keys());
    expect(fields).toEqual({
      'f:metadata': { 'f:labels': { 'f:x': {} } },
      'f:spec': {
        'f:ports': {
          'k:{"port":80,"protocol":"TCP"}': {
            '.': {},
            'f:name': {},
            'f:port': {},
          },
        },
        'f:selector': {},
      },
    });
    expect([...fromFieldsV1(fields)].sort()).toEqual([...paths.keys()].sort());
    expect(
      describePath('f:spec\nf:ports\nk:{"port":80,"protocol":"TCP"}\nf:name'),
    ).toBe('.spec.ports[port=80,protocol="TCP"].name');
  });

  it('lists every conflicting manager in the message', () => {
    const base = serverSideApply({
      live: undefined,
      config: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'a', labels: { a: '1', b: '1' } },
      },
      manager: 'one',
      force: false,
      apiVersion: 'v1',
      now: '2025-01-01T00:00:00Z',
      opts,
    }).object;
    expect(() =>
      serverSideApply({
        live: base,
        config: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'a', labels: { a: '2', b: '2' } },
        },
        manager: 'two',
        force: false,
        apiVersion: 'v1',
        now: '2025-01-01T00:00:00Z',
        opts,
      }),
    ).toThrow(
      'Apply failed with 2 conflicts: conflicts with "one":\n- .metadata.labels.a\n- .metadata.labels.b',
    );
  });
});
