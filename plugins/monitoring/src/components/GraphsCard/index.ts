export { GraphsCard } from './GraphsCard';
export type { GraphsCardProps } from './GraphsCard';
