import { useEffect, useState } from 'preact/hooks';
import { onReachChange, type Reach } from './api.js';

/**
 * Says so when the server refuses (429) or cannot be reached, so stale data on the page is never
 * mistaken for live data; it goes away by itself with the next answer.
 */
export function ReachBanner() {
  const [reach, setReach] = useState<Reach>({ state: 'ok' });
  useEffect(() => onReachChange(setReach), []);
  if (reach.state === 'ok') return null;
  return (
    <div class="banner" role="alert" data-testid="reach-banner">
      {reach.state === 'limited'
        ? `The server is refusing requests for now (too many requests${reach.retryAfterS ? `; try again in ${reach.retryAfterS} s` : ''}). What you see may be out of date; the page retries by itself.`
        : 'The server cannot be reached. What you see may be out of date; the page retries by itself.'}
    </div>
  );
}
