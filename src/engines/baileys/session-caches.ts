import NodeCache from '@cacheable/node-cache';
import type { CacheStore, SocketConfig } from 'baileys';

type Caches = Required<
  Pick<
    SocketConfig,
    'msgRetryCounterCache' | 'userDevicesCache' | 'mediaCache' | 'placeholderResendCache' | 'callOfferCache'
  >
>;

/**
 * Baileys creates these per socket by default; one set per instance, kept across reconnects,
 * lets retry counts and device lists survive a restart of the connection.
 */
export function createSessionCaches(): Caches {
  // The same cache class Baileys uses for these; its typings are just not generic per call.
  const make = (stdTTL: number) => new NodeCache({ stdTTL, useClones: false }) as CacheStore;
  return {
    msgRetryCounterCache: make(60 * 60),
    userDevicesCache: make(5 * 60),
    mediaCache: make(60 * 60),
    placeholderResendCache: make(60 * 60),
    callOfferCache: make(5 * 60),
  };
}
