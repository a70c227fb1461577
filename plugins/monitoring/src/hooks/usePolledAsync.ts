import { useCallback, useEffect, useRef, useState } from 'react';

/** How often the Monitoring tab and cards refresh by default. */
export const DEFAULT_REFRESH_INTERVAL_MS = 30_000;

/** @public */
export interface PolledAsyncState<T> {
  /** latest successful result; kept while a later refresh fails */
  value?: T;
  /** error of the latest attempt, cleared by the next success */
  error?: Error;
  /** a request is in flight */
  loading: boolean;
  /** when `value` was fetched */
  lastUpdated?: Date;
  refresh: () => Promise<void>;
}

interface State<T> {
  value?: T;
  error?: Error;
  loading: boolean;
  lastUpdated?: Date;
}

/**
 * The one way the plugin loads data (see docs/frontend.md, "Loading data").
 *
 * Loads `fn` now, whenever `key` changes and every `intervalMs` (0 = load once,
 * as the dialogs do) while the page is visible. Unlike react-use's
 * useAsyncRetry, which Backstage's plugins combine with useInterval for
 * polling, a failed refresh keeps showing the last good value next to the
 * error, and a new `key` (another entity) never shows the previous key's value
 * while it loads. Responses that arrive out of order are dropped.
 */
export function usePolledAsync<T>(
  fn: () => Promise<T>,
  key: string,
  intervalMs: number,
  enabled: boolean = true,
): PolledAsyncState<T> {
  const [state, setState] = useState<State<T>>({ loading: true });
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const sequence = useRef(0);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const load = useCallback(async () => {
    const id = ++sequence.current;
    setState(previous => ({ ...previous, loading: true }));
    try {
      const value = await fnRef.current();
      if (mounted.current && id === sequence.current) {
        setState({ value, loading: false, lastUpdated: new Date() });
      }
    } catch (e) {
      if (mounted.current && id === sequence.current) {
        const error = e instanceof Error ? e : new Error(String(e));
        setState(previous => ({ ...previous, error, loading: false }));
      }
    }
  }, []);

  useEffect(() => {
    if (!enabled) {
      return;
    }
    // a different entity/query: never show the previous one's data
    setState({ loading: true });
    load();
  }, [key, load, enabled]);

  useEffect(() => {
    if (!intervalMs || !enabled) {
      return undefined;
    }
    const timer = setInterval(() => {
      if (
        typeof document === 'undefined' ||
        document.visibilityState !== 'hidden'
      ) {
        load();
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, load, enabled]);

  return { ...state, refresh: load };
}
