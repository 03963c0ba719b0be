import type { BinaryNode } from 'baileys';
import type { EmulatedGroup, GroupUser, Rank } from './groups.js';

export const pnJid = (phone: string) => `${phone}@s.whatsapp.net`;
export const groupJid = (group: EmulatedGroup) => `${group.id}@g.us`;

/** Member as WhatsApp lists it in a phone-number addressed group: phone JID, LID beside it. */
export function participantNode(user: GroupUser, rank: Rank): BinaryNode {
  return { tag: 'participant', attrs: { jid: pnJid(user.phone), lid: `${user.lidUser}@lid`, ...(rank && { type: rank }) } };
}

/**
 * The `<group>` of a metadata answer, a create answer and a create notification. `who` finds the
 * user behind a member's number (every member is one the emulator knows).
 */
export function groupNode(group: EmulatedGroup, who: (phone: string) => GroupUser): BinaryNode {
  const content: BinaryNode[] = [...group.members].map(([phone, rank]) => participantNode(who(phone), rank));
  if (group.description) {
    const { id, body, owner, time } = group.description;
    content.push({ tag: 'description', attrs: { id, participant: pnJid(owner), t: String(time) }, content: [{ tag: 'body', attrs: {}, content: Buffer.from(body) }] });
  }
  if (group.announce) content.push({ tag: 'announcement', attrs: {} });
  if (group.restrict) content.push({ tag: 'locked', attrs: {} });
  if (group.ephemeral) content.push({ tag: 'ephemeral', attrs: { expiration: String(group.ephemeral) } });
  return {
    tag: 'group',
    attrs: {
      id: group.id,
      subject: group.subject,
      s_o: pnJid(group.subjectOwner),
      s_t: String(group.subjectTime),
      creator: pnJid(group.creator),
      creation: String(group.creation),
      size: String(group.members.size),
      addressing_mode: 'pn',
    },
    content,
  };
}
