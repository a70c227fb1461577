/*
 * Request bodies, with the API server's size limit (3 MiB): a larger body is 413.
 */
import type http from 'node:http';
import { genericError } from './statusErrors';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** The whole body of a request; rejects with 413 beyond the limit. */
export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(genericError(413, 'Request entity too large: limit is 3145728'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
