import { useEffect, useRef } from 'preact/hooks';

/** The longest a failing poll waits before it tries again. */
const MAX_BACKOFF_MS = 60_000;

/**
 * Calls `tick` every `everyMs` while the tab is visible: a hidden tab asks nothing of the
 * server, and shows fresh data the moment it is shown again. A tick that fails doubles the wait
 * (up to a minute), so a refusing or unreachable server is not hammered; one that succeeds
 * returns to the normal pace. `tick` resolves to whether it succeeded.
 */
export function usePolling(tick: () => Promise<boolean>, everyMs: number | undefined, deps: unknown[]): void {
  const current = useRef(tick);
  current.current = tick;
  useEffect(() => {
    if (!everyMs) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;
    const schedule = () => {
      clearTimeout(timer);
      if (stopped || document.hidden) return;
      timer = setTimeout(run, Math.min(everyMs * 2 ** failures, MAX_BACKOFF_MS));
    };
    const run = async () => {
      const ok = await current.current();
      failures = ok ? 0 : failures + 1;
      schedule();
    };
    const onVisibility = () => {
      if (document.hidden) clearTimeout(timer);
      else void run();
    };
    schedule();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [everyMs, ...deps]);
}
