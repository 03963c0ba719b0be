import { useRef, useState } from 'preact/hooks';
import { api, enc } from '../../../api.js';
import { ErrorBox } from '../../../components.js';
import { useAction } from '../../../hooks.js';
import type { Message } from '../use-history.js';
import { EditForm } from './edit-form.js';
import { ForwardForm } from './forward-form.js';

/** A handful of WhatsApp's quick reactions. */
const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

export interface MessageMenuProps {
  id: string;
  message: Message;
  onReply: (message: Message) => void;
  /** Called after a change the history should show (a reaction, an edit, a delete). */
  onChanged: () => Promise<void>;
}

/**
 * What can be done to one message: reply, react, forward; edit and delete for everyone on our
 * own; delete for me on any. A disclosure button, so it opens and closes by keyboard; Escape
 * closes it and gives the focus back to the button. What the API refuses (409 past WhatsApp's
 * windows, 403 someone else's) is shown inside it as the API said it.
 */
export function MessageMenu({ id, message: m, onReply, onChanged }: MessageMenuProps) {
  const toggle = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<'edit' | 'forward'>();
  const { busy, error, run } = useAction();
  const url = `/api/whatsapp/${enc(id)}/messages/${enc(m.messageId)}`;

  const close = () => {
    setOpen(false);
    setForm(undefined);
  };
  const done = async () => {
    close();
    await onChanged();
  };
  const act = async (action: () => Promise<unknown>) => {
    if ((await run(action)) !== undefined) await done();
  };
  const deleteForEveryone = () => {
    if (confirm('Delete this message for everyone?')) void act(() => api.del(url));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return;
    event.stopPropagation();
    close();
    toggle.current?.focus();
  };
  const canEdit = m.fromMe && m.messageType === 'text';

  return (
    <div class={open ? 'message-menu open' : 'message-menu'} onKeyDown={onKeyDown} data-testid="message-menu">
      <button type="button" class="menu-toggle" ref={toggle} aria-expanded={open} aria-label="Message actions" title="Message actions" onClick={() => (open ? close() : setOpen(true))}>
        ⋯
      </button>
      {open && (
        <div class="menu-body">
          <div class="actions">
            <button
              type="button"
              class="secondary"
              onClick={() => {
                close();
                onReply(m);
              }}
            >
              Reply
            </button>
            <button type="button" class="secondary" aria-expanded={form === 'forward'} onClick={() => setForm(form === 'forward' ? undefined : 'forward')}>
              Forward
            </button>
            {canEdit && (
              <button type="button" class="secondary" aria-expanded={form === 'edit'} onClick={() => setForm(form === 'edit' ? undefined : 'edit')}>
                Edit
              </button>
            )}
            {m.fromMe && (
              <button type="button" class="danger" disabled={busy} onClick={deleteForEveryone}>
                Delete for everyone
              </button>
            )}
            <button type="button" class="danger" disabled={busy} onClick={() => void act(() => api.del(`${url}?forMe=true`))}>
              Delete for me
            </button>
          </div>
          <div class="emoji-picker" role="group" aria-label="React">
            {QUICK_REACTIONS.map((emoji) => (
              <button key={emoji} type="button" class="emoji" disabled={busy} aria-label={`React ${emoji}`} onClick={() => void act(() => api.post(`${url}/reaction`, { emoji }))}>
                {emoji}
              </button>
            ))}
            <button type="button" class="link" disabled={busy} onClick={() => void act(() => api.post(`${url}/reaction`, { emoji: '' }))}>
              Remove reaction
            </button>
          </div>
          {form === 'edit' && <EditForm url={url} text={m.content ?? ''} onDone={done} />}
          {form === 'forward' && <ForwardForm id={id} url={url} onDone={done} />}
          <ErrorBox error={error} />
        </div>
      )}
    </div>
  );
}
