import { TenancyStatus } from './contract';
import { parsePrometheusDuration } from './prometheusDuration';

/**
 * Where one setting of a namespace's shared Prometheus comes from: the entities whose needs
 * equal it (they raised it), and whether the namespace floor equals it. Neither: the default.
 *
 * @public
 */
export interface SharedSettingSource {
  /** entity refs whose needs equal the effective value, sorted */
  raisedBy: string[];
  /** the namespace floor (platform configuration) equals the effective value */
  floor: boolean;
}

/**
 * Which needs raised the shared Prometheus' replicas and retention to what they are (status
 * `tenancy`), the explanation the Monitoring tab and the CLI show. Retentions compare as
 * durations (`30d` equals `720h`).
 *
 * @public
 */
export function sharedSettingSources(
  tenancy: Pick<TenancyStatus, 'effective' | 'floor' | 'needs'>,
): { replicas: SharedSettingSource; retention: SharedSettingSource } {
  const { effective, floor, needs } = tenancy;
  const sameRetention = (r: string | undefined) =>
    r !== undefined &&
    parsePrometheusDuration(r) !== undefined &&
    parsePrometheusDuration(r) === parsePrometheusDuration(effective.retention);
  const refs = (pick: (n: TenancyStatus['needs'][number]) => boolean) =>
    [...new Set(needs.filter(pick).map(n => n.entityRef))].sort();
  return {
    replicas: {
      raisedBy: refs(n => n.replicas === effective.replicas),
      floor: floor?.replicas === effective.replicas,
    },
    retention: {
      raisedBy: refs(n => sameRetention(n.retention)),
      floor: sameRetention(floor?.retention),
    },
  };
}
