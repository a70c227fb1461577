export { AnnotationProblemsPanel } from './AnnotationProblemsPanel';
