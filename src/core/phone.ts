import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js';
import { ValidationError } from './errors.js';

/** A WhatsApp chat address after normalization. */
export interface Recipient {
  /** `79001234567@s.whatsapp.net`, `1234567890-1600000000@g.us` or `123456789012345@lid`. */
  jid: string;
  /** The user part: international digits for a phone, the group or LID id otherwise. */
  number: string;
  isGroup: boolean;
  /** The LID a phone-number JID was found for, when the input was a LID with a known number. */
  lid?: string;
}

const USER_DOMAINS = new Set(['s.whatsapp.net', 'c.us']);
const LENGTH_PROBLEMS: Record<string, string> = {
  TOO_SHORT: 'is too short to be a phone number',
  TOO_LONG: 'is too long to be a phone number',
  INVALID_LENGTH: 'has a length no number in that country has',
  INVALID_COUNTRY: 'does not start with a known country calling code',
  NOT_A_NUMBER: 'is not a phone number',
};

function invalid(field: string, problem: string): ValidationError {
  return new ValidationError(`${field} ${problem}`, [{ field, message: problem }]);
}

/** Numbers already checked, digits → normalized digits; a bot sends to the same few again and again. */
const checked = new Map<string, string>();
const MAX_CHECKED = 10_000;

/**
 * International digits of a phone number. Digits without `+` are read as international, the way
 * wa.me links are, so `79001234567` is Russia; a leading `00` is the international prefix.
 * Only the length is checked against the country's plan: WhatsApp accounts exist on ranges
 * libphonenumber may call "invalid" (`+1 555 …`), and WhatsApp itself decides in the end.
 * libphonenumber's parse cost more CPU than the rest of a send's validation, so valid results
 * are remembered (a bounded map, emptied when full).
 */
function phoneDigits(raw: string, field: string): string {
  if (!/^\+?[\d\s().-]+$/.test(raw)) throw invalid(field, 'may contain only digits, spaces, "+", "-", "." and parentheses');
  let digits = raw.replace(/\D/g, '');
  if (!raw.startsWith('+') && digits.startsWith('00')) digits = digits.slice(2);
  if (digits === '') throw invalid(field, 'has no digits');
  const known = checked.get(digits);
  if (known !== undefined) return known;
  const international = `+${digits}`;
  const problem = validatePhoneNumberLength(international);
  if (problem) throw invalid(field, LENGTH_PROBLEMS[problem] ?? 'is not a valid phone number');
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed) throw invalid(field, 'is not a valid phone number');
  if (checked.size >= MAX_CHECKED) checked.clear();
  checked.set(digits, parsed.number.slice(1));
  return parsed.number.slice(1);
}

/** Validates a phone number or WhatsApp JID and returns the JID messages go to. */
export function normalizeRecipient(input: string, field = 'phone'): Recipient {
  const raw = input.trim();
  if (raw === '') throw invalid(field, 'must not be empty');
  const at = raw.lastIndexOf('@');
  if (at === -1) {
    const number = phoneDigits(raw, field);
    return { jid: `${number}@s.whatsapp.net`, number, isGroup: false };
  }
  const user = raw.slice(0, at);
  const domain = raw.slice(at + 1).toLowerCase();
  if (USER_DOMAINS.has(domain)) {
    // `79001234567:12@s.whatsapp.net` names one device of the account; messages go to the account.
    const number = phoneDigits(user.split(':')[0], field);
    return { jid: `${number}@s.whatsapp.net`, number, isGroup: false };
  }
  if (domain === 'g.us') {
    // New groups are `<digits>@g.us`; groups from before 2021 are `<creator phone>-<creation time>@g.us`.
    if (!/^\d{1,25}(-\d{1,20})?$/.test(user)) throw invalid(field, 'is not a valid group JID (expected digits or digits-digits before @g.us)');
    return { jid: `${user}@g.us`, number: user, isGroup: true };
  }
  if (domain === 'lid') {
    const id = user.split(':')[0];
    if (!/^\d{5,25}$/.test(id)) throw invalid(field, 'is not a valid LID (expected digits before @lid)');
    return { jid: `${id}@lid`, number: id, isGroup: false };
  }
  throw invalid(field, `has an unsupported WhatsApp domain "@${domain}" (use @s.whatsapp.net, @c.us, @g.us or @lid)`);
}
