import NodeCache from '@cacheable/node-cache';
import type { CacheStore, SocketConfig } from 'baileys';

type SessionCaches = Required<
  Pick<
    SocketConfig,
    'msgRetryCounterCache' | 'userDevicesCache' | 'mediaCache' | 'placeholderResendCache' | 'callOfferCache'
  >
>;

/**
 * Baileys creates these per socket by default; one set per instance, kept across reconnects,
 * lets retry counts and device lists survive a restart of the connection. Each is bounded by its
 * TTL (a sweep every 10 minutes drops what expired); `close` stops those sweeps, whose timers
 * would otherwise keep the caches of a deleted instance alive for the life of the process.
 */
export function createSessionCaches(): { caches: SessionCaches; close: () => void } {
  const made: NodeCache<unknown>[] = [];
  const make = (stdTTL: number) => {
    const cache = new NodeCache({ stdTTL, useClones: false });
    made.push(cache);
    // The same cache class Baileys uses for these; its typings are just not generic per call.
    return cache as CacheStore;
  };
  const caches: SessionCaches = {
    msgRetryCounterCache: make(60 * 60),
    userDevicesCache: make(5 * 60),
    mediaCache: make(60 * 60),
    placeholderResendCache: make(60 * 60),
    callOfferCache: make(5 * 60),
  };
  const close = () => {
    for (const cache of made) {
      cache.flushAll();
      cache.close();
    }
  };
  return { caches, close };
}
