/** Milliseconds since the epoch. Injected so tests can cross day boundaries. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
