import type { MediaHost } from './media-host.js';
import { now } from './nodes.js';

/** What an account shows of itself besides its push name: about text and picture. */
export interface EmulatedProfile {
  about?: string;
  aboutSetAt?: string;
  picture?: { id: string; directPath: string; data: Buffer };
}

/**
 * Profiles and blocklists, which WhatsApp keeps on its server: by phone number, for simulated
 * peers and linked accounts alike. Blocklists hold LIDs, as WhatsApp's `blocklist` iq does, with
 * the phone JID each was blocked by.
 */
export class ProfileDirectory {
  private readonly profiles = new Map<string, EmulatedProfile>();
  private readonly blocklists = new Map<string, Map<string, string>>();

  get(phone: string): EmulatedProfile {
    let profile = this.profiles.get(phone);
    if (!profile) {
      profile = {};
      this.profiles.set(phone, profile);
    }
    return profile;
  }

  setAbout(phone: string, about: string): void {
    Object.assign(this.get(phone), { about, aboutSetAt: now() });
  }

  setPicture(media: MediaHost, phone: string, data: Buffer): void {
    this.get(phone).picture = { id: String(Date.now()), directPath: media.put('pp', data), data };
  }

  /** LID → phone JID of what the account blocks. */
  blocklist(phone: string): Map<string, string> {
    let list = this.blocklists.get(phone);
    if (!list) {
      list = new Map();
      this.blocklists.set(phone, list);
    }
    return list;
  }
}
