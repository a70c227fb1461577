export { TargetsCard } from './TargetsCard';
export type { TargetsCardProps } from './TargetsCard';
