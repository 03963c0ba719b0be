import { useRef, useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { ErrorBox } from '../../components.js';
import { useAction } from '../../hooks.js';
import type { Sent } from '../../types.js';

/**
 * Enter sends, Shift+Enter breaks the line (as in WhatsApp), and the cursor stays in the box
 * after sending so the next message can be typed at once. The box is never disabled while a
 * message goes out: a disabled field would drop the focus to the page.
 */
export function Composer({ id, chat, onSent }: { id: string; chat: string; onSent: () => Promise<void> }) {
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const { busy, error, run } = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    if (busy || (!chosen && !text.trim())) return;
    const sent = await run(() => {
      if (!chosen) return api.post<Sent>(`/api/whatsapp/${enc(id)}/send`, { phone: chat, message: text });
      const body = new FormData();
      body.set('phone', chat);
      if (text) body.set('caption', text);
      body.set('file', chosen);
      return api.post<Sent>(`/api/whatsapp/${enc(id)}/send-file`, body);
    });
    box.current?.focus();
    if (sent) {
      setText('');
      if (file.current) file.current.value = '';
      await onSent();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    form.current?.requestSubmit();
  };

  return (
    <form class="composer" onSubmit={submit} ref={form}>
      <div class="field grow">
        <label for="f-message">Message (caption when a file is attached)</label>
        <textarea
          id="f-message"
          name="message"
          rows={2}
          maxLength={65536}
          ref={box}
          value={text}
          aria-describedby="f-message-hint"
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <small id="f-message-hint" class="muted">
          Enter sends · Shift+Enter starts a new line
        </small>
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
