/*
 * The list of requests the stand-in received, so tests can assert what the product did (for
 * example that a plan or a dry run wrote nothing).
 */
import { toRegExp } from './faultInjector';
import type { RecordedRequest } from './types';

export class RequestLog {
  private entries: RecordedRequest[] = [];

  constructor(private readonly limit: number) {}

  add(entry: RecordedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit)
      this.entries.splice(0, this.entries.length - this.limit);
  }

  list(filter?: {
    method?: string;
    path?: RegExp | string;
  }): RecordedRequest[] {
    const re = toRegExp(filter?.path);
    return this.entries.filter(
      e =>
        (!filter?.method ||
          e.method.toUpperCase() === filter.method.toUpperCase()) &&
        (!re || re.test(e.path)),
    );
  }

  writes(): RecordedRequest[] {
    return this.entries.filter(e => e.write);
  }

  clear(): void {
    this.entries = [];
  }
}

/** The body as the request log keeps it: parsed JSON when it is JSON, the text otherwise. */
export function parseBodyForLog(
  body: Buffer,
  contentType: string | undefined,
): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  if (contentType?.includes('json') || contentType?.includes('yaml')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
