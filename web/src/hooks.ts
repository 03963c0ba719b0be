import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { usePolling } from './polling.js';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Loads `fetcher` now and whenever `deps` change; with `pollMs`, again on that interval while
 * the tab is visible (see usePolling). A poll that fails keeps the last data and shows the error
 * beside it.
 */
export function useLoad<T>(fetcher: () => Promise<T>, deps: unknown[], pollMs?: number): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const current = useRef(fetcher);
  current.current = fetcher;
  // Bumped when deps change, so a slow answer for the old deps cannot overwrite the new one.
  const generation = useRef(0);

  const load = useCallback(async (): Promise<boolean> => {
    const mine = generation.current;
    try {
      const value = await current.current();
      if (mine !== generation.current) return true;
      setData(value);
      setError(undefined);
      return true;
    } catch (e) {
      if (mine === generation.current) setError(toApiError(e));
      return false;
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);
  const reload = useCallback(async () => void (await load()), [load]);

  useEffect(() => {
    generation.current += 1;
    setLoading(true);
    setData(undefined);
    setError(undefined);
    void load();
  }, deps);
  usePolling(load, pollMs, deps);

  return { data, error, loading, reload };
}

export function toApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, e instanceof Error ? e.message : String(e));
}

/** Runs a user action, tracking "busy" and the error to show; resolves to the result or undefined. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action();
    } catch (e) {
      setError(toApiError(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
