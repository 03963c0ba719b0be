import { useRef, useState } from 'preact/hooks';
import { api, enc, query } from '../api.js';
import { ErrorBox, Field, Link, Loading, Section, Ticks } from '../components.js';
import { formatDate } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import { navigate } from '../router.js';
import type { ChatHistory, Sent } from '../types.js';

/** Often enough to watch ticks turn blue, cheap enough for one open chat. */
const POLL_MS = 1500;

export function ChatPage({ id }: { id: string }) {
  const chat = new URLSearchParams(location.search).get('chat') ?? '';
  const [draft, setDraft] = useState(chat);
  const open = (event: Event) => {
    event.preventDefault();
    navigate(`/instances/${enc(id)}/chat${query({ chat: draft.trim() })}`);
  };
  return (
    <>
      <h1>Chat</h1>
      <p>
        <Link href={`/instances/${enc(id)}`}>← Back to the instance</Link>
      </p>
      <form class="inline-form" onSubmit={open}>
        <Field label="Phone number or chat JID" name="chat" inputMode="tel" placeholder="79001234567" required value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
        <button type="submit">Open chat</button>
      </form>
      {chat && <Conversation key={chat} id={id} chat={chat} />}
    </>
  );
}

function Conversation({ id, chat }: { id: string; chat: string }) {
  const history = useLoad(
    () => api.get<ChatHistory>(`/api/instances/${enc(id)}/chats/${enc(chat)}/messages?limit=100`),
    [id, chat],
    POLL_MS,
  );
  const messages = history.data ? [...history.data.messages].sort((a, b) => a.timestamp.localeCompare(b.timestamp)) : undefined;
  return (
    <Section title={`Conversation with ${chat}`}>
      {messages ? (
        <ol class="messages" aria-label="Messages" aria-live="polite">
          {messages.length === 0 && <li class="muted">No messages in this chat yet.</li>}
          {messages.map((m) => (
            <li key={m.id} class={m.fromMe ? 'bubble out' : 'bubble in'} data-testid="message" data-message-id={m.messageId}>
              {m.hasMedia && <div class="media">📎 {m.fileName ?? m.mimeType ?? m.messageType}</div>}
              <div class="text">{m.content ?? m.caption ?? ''}</div>
              <div class="meta">
                {formatDate(m.timestamp)} {m.fromMe && <Ticks status={m.status} />}
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <Loading error={history.error} loading={history.loading} />
      )}
      {messages && <ErrorBox error={history.error} />}
      <Composer id={id} chat={chat} onSent={history.reload} />
    </Section>
  );
}

function Composer({ id, chat, onSent }: { id: string; chat: string; onSent: () => Promise<void> }) {
  const [text, setText] = useState('');
  const file = useRef<HTMLInputElement>(null);
  const { busy, error, run } = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    const sent = await run(() => {
      if (!chosen) return api.post<Sent>(`/api/whatsapp/${enc(id)}/send`, { phone: chat, message: text });
      const form = new FormData();
      form.set('phone', chat);
      if (text) form.set('caption', text);
      form.set('file', chosen);
      return api.post<Sent>(`/api/whatsapp/${enc(id)}/send-file`, form);
    });
    if (sent) {
      setText('');
      if (file.current) file.current.value = '';
      await onSent();
    }
  };

  return (
    <form class="composer" onSubmit={submit}>
      <div class="field grow">
        <label for="f-message">Message (caption when a file is attached)</label>
        <textarea id="f-message" name="message" rows={2} maxLength={65536} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="f-file">Attach a file</label>
        <input id="f-file" name="file" type="file" ref={file} />
      </div>
      <div class="field end">
        <button type="submit" disabled={busy}>
          Send
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}
