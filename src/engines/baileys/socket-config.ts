import { DEFAULT_CONNECTION_CONFIG, type UserFacingSocketConfig } from 'baileys';
import type { BaileysEngineOptions } from './options.js';

/**
 * The `makeWASocket` config with only the keys that have a value. Baileys merges
 * `{...DEFAULT_CONNECTION_CONFIG, ...config}`, so a key present as `undefined` erases the
 * default: `waWebSocketUrl: undefined` left every production session without WhatsApp's address.
 */
export function socketConfig(options: BaileysEngineOptions, config: UserFacingSocketConfig): UserFacingSocketConfig {
  const chosen: Partial<UserFacingSocketConfig> = {
    ...config,
    waWebSocketUrl: options.websocketUrl,
    connectTimeoutMs: options.connectTimeoutMs,
    defaultQueryTimeoutMs: options.queryTimeoutMs,
    qrTimeout: options.qrTimeoutMs,
  };
  return Object.fromEntries(Object.entries(chosen).filter(([, value]) => value !== undefined)) as UserFacingSocketConfig;
}

/** The host a session connects to, to name it when it cannot be reached. */
export function websocketHost(options: BaileysEngineOptions): string {
  return new URL(options.websocketUrl ?? DEFAULT_CONNECTION_CONFIG.waWebSocketUrl).host;
}
