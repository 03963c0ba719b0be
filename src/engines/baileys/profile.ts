import type { WASocket } from 'baileys';
import type { Profile, ProfileUpdate } from '../account.js';

/** WhatsApp's answer when there is no picture, or its owner hides it from us: no picture to show. */
const NO_PICTURE = new Set([401, 404]);

/**
 * A user's profile: whether the number is an account, its about text (usync `status`) and its
 * picture (`w:profile:picture`). WhatsApp has no query for another account's name: `name` is the
 * one this account knows it by, passed in.
 */
export async function readProfile(sock: WASocket, jid: string, name: string | undefined): Promise<Profile> {
  const [found] = (await sock.onWhatsApp(jid)) ?? [];
  if (!found?.exists) return { jid, exists: false };
  const [statuses, pictureUrl] = await Promise.all([sock.fetchStatus(jid), pictureUrlOf(sock, jid)]);
  const about = (statuses?.[0] as { status?: { status?: string | null } } | undefined)?.status?.status;
  const profile: Profile = { jid, exists: true };
  if (name) profile.name = name;
  if (typeof about === 'string') profile.about = about;
  if (pictureUrl) profile.pictureUrl = pictureUrl;
  return profile;
}

async function pictureUrlOf(sock: WASocket, jid: string): Promise<string | undefined> {
  try {
    return await sock.profilePictureUrl(jid, 'image');
  } catch (error) {
    // Baileys raises the iq's error with WhatsApp's code as the Boom's data.
    const code = (error as { data?: unknown }).data;
    if (typeof code === 'number' && NO_PICTURE.has(code)) return undefined;
    throw error;
  }
}

/** The push name goes through app state (`pushNameSetting`), the about and picture through their own iqs. */
export async function writeProfile(sock: WASocket, ownJid: string, update: ProfileUpdate): Promise<void> {
  if (update.name !== undefined) await sock.updateProfileName(update.name);
  if (update.about !== undefined) await sock.updateProfileStatus(update.about);
  if (update.picture) await sock.updateProfilePicture(ownJid, update.picture.data);
}
