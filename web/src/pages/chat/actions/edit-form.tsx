import { useState } from 'preact/hooks';
import { api } from '../../../api.js';
import { ErrorBox } from '../../../components.js';
import { useAction } from '../../../hooks.js';

/** New text for one of our messages; WhatsApp allows it for 15 minutes, the API says 409 after. */
export function EditForm({ url, text, onDone }: { url: string; text: string; onDone: () => Promise<void> }) {
  const [draft, setDraft] = useState(text);
  const { busy, error, run } = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await run(() => api.put(url, { message: draft }))) await onDone();
  };
  return (
    <form class="panel-form" onSubmit={submit} aria-label="Edit the message">
      <div class="field">
        <label for="f-edit">New text</label>
        <textarea id="f-edit" name="edit" rows={2} required maxLength={65536} value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
      </div>
      <button type="submit" disabled={busy}>
        Save the edit
      </button>
      <ErrorBox error={error} />
    </form>
  );
}
