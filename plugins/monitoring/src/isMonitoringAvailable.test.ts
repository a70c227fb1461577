import { Entity } from '@backstage/catalog-model';
import { isMonitoringAvailable } from './isMonitoringAvailable';

function entity(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', annotations },
    spec: {},
  };
}

describe('isMonitoringAvailable', () => {
  it('is true only for the opt-in annotation set to "true"', () => {
    expect(
      isMonitoringAvailable(entity({ 'prometheus-ocs.io/enabled': 'true' })),
    ).toBe(true);
    expect(
      isMonitoringAvailable(entity({ 'prometheus-ocs.io/enabled': 'false' })),
    ).toBe(false);
    expect(
      isMonitoringAvailable(entity({ 'prometheus-ocs.io/enabled': 'yes' })),
    ).toBe(false);
    expect(isMonitoringAvailable(entity({}))).toBe(false);
    expect(isMonitoringAvailable(entity())).toBe(false);
  });
});
