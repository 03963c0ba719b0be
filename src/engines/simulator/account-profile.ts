import type { Profile, ProfileUpdate } from '../account.js';
import type { AuthStateStore } from '../engine.js';

export interface Picture {
  data: Buffer;
  mimeType: string;
}

/** What a simulated account shows others: its push name, about text and picture. */
export interface SimulatedProfile {
  name?: string;
  about?: string;
  picture?: Picture;
}

interface Stored {
  about?: string;
  picture?: { base64: string; mimeType: string };
  blocked: string[];
}

const KEY = { type: 'simulator-account', id: 'account' } as const;

/**
 * The linked account's about text, picture and blocklist. WhatsApp keeps them on its server, so
 * they outlive a restart: here they sit in the auth store beside the credentials, and a logout
 * wipes them with it.
 */
export class AccountProfile {
  about?: string;
  picture?: Picture;
  readonly blocked = new Set<string>();

  static async load(auth: AuthStateStore): Promise<AccountProfile> {
    const account = new AccountProfile();
    const raw = (await auth.get(KEY.type, [KEY.id]))[KEY.id];
    if (raw === undefined) return account;
    const stored = JSON.parse(raw) as Stored;
    account.about = stored.about;
    account.picture = stored.picture && { data: Buffer.from(stored.picture.base64, 'base64'), mimeType: stored.picture.mimeType };
    for (const jid of stored.blocked) account.blocked.add(jid);
    return account;
  }

  /** Takes the about text and picture of an update; the name is the session's, kept with its credentials. */
  async update(update: ProfileUpdate, auth: AuthStateStore): Promise<void> {
    if (update.about !== undefined) this.about = update.about;
    if (update.picture) this.picture = { data: Buffer.from(update.picture.data), mimeType: update.picture.mimeType };
    await this.save(auth);
  }

  async setBlocked(jid: string, blocked: boolean, auth: AuthStateStore): Promise<void> {
    if (blocked) this.blocked.add(jid);
    else this.blocked.delete(jid);
    await this.save(auth);
  }

  private async save(auth: AuthStateStore): Promise<void> {
    const stored: Stored = {
      about: this.about,
      picture: this.picture && { base64: this.picture.data.toString('base64'), mimeType: this.picture.mimeType },
      blocked: [...this.blocked],
    };
    await auth.set({ [KEY.type]: { [KEY.id]: JSON.stringify(stored) } });
  }
}

/**
 * A simulated profile as the API shows it. The simulator has no picture host, so the picture
 * travels as a `data:` URL, which a browser shows as it would WhatsApp's https one.
 */
export function profileView(jid: string, profile: SimulatedProfile): Profile {
  const view: Profile = { jid, exists: true };
  if (profile.name) view.name = profile.name;
  if (profile.about !== undefined) view.about = profile.about;
  if (profile.picture) view.pictureUrl = `data:${profile.picture.mimeType};base64,${profile.picture.data.toString('base64')}`;
  return view;
}
