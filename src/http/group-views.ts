import type { Static } from '@sinclair/typebox';
import type { GroupRecord } from '../store/groups.js';
import type { GroupDetailView, GroupView } from './schemas/groups.js';

/** The REST view of a stored group: the list's fields. */
export function groupView(g: GroupRecord): Static<typeof GroupView> {
  return {
    id: g.groupJid,
    subject: g.subject,
    description: g.description,
    owner: g.owner,
    size: g.participants.length,
    announce: g.announce,
    restrict: g.restrict,
    ephemeralSeconds: g.ephemeralSeconds,
    isAdmin: g.isAdmin,
    createdAt: g.groupCreatedAt === null ? null : new Date(g.groupCreatedAt).toISOString(),
  };
}

/** With its members; `phone` is the number of a member known by phone. */
export function groupDetailView(g: GroupRecord): Static<typeof GroupDetailView> {
  return {
    ...groupView(g),
    participants: g.participants.map((p) => ({
      jid: p.jid,
      phone: p.jid.endsWith('@s.whatsapp.net') ? p.jid.split('@')[0] : null,
      ...(p.lid ? { lid: p.lid } : {}),
      admin: p.admin,
    })),
  };
}
