import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { normalizeRecipient } from '../../src/core/phone.js';

describe('normalizeRecipient', () => {
  it.each([
    ['79001234567', '79001234567'],
    ['+7 900 123-45-67', '79001234567'],
    ['+1 (555) 123-4567', '15551234567'],
    ['0049 151 12345678', '4915112345678'],
    ['  +49.151.12345678 ', '4915112345678'],
  ])('reads the phone number %s as international digits', (input, number) => {
    expect(normalizeRecipient(input)).toEqual({ jid: `${number}@s.whatsapp.net`, number, isGroup: false });
  });

  it('accepts user JIDs in both spellings and drops a device suffix', () => {
    const expected = { jid: '79001234567@s.whatsapp.net', number: '79001234567', isGroup: false };
    expect(normalizeRecipient('79001234567@s.whatsapp.net')).toEqual(expected);
    expect(normalizeRecipient('79001234567@c.us')).toEqual(expected);
    expect(normalizeRecipient('79001234567:12@s.whatsapp.net')).toEqual(expected);
  });

  it('accepts group JIDs old and new', () => {
    expect(normalizeRecipient('1234567890-1600000000@g.us')).toEqual({ jid: '1234567890-1600000000@g.us', number: '1234567890-1600000000', isGroup: true });
    expect(normalizeRecipient('123456789012345678@g.us')).toEqual({ jid: '123456789012345678@g.us', number: '123456789012345678', isGroup: true });
    expect(normalizeRecipient('123@g.us')).toEqual({ jid: '123@g.us', number: '123', isGroup: true });
    expect(normalizeRecipient('123456789-1612345678@g.us')).toEqual({ jid: '123456789-1612345678@g.us', number: '123456789-1612345678', isGroup: true });
  });

  it('accepts LIDs', () => {
    expect(normalizeRecipient('123456789012345@lid')).toEqual({ jid: '123456789012345@lid', number: '123456789012345', isGroup: false });
  });

  it.each([
    ['', /must not be empty/],
    ['123', /too short/],
    ['1234567890123456789', /too long/],
    ['999123456789', /country calling code/],
    ['7900abc4567', /only digits/],
    ['hello@g.us', /group JID/],
    ['123-@g.us', /group JID/],
    ['@g.us', /group JID/],
    ['abc@lid', /LID/],
    ['79001234567@example.com', /unsupported WhatsApp domain/],
    ['12@s.whatsapp.net', /too short/],
  ])('refuses %j naming the field and the reason', (input, reason) => {
    let error: unknown;
    try {
      normalizeRecipient(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.message).toMatch(reason);
    expect(validation.details?.[0].field).toBe('phone');
  });

  it('names the field it was given', () => {
    expect(() => normalizeRecipient('1', 'chatId')).toThrow(/^chatId /);
  });

  it('answers the same for a number seen before, in any spelling, and keeps refusing a bad one', () => {
    for (const spelling of ['+7 900 765-43-21', '79007654321', '0079007654321', '79007654321']) {
      expect(normalizeRecipient(spelling).jid).toBe('79007654321@s.whatsapp.net');
    }
    for (let i = 0; i < 2; i++) expect(() => normalizeRecipient('+1 23')).toThrow(/too short/);
  });
});
