import { LoggerService } from '@backstage/backend-plugin-api';
import { AnnotationProblem } from '@prometheus-ocs/plugin-monitoring-common';

/** One task-log line per invalid annotation, so a long list stays readable in the task view. */
export function logProblems(
  logger: LoggerService,
  source: string,
  problems: AnnotationProblem[],
): void {
  for (const problem of problems) {
    logger.error(
      `${source}: annotation ${problem.annotation}${
        problem.value !== undefined ? ` = ${JSON.stringify(problem.value)}` : ''
      } ${problem.message}`,
    );
  }
}
