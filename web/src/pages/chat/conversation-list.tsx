import { Link, Loading, Ticks } from '../../components.js';
import { formatPhone, formatTime } from '../../format.js';
import type { Loaded } from '../../hooks.js';
import type { ChatList } from '../../types.js';

export type ChatSummary = ChatList['chats'][number];

const KIND_WORDS: Record<string, string> = {
  image: '📷 Photo',
  video: '🎥 Video',
  audio: '🎵 Audio',
  voice: '🎤 Voice message',
  document: '📄 Document',
  sticker: '🏷️ Sticker',
  location: '📍 Location',
  contact: '👤 Contact',
  poll: '📊 Poll',
};

/** Kinds named in words even when the server has a preview, which for them is only a summary. */
const NAMED = new Set(['location', 'voice', 'sticker']);

/** The last message in words: its text or caption, else what kind it is; a poll with its question. */
function preview(c: ChatSummary): string {
  const last = c.lastMessage;
  if (!last) return '';
  if (last.deleted) return '🚫 Message deleted';
  if (last.type === 'poll') return `📊 Poll: ${last.preview ?? ''}`;
  if (last.type === 'contact' && last.preview) return `👤 Contact: ${last.preview}`;
  if (NAMED.has(last.type)) return KIND_WORDS[last.type];
  return last.preview ?? KIND_WORDS[last.type] ?? last.type;
}

/** Same chat whether the address bar holds its JID or the number typed to open it. */
export const isChat = (c: ChatSummary, chat: string) => c.chatId === chat || c.phone === chat.replace(/\D/g, '');

/** The instance's chats in the server's order (newest activity first), with unread marks. */
export function ConversationList({ id, chats, current }: { id: string; chats: Loaded<ChatList>; current: string }) {
  const list = chats.data?.chats;
  if (!list) return <Loading error={chats.error} loading={chats.loading} />;
  if (list.length === 0) return <p class="muted">No conversations yet. Messages sent or received appear here.</p>;
  return (
    <ul class="chat-list" aria-label="Conversations">
      {list.map((c) => {
        const name = c.isGroup || c.name !== c.phone ? c.name : formatPhone(c.phone);
        return (
          <li key={c.chatId} data-testid="chat-row" data-chat-id={c.chatId} data-group={String(c.isGroup)} class={isChat(c, current) ? 'current' : undefined}>
            <Link href={`/instances/${encodeURIComponent(id)}/chat?chat=${encodeURIComponent(c.chatId)}`} aria-current={isChat(c, current) ? 'page' : undefined}>
              <span class="chat-top">
                <span class={c.unreadCount > 0 ? 'chat-name strong' : 'chat-name'}>
                  {c.isGroup && (
                    <span class="group-mark" data-testid="group-mark" title="Group" aria-label="Group:">
                      👥
                    </span>
                  )}
                  {name}
                </span>
                <time class="small muted" dateTime={c.lastActivityAt}>
                  {formatTime(c.lastActivityAt)}
                </time>
              </span>
              <span class="chat-bottom">
                <span class="chat-preview small muted">
                  {c.lastMessage?.fromMe && <Ticks status={c.lastMessage.status} />} {preview(c)}
                </span>
                {c.unreadCount > 0 && (
                  <span class="unread" data-testid="unread" aria-label={`${c.unreadCount} unread`}>
                    {c.unreadCount}
                  </span>
                )}
              </span>
              {!c.isGroup && c.name !== c.phone && <span class="small muted">{formatPhone(c.phone)}</span>}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
