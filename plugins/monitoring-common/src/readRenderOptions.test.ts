import { ConfigReader } from '@backstage/config';
import { readRenderOptions } from './readRenderOptions';
import { DEFAULT_MONITORING_DEFAULTS } from './defaultMonitoringDefaults';

describe('readRenderOptions', () => {
  it('uses the production defaults and denies everything without configuration', () => {
    expect(readRenderOptions(new ConfigReader({}))).toEqual({
      defaults: DEFAULT_MONITORING_DEFAULTS,
      clusters: [],
    });
  });

  it('reads the documented keys', () => {
    const options = readRenderOptions(
      new ConfigReader({
        monitoring: {
          defaultCluster: 'local',
          defaults: {
            instance: 'main',
            replicas: { production: 3, default: 1 },
            retention: '30d',
            scrapeInterval: '15s',
            clusterRole: 'monitoring-discovery',
            alertmanager: {
              namespace: 'monitoring',
              name: 'alertmanager-main',
              port: 9093,
            },
            resources: {
              requests: { memory: '1Gi', cpu: 0.5 },
              limits: { memory: '4Gi' },
            },
            storage: { size: '50Gi', storageClassName: 'fast' },
            version: 'v3.5.0',
          },
          clusters: [
            {
              name: 'local',
              allowedNamespaces: ['shop-prod', 'shop-dev'],
              prometheus: { service: 'x' },
            },
            { name: 'other' },
          ],
        },
      }),
    );
    expect(options).toEqual({
      defaultCluster: 'local',
      defaults: {
        instance: 'main',
        replicas: { production: 3, default: 1 },
        retention: '30d',
        scrapeInterval: '15s',
        clusterRole: 'monitoring-discovery',
        alertmanager: {
          namespace: 'monitoring',
          name: 'alertmanager-main',
          port: '9093',
        },
        resources: {
          requests: { cpu: '0.5', memory: '1Gi' },
          limits: { memory: '4Gi' },
        },
        storage: { size: '50Gi', storageClassName: 'fast' },
        version: 'v3.5.0',
      },
      clusters: [
        { name: 'local', allowedNamespaces: ['shop-dev', 'shop-prod'] },
        { name: 'other', allowedNamespaces: [] },
      ],
    });
  });

  it('reads the namespaces’ owners and settings, normalizing refs', () => {
    const options = readRenderOptions(
      new ConfigReader({
        monitoring: {
          clusters: [
            {
              name: 'local',
              allowedNamespaces: ['shop-prod', 'shop-dev'],
              namespaces: {
                'shop-prod': {
                  owners: [
                    'team-shop',
                    'group:default/team-payments',
                    'User:ada',
                  ],
                  grants: ['legacy-billing'],
                  replicas: 2,
                  retention: '30d',
                  maxInstances: 2,
                  resources: {
                    requests: { memory: '1Gi' },
                    limits: { memory: '2Gi' },
                  },
                  storage: { size: '20Gi' },
                },
                'shop-dev': {},
              },
            },
          ],
        },
      }),
    );
    expect(options.clusters[0].namespaces).toEqual({
      'shop-dev': { owners: [], grants: [], maxInstances: 1 },
      'shop-prod': {
        owners: [
          'group:default/team-payments',
          'group:default/team-shop',
          'user:default/ada',
        ],
        grants: ['component:default/legacy-billing'],
        replicas: 2,
        retention: '30d',
        maxInstances: 2,
        resources: { requests: { memory: '1Gi' }, limits: { memory: '2Gi' } },
        storage: { size: '20Gi' },
      },
    });
  });

  it('names every invalid namespace key', () => {
    expect(() =>
      readRenderOptions(
        new ConfigReader({
          monitoring: {
            clusters: [
              {
                name: 'local',
                allowedNamespaces: ['shop-prod'],
                namespaces: {
                  'shop-prod': {
                    owners: ['group:'],
                    replicas: 0,
                    retention: '5m',
                    maxInstances: 0,
                    storage: { size: 'lots' },
                  },
                  elsewhere: { replicas: 1 },
                },
              },
            ],
          },
        }),
      ),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(
          /monitoring\.clusters\[0\]\.namespaces\.shop-prod\.owners.*namespaces\.shop-prod\.replicas.*namespaces\.shop-prod\.retention.*namespaces\.shop-prod\.maxInstances.*namespaces\.shop-prod\.storage\.size.*monitoring\.clusters\[0\]\.namespaces\.elsewhere names a namespace that is not in allowedNamespaces/s,
        ),
      }),
    );
  });

  it('defaults the cluster to the only configured one', () => {
    const options = readRenderOptions(
      new ConfigReader({
        monitoring: { clusters: [{ name: 'only', allowedNamespaces: ['a'] }] },
      }),
    );
    expect(options.defaultCluster).toBe('only');
  });

  it('reports every invalid key at once', () => {
    expect(() =>
      readRenderOptions(
        new ConfigReader({
          monitoring: {
            defaults: {
              instance: 'Bad',
              replicas: { production: 0 },
              retention: 'forever',
              scrapeInterval: '1h',
              clusterRole: 'not/valid',
              alertmanager: { namespace: 'monitoring' },
              resources: {
                requests: { memory: '3Gi' },
                limits: { memory: '2Gi', cpu: 'lots' },
              },
              storage: { size: '0' },
              version: 'latest',
            },
            clusters: [
              { name: 'a', allowedNamespaces: ['Bad NS'] },
              { name: 'a' },
            ],
          },
        }),
      ),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(
          /monitoring\.defaults\.instance.*monitoring\.defaults\.replicas\.production.*monitoring\.defaults\.retention.*monitoring\.defaults\.scrapeInterval.*monitoring\.defaults\.clusterRole.*monitoring\.defaults\.alertmanager\.name.*limits\.cpu.*requests\.memory.*must not exceed.*storage\.size.*version.*allowedNamespaces.*listed twice/s,
        ),
      }),
    );
  });
});
