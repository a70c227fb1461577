export { PolledSectionCard } from './PolledSectionCard';
