import { createHmac } from 'node:crypto';

/**
 * The two signatures a webhook request carries when the instance has a secret.
 *
 * `X-Webhook-Signature` is what the spec's `verifyWebhookSignature` snippet checks: hex
 * HMAC-SHA256 of the body bytes, keyed with the secret as text. `webhook-signature` follows
 * Standard Webhooks: it also covers the message id and the attempt time, so a receiver that
 * checks the timestamp can refuse a replayed request.
 */

export function bodySignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * A `whsec_`-prefixed secret is base64 after the prefix, as the Standard Webhooks libraries
 * read it; any other secret is used as its UTF-8 bytes (the libraries' "raw" format).
 */
export function standardKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
}

export function standardSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', standardKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}
