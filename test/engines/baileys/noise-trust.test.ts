import { Curve, WA_CERT_DETAILS } from 'baileys';
import { describe, expect, it } from 'vitest';

/**
 * Pins a Baileys behaviour that docs/BAILEYS-EMULATOR.md relies on: in 7.0.0-rc14 `Curve.verify`
 * answers true for any signature (libsignal's verifySignature returns false instead of throwing,
 * and Baileys only catches throws), so the Noise certificate chain is never really checked and a
 * server with any root key passes. When a Baileys bump makes this fail, WhatsApp's root key is
 * enforced again: the production-configuration link in test/e2e/production-address.e2e.test.ts
 * will then stop at the certificate check, and the docs must say so.
 */
describe('Baileys Noise certificate check', () => {
  it('does not reject a signature made by another key than the pinned root (rc14)', () => {
    const other = Curve.generateKeyPair();
    const details = Buffer.from('intermediate certificate details');
    expect(Curve.verify(WA_CERT_DETAILS.PUBLIC_KEY, details, Curve.sign(other.private, details))).toBe(true);
  });
});
