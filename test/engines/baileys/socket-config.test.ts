import { type AuthenticationState, DEFAULT_CONNECTION_CONFIG, initAuthCreds } from 'baileys';
import { describe, expect, it } from 'vitest';
import type { BaileysEngineOptions } from '../../../src/engines/baileys/options.js';
import { socketConfig, websocketHost } from '../../../src/engines/baileys/socket-config.js';

const logger = { level: 'silent' } as BaileysEngineOptions['logger'];
const production: BaileysEngineOptions = { logger, browserName: 'Gateway' };
const auth: AuthenticationState = { creds: initAuthCreds(), keys: { get: async () => ({}), set: async () => undefined } };

describe('socketConfig', () => {
  it('passes no key whose value is undefined, so Baileys keeps its defaults', () => {
    const config = socketConfig(production, { auth, logger, markOnlineOnConnect: false, fetchAgent: undefined });
    expect(Object.entries(config).filter(([, value]) => value === undefined)).toEqual([]);
    expect(Object.keys(config).sort()).toEqual(['auth', 'logger', 'markOnlineOnConnect']);
    // What makeWASocket does with it.
    const merged = { ...DEFAULT_CONNECTION_CONFIG, ...config };
    expect(merged.waWebSocketUrl).toBe('wss://web.whatsapp.com/ws/chat');
    expect(merged.connectTimeoutMs).toBe(DEFAULT_CONNECTION_CONFIG.connectTimeoutMs);
    expect(merged.defaultQueryTimeoutMs).toBe(DEFAULT_CONNECTION_CONFIG.defaultQueryTimeoutMs);
  });

  it('maps the options that are set', () => {
    const config = socketConfig(
      { ...production, websocketUrl: 'ws://127.0.0.1:7000/ws/chat', connectTimeoutMs: 1000, queryTimeoutMs: 2000, qrTimeoutMs: 3000 },
      { auth, logger },
    );
    expect(config).toMatchObject({ waWebSocketUrl: 'ws://127.0.0.1:7000/ws/chat', connectTimeoutMs: 1000, defaultQueryTimeoutMs: 2000, qrTimeout: 3000 });
  });
});

describe('websocketHost', () => {
  it("is WhatsApp's host unless the emulator hook names another", () => {
    expect(websocketHost(production)).toBe('web.whatsapp.com');
    expect(websocketHost({ ...production, websocketUrl: 'ws://127.0.0.1:7000/ws/chat' })).toBe('127.0.0.1:7000');
  });
});
