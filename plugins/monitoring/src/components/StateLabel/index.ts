export { StateLabel } from './StateLabel';
export type { StateTone } from './StateLabel';
