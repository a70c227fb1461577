import type { AnnotationProblem } from '../contract';
import { shownValue } from './monitoringLimits';

/** Collects every problem of an entity's annotations (never only the first) and reads values as strings. */
export class ProblemCollector {
  readonly problems: AnnotationProblem[] = [];
  constructor(private readonly annotations: Record<string, unknown>) {}

  add(annotation: string, message: string, value?: string) {
    this.problems.push({
      annotation,
      ...(value !== undefined ? { value: shownValue(value) } : {}),
      message,
    });
  }

  /** The annotation's string value; `undefined` when absent, with a problem when not a string. */
  get(annotation: string): string | undefined {
    const value = this.annotations[annotation];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(
        annotation,
        `must be a string (quote it in YAML), got ${typeof value}`,
        String(value),
      );
      return undefined;
    }
    return value;
  }
}
