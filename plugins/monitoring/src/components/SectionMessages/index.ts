export { ActionError } from './ActionError';
export { SectionError } from './SectionError';
export { PartialFailures } from './PartialFailures';
