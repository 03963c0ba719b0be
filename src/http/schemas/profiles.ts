import { Type } from '@sinclair/typebox';
import { PICTURE_TYPES } from '../../services/profiles.service.js';

const UserPhone = Type.String({ minLength: 1, maxLength: 100, description: 'Phone number in international format (79001234567, +7 900 123-45-67) or a phone JID (…@s.whatsapp.net)' });

export const ProfileParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  phone: UserPhone,
});

export const ProfileView = Type.Object({
  jid: Type.String({ description: 'The phone JID' }),
  exists: Type.Boolean({ description: 'Whether the number is a WhatsApp account; false leaves out every other field' }),
  name: Type.Optional(Type.String({ description: "The account's own push name, or the name this account knows the peer by (its contact name, else its push name)" })),
  about: Type.Optional(Type.String({ description: 'The "about" text, when its owner lets us see it' })),
  pictureUrl: Type.Optional(Type.String({ description: "Where the profile picture can be downloaded (WhatsApp's CDN; a data: URL on the simulator), when there is one we may see" })),
});

export const ProfileBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 25, description: 'Push name others see (WhatsApp allows 25 characters)' })),
  about: Type.Optional(Type.String({ maxLength: 139, description: 'The "about" text (WhatsApp allows 139 characters)' })),
  picture: Type.Optional(
    Type.Object(
      {
        url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'Fetched under the media rules (size cap, timeout, no private addresses unless allowed)' })),
        base64: Type.Optional(Type.String({ minLength: 1, description: 'The image bytes, base64 (a data: URL prefix is allowed)' })),
        mimeType: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: `One of ${PICTURE_TYPES.join(', ')}; required with base64, else the URL's Content-Type` })),
      },
      { description: 'Exactly one of url or base64: a JPEG, PNG or WebP image up to MEDIA_MAX_BYTES; WhatsApp keeps a square JPEG of it' },
    ),
  ),
});

export const BlockBody = Type.Object({ phone: UserPhone });

const Blocked = Type.Object({
  jid: Type.String({ description: 'The phone JID' }),
  phone: Type.String({ description: 'International digits' }),
});

export const BlockView = Type.Object({
  jid: Type.String({ description: 'The phone JID' }),
  phone: Type.String({ description: 'International digits' }),
  blocked: Type.Boolean({ description: 'Whether the account now blocks it' }),
});

export const BlocklistView = Type.Object({ blocked: Type.Array(Blocked, { description: 'Accounts this account blocks' }) });

export const PeerProfileBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 25, description: 'Push name the virtual phone shows' })),
  about: Type.Optional(Type.String({ maxLength: 139, description: 'Its "about" text' })),
  picture: Type.Optional(
    Type.Object({
      base64: Type.String({ minLength: 1, description: 'The image bytes, base64' }),
      mimeType: Type.String({ minLength: 1, maxLength: 100, description: `One of ${PICTURE_TYPES.join(', ')}` }),
    }),
  ),
});
