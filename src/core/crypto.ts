import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Sealed values whose plain text is kept: the webhook secrets of the instances being served. */
const OPENED_KEPT = 1000;

/**
 * Secrets at rest: API keys and webhook secrets are encrypted with AES-256-GCM under a key
 * derived from the server secret, and API keys get an HMAC index so a request's key is found
 * without storing it in plain text. Derived keys are separate per purpose.
 */
export class SecretBox {
  private readonly encryptionKey: Buffer;
  private readonly indexKey: Buffer;
  /** Every webhook delivery opens its instance's secret: AES-GCM set-up was ~50 µs of each under load. */
  private readonly opened = new Map<string, string>();

  constructor(serverSecret: string) {
    this.encryptionKey = derive(serverSecret, 'secret-box/aes-256-gcm');
    this.indexKey = derive(serverSecret, 'secret-box/api-key-index');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(sealed: string): string {
    const kept = this.opened.get(sealed);
    if (kept !== undefined) return kept;
    const plain = this.open(sealed);
    if (this.opened.size >= OPENED_KEPT) this.opened.delete(this.opened.keys().next().value as string);
    this.opened.set(sealed, plain);
    return plain;
  }

  /** Whether this box's key opens a sealed value: the server secret is the one it was sealed with. */
  opens(sealed: string): boolean {
    try {
      this.open(sealed);
      return true;
    } catch {
      return false;
    }
  }

  private open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unreadable sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  index(apiKey: string): string {
    return createHmac('sha256', this.indexKey).update(apiKey).digest('hex');
  }
}

/**
 * The server secret does not open what is stored: it changed since the data was written. Every
 * login would fail on the API key it returns, so the server must not start. `sample` is a stored
 * sealed value, for telling which other secret would open it.
 */
export class SecretMismatchError extends Error {
  constructor(readonly sample: string) {
    super('the server secret does not open the API keys stored in the database');
    this.name = 'SecretMismatchError';
  }
}

function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'whatsapp-multi-instance-api', purpose, 32));
}

/** 32 random bytes, URL-safe: an API key a client can put in a header as is. */
export function newApiKey(): string {
  return `wak_${randomBytes(32).toString('base64url')}`;
}

export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
