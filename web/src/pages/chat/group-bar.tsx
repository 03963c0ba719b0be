import { api, enc } from '../../api.js';
import { Link } from '../../components.js';
import { useLoad } from '../../hooks.js';
import type { GroupDetail } from '../../types.js';

/** Settings change by other admins' hands; the stored group is cheap to read again. */
const POLL_MS = 10_000;

export const isGroupChat = (chat: string) => chat.endsWith('@g.us');

/**
 * The open chat's group, when it is one: its subject names a chat that has no message yet, and
 * its settings say whether the account may write in it.
 */
export function useGroup(id: string, chat: string): GroupDetail | undefined {
  const group = isGroupChat(chat);
  return useLoad(() => (group ? api.get<GroupDetail>(`/api/whatsapp/${enc(id)}/groups/${enc(chat)}`) : Promise.resolve(undefined)), [id, chat], group ? POLL_MS : undefined).data;
}

/** Above a group's chat: the way to its members and settings, and who may send in it. */
export function GroupBar({ id, chat, group }: { id: string; chat: string; group: GroupDetail | undefined }) {
  return (
    <div class="group-info">
      <Link href={`/instances/${enc(id)}/groups/${enc(chat)}`}>👥 Group members and settings</Link>
      {group?.announce && !group.isAdmin && (
        <p class="notice" role="status" data-testid="announce-notice">
          Only admins send messages in this group.
        </p>
      )}
    </div>
  );
}
