import { useCallback, useState } from 'preact/hooks';
import { api, enc, query } from '../api.js';
import { Field, Link, Section } from '../components.js';
import { formatPhone } from '../format.js';
import { useLoad } from '../hooks.js';
import { navigate } from '../router.js';
import type { ChatList } from '../types.js';
import { Conversation } from './chat/conversation.js';
import { ConversationList, isChat } from './chat/conversation-list.js';
import { GroupBar, isGroupChat, useGroup } from './chat/group-bar.js';

/** New chats and unread counts show within a few seconds without hammering the server. */
const LIST_POLL_MS = 3000;

/**
 * The conversation list beside the open chat (on a phone: the list, or the chat with a way
 * back). A chat is opened from the list, or by typing a number for a new one.
 */
export function ChatPage({ id }: { id: string }) {
  const chat = new URLSearchParams(location.search).get('chat') ?? '';
  const chats = useLoad(() => api.get<ChatList>(`/api/instances/${enc(id)}/chats?limit=100`), [id], LIST_POLL_MS);
  const open = chats.data?.chats.find((c) => isChat(c, chat));
  const group = useGroup(id, chat);
  // Asked each time a new inbound message is on screen, not only when the list shows a count:
  // the list may be a poll behind the open chat. WhatsApp's read sends the blue ticks and sets
  // the unread count to 0 in one call; while the phone is not linked (409) only the count can be.
  const markRead = useCallback(
    async (which: string) => {
      await api
        .post(`/api/whatsapp/${enc(id)}/read`, { chatId: which })
        .catch(() => api.post(`/api/instances/${enc(id)}/chats/${enc(which)}/read`))
        .catch(() => undefined);
      await chats.reload();
    },
    [id, chats.reload],
  );

  return (
    <>
      <h1>Chat</h1>
      <p>
        <Link href={`/instances/${enc(id)}`}>← Back to the instance</Link>
      </p>
      <div class={chat ? 'chat-layout has-chat' : 'chat-layout'}>
        <div class="chat-side">
          <Section title="Conversations">
            <NewChat id={id} />
            <ConversationList id={id} chats={chats} current={chat} />
          </Section>
        </div>
        {chat && (
          <div class="chat-main">
            <p class="chat-back">
              <Link href={`/instances/${enc(id)}/chat`}>← All conversations</Link>
            </p>
            {isGroupChat(chat) && <GroupBar id={id} chat={chat} group={group} />}
            <Conversation key={chat} id={id} chat={chat} title={open ? `${open.name === open.phone ? formatPhone(open.phone) : open.name}` : (group?.subject ?? formatPhone(chat))} onRead={markRead} />
          </div>
        )}
      </div>
    </>
  );
}

function NewChat({ id }: { id: string }) {
  const [draft, setDraft] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    navigate(`/instances/${enc(id)}/chat${query({ chat: draft.trim() })}`);
    setDraft('');
  };
  return (
    <form class="inline-form" onSubmit={submit}>
      <Field label="New chat: phone number" name="chat" inputMode="tel" placeholder="+7 900 123 4567" required value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
      <button type="submit">Open chat</button>
    </form>
  );
}
