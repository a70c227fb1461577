import { sharedSettingSources } from './sharedSettingSources';

describe('sharedSettingSources', () => {
  it('names the entities whose needs equal the effective values, retention as a duration', () => {
    expect(
      sharedSettingSources({
        effective: { replicas: 2, retention: '720h' },
        floor: { replicas: 1, retention: '7d' },
        needs: [
          {
            entityRef: 'component:default/payments',
            replicas: 2,
            retention: '30d',
          },
          {
            entityRef: 'component:default/cart',
            replicas: 1,
            retention: '720h',
          },
          {
            entityRef: 'component:default/audit',
            replicas: 2,
            retention: '1d',
          },
        ],
      }),
    ).toEqual({
      replicas: {
        raisedBy: ['component:default/audit', 'component:default/payments'],
        floor: false,
      },
      retention: {
        raisedBy: ['component:default/cart', 'component:default/payments'],
        floor: false,
      },
    });
  });

  it('says when the floor sets a value and no need reaches it', () => {
    expect(
      sharedSettingSources({
        effective: { replicas: 3, retention: '15d' },
        floor: { replicas: 3 },
        needs: [
          {
            entityRef: 'component:default/cart',
            replicas: 1,
            retention: '15d',
          },
        ],
      }),
    ).toEqual({
      replicas: { raisedBy: [], floor: true },
      retention: { raisedBy: ['component:default/cart'], floor: false },
    });
  });
});
