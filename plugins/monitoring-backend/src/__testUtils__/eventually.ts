/**
 * Polls `fn` (every 200 ms, up to 30 s) until `check` accepts its value, for upstreams such as a
 * real Prometheus whose state changes on their own schedule; throws with the last value seen.
 */
export async function eventually<T>(
  fn: () => Promise<T>,
  check: (value: T) => boolean,
): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 150; i++) {
    last = await fn();
    if (check(last)) return last;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`condition not met; last value: ${JSON.stringify(last)}`);
}
