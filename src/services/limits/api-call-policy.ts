/**
 * What an authenticated API call costs the instance it acts on:
 * - `enforce`: counted in `apiCalls`, and refused once `maxApiCalls` is reached;
 * - `count`: counted, never refused;
 * - `exempt`: neither.
 */
export type ApiCallTreatment = 'enforce' | 'count' | 'exempt';

/** The facts about one call that the policy looks at. */
export interface ApiCall {
  method: string;
  /** The route's pattern as registered (`/api/instances/:id/status`), not the path requested. */
  route: string;
  /**
   * Made by the dashboard for its own pages (its session cookie). Those are not the user's API
   * calls: the dashboard polls, and counting it would spend the user's quota and then lock the
   * user out of the dashboard itself. A per-user rate limit bounds them instead (src/http/auth.ts).
   */
  viaDashboard: boolean;
}

/** Routes that act on one instance (`:id`): their calls count against it. */
const INSTANCE_ROUTE = /^\/api\/(instances|whatsapp|stats\/instances|simulator(\/instances)?)\/:id(\/|$)/;

/**
 * Which calls count as API calls, and which of those `maxApiCalls` may refuse. Reading the
 * instance's stats or limits and deleting it stay possible past the limit: a user must be able
 * to see why they are refused and to clean up.
 */
export function apiCallPolicy(call: ApiCall): ApiCallTreatment {
  if (call.viaDashboard || !INSTANCE_ROUTE.test(call.route)) return 'exempt';
  if (call.route.startsWith('/api/stats/') || call.route.endsWith('/limits')) return 'count';
  if (call.method === 'DELETE' && call.route === '/api/instances/:id') return 'count';
  return 'enforce';
}
