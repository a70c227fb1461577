/**
 * Backend plugin of Prometheus OCS for Backstage.
 *
 * @packageDocumentation
 */

export { monitoringPlugin as default } from './plugin';
