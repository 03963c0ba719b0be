import { randomUUID } from 'node:crypto';
import type { InstanceRecord, MessageRecord, UserRecord } from '../../src/store/store.js';

/** A fixed instant, so records built for store tests compare exactly. */
export const NOW = 1_700_000_000_000;

export function userRecord(overrides: Partial<UserRecord> = {}): UserRecord {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    email: `${id}@test.local`,
    passwordHash: 'hash',
    firstName: 'A',
    lastName: 'B',
    role: 'user',
    active: true,
    apiKeyIndex: `idx-${id}`,
    apiKeyEnc: 'enc',
    tokenVersion: 0,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function instanceRecord(userId: string, overrides: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    id: randomUUID(),
    userId,
    name: 'inst',
    description: null,
    engine: 'simulator',
    status: 'connecting',
    linked: false,
    phoneJid: null,
    webhookUrl: null,
    webhookEnabled: false,
    lastActivity: null,
    lastEventTs: 0,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function messageRecord(instanceId: string, overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id: randomUUID(),
    instanceId,
    messageId: randomUUID(),
    remoteJid: '79001234567@s.whatsapp.net',
    fromMe: false,
    senderJid: null,
    messageType: 'text',
    content: 'hi',
    hasMedia: false,
    mediaUrl: null,
    mediaPath: null,
    mediaSize: null,
    caption: null,
    mimeType: null,
    fileName: null,
    status: 'received',
    metadata: { pushName: 'X' },
    timestamp: NOW,
    createdAt: NOW,
    updatedAt: NOW,
    statusUpdatedAt: null,
    ...overrides,
  };
}
