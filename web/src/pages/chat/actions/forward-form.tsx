import { useState } from 'preact/hooks';
import { api, enc } from '../../../api.js';
import { ErrorBox, Loading } from '../../../components.js';
import { formatPhone } from '../../../format.js';
import { useAction, useLoad } from '../../../hooks.js';
import type { ChatList } from '../../../types.js';

/** The message sent on to another chat of the list, chosen by name; loaded when the form opens. */
export function ForwardForm({ id, url, onDone }: { id: string; url: string; onDone: () => Promise<void> }) {
  const chats = useLoad(() => api.get<ChatList>(`/api/instances/${enc(id)}/chats?limit=100`), [id]);
  const [to, setTo] = useState('');
  const { busy, error, run } = useAction();
  const list = chats.data?.chats;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await run(() => api.post(`${url}/forward`, { phone: to }))) await onDone();
  };
  if (!list) return <Loading error={chats.error} loading={chats.loading} />;
  return (
    <form class="panel-form" onSubmit={submit} aria-label="Forward the message">
      <div class="field">
        <label for="f-forward-to">Forward to</label>
        <select id="f-forward-to" name="forward-to" required value={to} onChange={(e) => setTo(e.currentTarget.value)}>
          <option value="">Choose a chat…</option>
          {list.map((c) => (
            <option key={c.chatId} value={c.chatId}>
              {c.isGroup || c.name !== c.phone ? c.name : formatPhone(c.phone)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={busy}>
        Forward
      </button>
      <ErrorBox error={error} />
    </form>
  );
}
