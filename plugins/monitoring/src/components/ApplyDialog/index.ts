export { ApplyDialog, ROLLOUT_POLL_INTERVAL_MS } from './ApplyDialog';
export { isRolloutReady } from './RolloutProgress';
