import { Entity } from '@backstage/catalog-model';
import { isMonitoringEnabled } from '@prometheus-ocs/plugin-monitoring-common';

/**
 * True when the entity opts in with `prometheus-ocs.io/enabled: "true"`.
 * For `EntitySwitch.Case`/`EntityLayout.Route if`: show the Monitoring tab
 * and cards only on opted-in entities. To offer the one-click enable flow on
 * entities that have not opted in, show the tab on every Component instead.
 *
 * @public
 */
export function isMonitoringAvailable(entity: Entity): boolean {
  return isMonitoringEnabled(entity);
}
