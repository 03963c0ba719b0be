import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { ErrorBox } from '../../components.js';
import { useAction } from '../../hooks.js';
import type { Sent } from '../../types.js';
import { replyOf } from './composer/panel.js';
import { ReplyPreview } from './composer/reply-preview.js';
import { ComposerTools } from './composer/tools.js';
import type { Message } from './use-history.js';

/**
 * Enter sends, Shift+Enter breaks the line (as in WhatsApp), and the cursor stays in the box
 * after sending so the next message can be typed at once. The box is never disabled while a
 * message goes out: a disabled field would drop the focus to the page. With `replyTo` every
 * send (text, file or a tool's) quotes it; Escape in the box, or the cancel button, drops it.
 */
export function Composer({ id, chat, onSent, replyTo, onCancelReply }: { id: string; chat: string; onSent: () => Promise<void>; replyTo?: Message; onCancelReply: () => void }) {
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const { busy, error, run } = useAction();
  const quotedMessageId = replyTo?.messageId;
  // Choosing "Reply" on a message puts the cursor where the reply is written.
  useEffect(() => {
    if (replyTo) box.current?.focus();
  }, [replyTo]);
  const sentAll = async () => {
    onCancelReply();
    await onSent();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    if (busy || (!chosen && !text.trim())) return;
    const sent = await run(() => {
      if (!chosen) return api.post<Sent>(`/api/whatsapp/${enc(id)}/send`, { phone: chat, message: text, ...replyOf(quotedMessageId) });
      const body = new FormData();
      body.set('phone', chat);
      if (text) body.set('caption', text);
      if (quotedMessageId) body.set('quotedMessageId', quotedMessageId);
      body.set('file', chosen);
      return api.post<Sent>(`/api/whatsapp/${enc(id)}/send-file`, body);
    });
    box.current?.focus();
    if (sent) {
      setText('');
      if (file.current) file.current.value = '';
      await sentAll();
    }
  };

  const cancelReply = () => {
    onCancelReply();
    box.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && replyTo) {
      event.preventDefault();
      cancelReply();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    form.current?.requestSubmit();
  };

  return (
    <>
      {replyTo && <ReplyPreview message={replyTo} onCancel={cancelReply} />}
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
            Enter sends · Shift+Enter starts a new line{replyTo && ' · Esc cancels the reply'}
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
      <ComposerTools id={id} chat={chat} quotedMessageId={quotedMessageId} onSent={sentAll} />
    </>
  );
}
