import type { Profile, ProfileUpdate } from '../engines/account.js';
import { UnsupportedMediaTypeError, ValidationError } from '../core/errors.js';
import { normalizeRecipient } from '../core/phone.js';
import type { UserRecord } from '../store/store.js';
import { decodeBase64Media } from './base64-media.js';
import type { ContactsService } from './contacts.service.js';
import { fromEngine } from './engine-call.js';
import type { InstancesService } from './instances.service.js';
import type { MediaFetcher } from './media-fetch.js';
import type { SessionManager } from './sessions.js';

/** WhatsApp takes these as a profile picture and keeps a square JPEG of them. */
export const PICTURE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export interface ProfileInput {
  name?: string;
  about?: string;
  picture?: { url?: string; base64?: string; mimeType?: string };
}

export interface BlockedContact {
  jid: string;
  phone: string;
}

/**
 * Profiles and blocking: read another account's profile, set the linked account's own name,
 * about and picture, and block or unblock accounts. None of it is a message: nothing here is
 * counted as sent.
 */
export class ProfilesService {
  constructor(
    private readonly instances: InstancesService,
    private readonly sessions: SessionManager,
    private readonly contacts: Pick<ContactsService, 'refreshName'>,
    private readonly media: Pick<MediaFetcher, 'fetch'>,
    private readonly maxMediaBytes: number,
  ) {}

  async get(user: UserRecord, instanceId: string, phone: string): Promise<Profile> {
    const instance = await this.instances.getOwned(user, instanceId);
    const jid = userJid(phone, 'phone');
    const session = this.sessions.connectedSession(instance.id);
    const profile = await fromEngine('WhatsApp did not answer the profile', () => session.account.getProfile(jid));
    // The stored contact follows what WhatsApp now shows; our own account is no contact.
    if (profile.name && profile.exists && jid !== instance.phoneJid) await this.contacts.refreshName(instance, jid, profile.name);
    return profile;
  }

  /** Sets what is given and answers the account's profile as WhatsApp then shows it. */
  async update(user: UserRecord, instanceId: string, input: ProfileInput): Promise<Profile> {
    const instance = await this.instances.getOwned(user, instanceId);
    if (input.name === undefined && input.about === undefined && input.picture === undefined) {
      throw new ValidationError('Give at least one of name, about, picture', [{ field: 'name', message: 'one of name, about, picture is required' }]);
    }
    const session = this.sessions.connectedSession(instance.id);
    const update: ProfileUpdate = { name: input.name, about: input.about };
    if (input.picture) update.picture = await this.picture(input.picture);
    await fromEngine('WhatsApp did not take the profile', () => session.account.updateProfile(update));
    // A connected instance is linked, so it knows its own JID.
    const ownJid = instance.phoneJid ?? '';
    return fromEngine('WhatsApp did not answer the profile', () => session.account.getProfile(ownJid));
  }

  async setBlocked(user: UserRecord, instanceId: string, phone: string, blocked: boolean): Promise<BlockedContact & { blocked: boolean }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const jid = userJid(phone, 'phone');
    const session = this.sessions.connectedSession(instance.id);
    await fromEngine(`WhatsApp did not ${blocked ? 'block' : 'unblock'} ${jid}`, () => session.account.setBlocked(jid, blocked), 'phone');
    return { jid, phone: jid.split('@')[0], blocked };
  }

  async blocklist(user: UserRecord, instanceId: string): Promise<{ blocked: BlockedContact[] }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const session = this.sessions.connectedSession(instance.id);
    const jids = await fromEngine('WhatsApp did not answer the blocklist', () => session.account.getBlocklist());
    return { blocked: jids.map((jid) => ({ jid, phone: jid.split('@')[0] })) };
  }

  private async picture(input: NonNullable<ProfileInput['picture']>): Promise<NonNullable<ProfileUpdate['picture']>> {
    if ((input.url === undefined) === (input.base64 === undefined)) {
      throw new ValidationError('picture needs exactly one of url or base64', [{ field: 'picture', message: 'give exactly one of url or base64' }]);
    }
    if (input.base64 !== undefined) {
      if (input.mimeType === undefined) throw new ValidationError('picture.mimeType is required with picture.base64', [{ field: 'picture.mimeType', message: `is required: one of ${PICTURE_TYPES.join(', ')}` }]);
      const mimeType = pictureType(input.mimeType, 'picture.mimeType');
      return { data: decodeBase64Media(input.base64, 'picture.base64', this.maxMediaBytes), mimeType };
    }
    const fetched = await this.media.fetch(input.url ?? '');
    const declared = input.mimeType ?? fetched.contentType;
    if (declared === undefined) throw new UnsupportedMediaTypeError('picture.url answered no Content-Type; give picture.mimeType', [{ field: 'picture.mimeType', message: 'is required when the URL names no type' }]);
    return { data: fetched.data, mimeType: pictureType(declared, input.mimeType === undefined ? 'picture.url' : 'picture.mimeType') };
  }
}

/** The image type of a profile picture, or a 415 naming the ones WhatsApp takes. */
export function pictureType(mimeType: string, field: string): string {
  const essence = mimeType.split(';')[0].trim().toLowerCase();
  if (!(PICTURE_TYPES as readonly string[]).includes(essence)) {
    throw new UnsupportedMediaTypeError(`A profile picture must be ${PICTURE_TYPES.join(', ')}; ${field} is ${essence || 'empty'}`, [
      { field, message: `must be one of ${PICTURE_TYPES.join(', ')}, not ${essence || 'empty'}` },
    ]);
  }
  return essence;
}

/** A user's phone number or phone JID; groups and LIDs have no profile to read or block here. */
function userJid(input: string, field: string): string {
  const recipient = normalizeRecipient(input, field);
  if (recipient.isGroup || recipient.jid.endsWith('@lid')) throw new ValidationError(`${field} must be a phone number or a phone JID`, [{ field, message: 'must be a phone number or a phone JID (…@s.whatsapp.net)' }]);
  return recipient.jid;
}
