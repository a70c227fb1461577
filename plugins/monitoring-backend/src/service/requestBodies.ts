import { InputError } from '@backstage/errors';
import { z } from 'zod';

export const planBodySchema = z
  .object({ ignoreOptIn: z.boolean().optional() })
  .strict();

export const applyBodySchema = z
  .object({
    force: z.boolean().optional(),
    ignoreOptIn: z.boolean().optional(),
  })
  .strict();

export const entitySchema = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: z
      .object({
        name: z.string().min(1),
        namespace: z.string().min(1).optional(),
        annotations: z.record(z.string(), z.unknown()).optional(),
      })
      .passthrough(),
    spec: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

/** The body as `schema` describes it, or an InputError naming every problem. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new InputError(
      `Invalid request body: ${result.error.issues
        .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

/** A query parameter given at most once. */
export function singleQueryParam(
  query: Record<string, unknown>,
  name: string,
): string | undefined {
  const value = query[name];
  if (value !== undefined && typeof value !== 'string') {
    throw new InputError(`${name} must be given once`);
  }
  return value;
}

/**
 * `?graphs=<panel>,…` of `GET overview`: the distinct panel names, each a configured panel (400
 * otherwise, naming the panels). The names come from config, so the answer's keys are never
 * the caller's text.
 */
export function graphPanelsParam(
  query: Record<string, unknown>,
  panels: Record<string, string>,
): string[] {
  const value = singleQueryParam(query, 'graphs');
  if (!value) return [];
  const names = [...new Set(value.split(','))];
  if (!names.every(n => Object.prototype.hasOwnProperty.call(panels, n))) {
    throw new InputError(
      `graphs must name panels, separated by commas: ${Object.keys(panels)
        .sort()
        .join(', ')}`,
    );
  }
  return names;
}
