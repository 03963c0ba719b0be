/**
 * The account half of the engine port: who is on WhatsApp, profiles (theirs and our own), the
 * blocklist and the LID ↔ phone mappings the account learned. Every JID is normalized.
 */

export interface NumberCheck {
  /** The input as given. */
  input: string;
  jid: string;
  exists: boolean;
  /** The account's LID, when WhatsApp gave one. */
  lid?: string;
}

/** An account's profile as the linked account sees it. */
export interface Profile {
  jid: string;
  /** Whether the number is a WhatsApp account; an unknown one has no other field. */
  exists: boolean;
  /** Our own push name, or the name the account knows the peer by (its push name or contact name). */
  name?: string;
  /** The "about" text, when its owner lets us see it. */
  about?: string;
  /** Where the profile picture can be downloaded, when there is one we may see. */
  pictureUrl?: string;
}

/** What `updateProfile` changes on the linked account; absent fields stay as they are. */
export interface ProfileUpdate {
  name?: string;
  about?: string;
  /** A JPEG, PNG or WebP image; WhatsApp keeps a square JPEG of it. */
  picture?: { data: Buffer; mimeType: string };
}

/** Account operations of a session; each rejects when the session is not connected. */
export interface AccountOperations {
  /** Which of these JIDs are WhatsApp accounts. */
  checkNumbers(jids: string[]): Promise<NumberCheck[]>;
  /** The profile of a user JID, our own included; a number that is no account answers `exists: false`. */
  getProfile(jid: string): Promise<Profile>;
  /** Sets the linked account's own push name, about text and picture. */
  updateProfile(update: ProfileUpdate): Promise<void>;
  /** Blocks or unblocks a user JID: a blocked account can neither message nor call us. */
  setBlocked(jid: string, blocked: boolean): Promise<void>;
  /** The phone JIDs the account blocks. */
  getBlocklist(): Promise<string[]>;
  /**
   * The phone-number JID of a LID (`…@lid`), from the mappings WhatsApp gave this account (kept
   * with the credentials, so they outlive a restart); `undefined` when none is known.
   */
  phoneJidOf(lid: string): Promise<string | undefined>;
}
