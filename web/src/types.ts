/**
 * The API's shapes as the dashboard reads them, derived from the server's TypeBox schemas: a
 * field the server renames or drops fails `tsc -p web` here instead of showing blank in a page.
 * Type-only imports, so no schema code lands in the bundle (docs/DASHBOARD.md).
 */
import type { Static } from '@sinclair/typebox';
import type { ApiKeyView } from '../../src/http/schemas/auth.js';
import type { CheckNumbersResponse } from '../../src/http/schemas/chat-actions.js';
import type { ChatsResponse } from '../../src/http/schemas/chats.js';
import type { ErrorResponse, SuccessResponse } from '../../src/http/schemas/common.js';
import type { DbStatus as DbStatusSchema } from '../../src/http/schemas/db.js';
import type {
  CreateGroupBody,
  CreateGroupResponse,
  GroupDetailView,
  GroupsResponse,
  InvitePreviewView,
  InviteView,
  ParticipantsBody,
  ParticipantsResponse,
  UpdateGroupBody,
} from '../../src/http/schemas/groups.js';
import type {
  InstanceCreated,
  InstanceDetail as InstanceDetailSchema,
  InstanceList as InstanceListSchema,
  UpdateInstanceBody,
} from '../../src/http/schemas/instances.js';
import type { LimitsView as LimitsViewSchema } from '../../src/http/schemas/limits.js';
import type {
  ChatHistoryResponse,
  ImportContactsResponse,
  SendResponse,
  StoredContactsResponse,
} from '../../src/http/schemas/messaging.js';
import type { BlocklistView, BlockView, ProfileBody, ProfileView } from '../../src/http/schemas/profiles.js';
import type { SendContactBody, SendLocationBody, SendPollBody } from '../../src/http/schemas/rich-send.js';
import type { ActivityView, PairingCodeView, QrCodeView, QrGenerating } from '../../src/http/schemas/sessions.js';
import type { InstanceStats as InstanceStatsSchema, SystemStats as SystemStatsSchema, Usage as UsageSchema, UserStats as UserStatsSchema } from '../../src/http/schemas/stats.js';
import type { CreatedUser as CreatedUserSchema, MeResponse, UserList as UserListSchema, UserView } from '../../src/http/schemas/users.js';
import type { DeliveriesResponse, DeliveryView, WebhookTestResponse } from '../../src/http/schemas/webhooks.js';

export type ErrorBody = Static<typeof ErrorResponse>;
export type ErrorDetail = NonNullable<ErrorBody['details']>[number];
/** `{ success, message }`: deletions, logout, and a reconnect that did not connect (`success: false`). */
export type Success = Static<typeof SuccessResponse>;

/** The signed-in user (`GET /api/auth/me`), with their API key. */
export type Me = Static<typeof MeResponse>;
export type User = Static<typeof UserView>;
export type UserList = Static<typeof UserListSchema>;
export type CreatedUser = Static<typeof CreatedUserSchema>;
export type ApiKey = Static<typeof ApiKeyView>;

export type InstanceList = Static<typeof InstanceListSchema>;
export type NewInstance = Static<typeof InstanceCreated>;
export type InstanceDetail = Static<typeof InstanceDetailSchema>;
export type WebhookSettings = InstanceDetail['webhookSettings'];
/** The body of `PUT /api/instances/:id`. */
export type InstanceUpdate = Static<typeof UpdateInstanceBody>;
/** `GET …/qr`: the code, or (202) word that one is on its way. */
export type QrAnswer = Static<typeof QrCodeView> | Static<typeof QrGenerating>;
export type PairingCode = Static<typeof PairingCodeView>;
export type Activity = Static<typeof ActivityView>;

/** `GET …/chats`: the conversation list, newest activity first. */
export type ChatList = Static<typeof ChatsResponse>;
export type ChatHistory = Static<typeof ChatHistoryResponse>;
export type Sent = Static<typeof SendResponse>;
export type LocationToSend = Static<typeof SendLocationBody>;
export type ContactsToSend = Static<typeof SendContactBody>;
export type PollToSend = Static<typeof SendPollBody>;
/** `POST …/check-numbers`: which numbers are on WhatsApp. */
export type NumberChecks = Static<typeof CheckNumbersResponse>;
export type Profile = Static<typeof ProfileView>;
export type ProfileUpdate = Static<typeof ProfileBody>;
export type Blocklist = Static<typeof BlocklistView>;
export type BlockAnswer = Static<typeof BlockView>;
export type StoredContacts = Static<typeof StoredContactsResponse>;
export type ContactsImported = Static<typeof ImportContactsResponse>;

/** `GET /api/whatsapp/:id/groups`: the groups the account is in, by subject. */
export type GroupList = Static<typeof GroupsResponse>;
export type GroupSummary = GroupList['groups'][number];
/** A group with its members and their admin rank. */
export type GroupDetail = Static<typeof GroupDetailView>;
export type Participant = GroupDetail['participants'][number];
export type NewGroup = Static<typeof CreateGroupBody>;
export type GroupCreated = Static<typeof CreateGroupResponse>;
/** The body of `PUT …/groups/:groupId`. */
export type GroupUpdate = Static<typeof UpdateGroupBody>;
export type ParticipantsChange = Static<typeof ParticipantsBody>;
export type ParticipantAction = ParticipantsChange['action'];
/** `POST …/groups/:groupId/participants`: WhatsApp's answer for each participant. */
export type ParticipantsAnswer = Static<typeof ParticipantsResponse>;
export type ParticipantResult = ParticipantsAnswer['results'][number];
export type Invite = Static<typeof InviteView>;
export type InvitePreview = Static<typeof InvitePreviewView>;

export type Delivery = Static<typeof DeliveryView>;
export type Deliveries = Static<typeof DeliveriesResponse>;
export type WebhookTest = Static<typeof WebhookTestResponse>;

export type Usage = Static<typeof UsageSchema>;
export type UserStats = Static<typeof UserStatsSchema>;
export type InstanceStats = Static<typeof InstanceStatsSchema>;
export type DailyStat = InstanceStats['usage']['dailyStats'][number];
export type SystemStats = Static<typeof SystemStatsSchema>;
export type DbStatus = Static<typeof DbStatusSchema>;

export type LimitsView = Static<typeof LimitsViewSchema>;
export type LimitName = keyof LimitsView['effective'];
