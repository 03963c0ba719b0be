import { ConflictError } from '../core/errors.js';
import { normalizeRecipient, type Recipient } from '../core/phone.js';
import type { SessionManager } from './sessions.js';

/**
 * The chat a phone number, JID or LID names, keyed the way the gateway keys chats: a LID
 * (`…@lid`) whose phone number the session knows becomes that number's JID, so a chat is one chat
 * however it was addressed; the LID is kept in `lid`. An unknown LID stays the chat's JID.
 */
export async function resolveRecipient(sessions: SessionManager, instanceId: string, input: string, field = 'phone'): Promise<Recipient> {
  const recipient = normalizeRecipient(input, field);
  if (!recipient.jid.endsWith('@lid')) return recipient;
  let phoneJid: string | undefined;
  try {
    phoneJid = await sessions.connectedSession(instanceId).account.phoneJidOf(recipient.jid);
  } catch (error) {
    // Not connected: the send itself says so; a read or a lookup goes on with the LID.
    if (!(error instanceof ConflictError)) throw error;
  }
  if (!phoneJid) return { ...recipient, lid: recipient.jid };
  return { jid: phoneJid, number: phoneJid.split('@')[0], isGroup: false, lid: recipient.jid };
}
