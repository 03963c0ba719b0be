import { Type } from '@sinclair/typebox';
import { Limit, Nullable, Pagination, Skip } from './common.js';
import { Phone } from './messaging.js';

const MAX_PARTICIPANTS = 1024;

export const GroupParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  groupId: Type.String({ minLength: 1, maxLength: 100, description: 'A group JID (120363…@g.us) or its bare id' }),
});
export const InviteParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  code: Type.String({ minLength: 1, maxLength: 100, description: 'The invite code (the part after https://chat.whatsapp.com/)' }),
});

const Refresh = Type.Optional(Type.Boolean({ description: 'Read from WhatsApp now instead of the stored copy' }));

export const GroupsQuery = Type.Object({
  limit: Limit(50),
  skip: Skip,
  search: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the subject or group id, any case' })),
  refresh: Refresh,
});

export const GroupQuery = Type.Object({ refresh: Refresh });

const Subject = Type.String({ minLength: 1, maxLength: 100, description: "The group's name (WhatsApp allows 100 characters)" });
const Description = Type.String({ maxLength: 2048, description: 'Up to 2,048 characters; "" clears it' });
const Participants = Type.Array(Phone, {
  minItems: 1,
  maxItems: MAX_PARTICIPANTS,
  description: `Phone numbers or their JIDs; at most ${MAX_PARTICIPANTS}, WhatsApp's cap on a group`,
});

export const GroupView = Type.Object({
  id: Type.String({ description: 'The group JID' }),
  subject: Type.String(),
  description: Nullable(Type.String()),
  owner: Nullable(Type.String({ description: 'JID of the creator, when WhatsApp says' })),
  size: Type.Integer({ minimum: 0, description: 'Number of members' }),
  announce: Type.Boolean({ description: 'Only admins send messages' }),
  restrict: Type.Boolean({ description: 'Only admins edit the group info and settings' }),
  ephemeralSeconds: Type.Integer({ minimum: 0, description: 'Disappearing messages; 0 is off' }),
  isAdmin: Type.Boolean({ description: 'This account is an admin of the group' }),
  createdAt: Nullable(Type.String({ description: 'When the group was created, when WhatsApp says' })),
});

export const ParticipantView = Type.Object({
  jid: Type.String(),
  phone: Nullable(Type.String({ description: 'The number, when the member is known by phone' })),
  lid: Type.Optional(Type.String({ description: "The member's LID, when known" })),
  admin: Nullable(Type.Union([Type.Literal('admin'), Type.Literal('superadmin')])),
});

export const GroupDetailView = Type.Composite([GroupView, Type.Object({ participants: Type.Array(ParticipantView) })]);

export const GroupsResponse = Type.Object({ groups: Type.Array(GroupView), pagination: Pagination });

const ParticipantStatus = Type.Union(
  [Type.Literal('ok'), Type.Literal('not_on_whatsapp'), Type.Literal('privacy'), Type.Literal('not_in_group'), Type.Literal('already_in_group'), Type.Literal('error')],
  { description: 'privacy: the person accepts group invites only (see inviteOnPrivacy)' },
);

export const ParticipantResultView = Type.Object({
  phone: Type.String({ description: 'As given' }),
  jid: Type.String(),
  status: ParticipantStatus,
  invited: Type.Optional(Type.Boolean({ description: 'A privacy person was sent the invite link instead' })),
});

export const CreateGroupBody = Type.Object({ subject: Subject, participants: Participants, description: Type.Optional(Description) });
export const CreateGroupResponse = Type.Object({ group: GroupDetailView, results: Type.Array(ParticipantResultView) });

export const UpdateGroupBody = Type.Object({
  subject: Type.Optional(Subject),
  description: Type.Optional(Description),
  announce: Type.Optional(Type.Boolean({ description: 'Only admins send messages' })),
  restrict: Type.Optional(Type.Boolean({ description: 'Only admins edit the group info and settings' })),
  ephemeralSeconds: Type.Optional(
    Type.Union([Type.Literal(0), Type.Literal(86_400), Type.Literal(604_800), Type.Literal(7_776_000)], { description: 'Disappearing messages: 0 (off), 1 day, 7 days or 90 days' }),
  ),
  picture: Type.Optional(
    Type.Union([
      Type.Object({ url: Type.String({ minLength: 1, maxLength: 2048, format: 'uri' }) }),
      Type.Object({ base64: Type.String({ minLength: 1 }), mimeType: Type.Union([Type.Literal('image/jpeg'), Type.Literal('image/png')]) }),
    ], { description: 'A JPEG or PNG, by URL or as base64' }),
  ),
});

export const ParticipantsBody = Type.Object({
  action: Type.Union([Type.Literal('add'), Type.Literal('remove'), Type.Literal('promote'), Type.Literal('demote')]),
  participants: Participants,
  inviteOnPrivacy: Type.Optional(Type.Boolean({ description: 'Send the invite link to those who accept invites only (status privacy); default false' })),
});
export const ParticipantsResponse = Type.Object({ results: Type.Array(ParticipantResultView) });

export const InviteView = Type.Object({ code: Type.String(), link: Type.String({ description: 'https://chat.whatsapp.com/<code>' }) });
export const InvitePreviewView = Type.Object({ id: Type.String(), subject: Type.String(), description: Nullable(Type.String()), size: Type.Integer({ minimum: 0 }) });

export const JoinGroupBody = Type.Object({
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  link: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'https://chat.whatsapp.com/<code>' })),
});
