/**
 * Test helpers for apps that show the Monitoring tab: the monitoring backend's answers for one
 * monitored entity, to serve from a test's mock server (e.g. msw) in place of the backend.
 *
 * @packageDocumentation
 */

export {
  alertsFixture,
  statusFixture,
  target,
  targetsFixture,
} from './backendAnswers';
