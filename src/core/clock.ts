/** Milliseconds since the epoch. Injected so tests can cross day boundaries. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/**
 * An instant as the API shows it (ISO 8601, UTC). Null stays null, for the instants that have not
 * happened (yet): a message never acknowledged, a delivery never attempted.
 */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
