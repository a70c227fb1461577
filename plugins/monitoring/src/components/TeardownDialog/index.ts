export { TeardownDialog } from './TeardownDialog';
