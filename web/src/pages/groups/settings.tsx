import { useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { Check, ErrorBox, Field, Section } from '../../components.js';
import { base64Of } from '../../files.js';
import { useAction } from '../../hooks.js';
import type { GroupDetail, GroupUpdate } from '../../types.js';
import { EPHEMERAL_CHOICES } from './group-words.js';

/** WhatsApp keeps a group picture as a JPEG, made from a JPEG or a PNG. */
type GroupPictureType = 'image/jpeg' | 'image/png';
const GROUP_PICTURE_ACCEPT = 'image/jpeg,image/png';

type Settings = Required<Pick<GroupUpdate, 'subject' | 'description' | 'announce' | 'restrict' | 'ephemeralSeconds'>>;

const settingsOf = (g: GroupDetail): Settings => ({
  subject: g.subject,
  description: g.description ?? '',
  announce: g.announce,
  restrict: g.restrict,
  ephemeralSeconds: g.ephemeralSeconds as Settings['ephemeralSeconds'],
});

/**
 * Subject, description, picture, who may send (`announce`), who may edit (`restrict`) and disappearing
 * messages. The form holds only the edits: a field not touched follows the group as polled, and
 * only what differs from it is sent. What a member may not change is disabled, and any refusal
 * WhatsApp still gives (403) shows as it came.
 */
export function GroupSettings({ id, group, onSaved }: { id: string; group: GroupDetail; onSaved: () => Promise<void> }) {
  const [draft, setDraft] = useState<Partial<Settings>>({});
  const [picture, setPicture] = useState<File>();
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const current = settingsOf(group);
  const shown: Settings = { ...current, ...draft };
  const changes = Object.fromEntries(Object.entries(draft).filter(([key, value]) => current[key as keyof Settings] !== value)) as GroupUpdate;
  const changed = Object.keys(changes).length > 0 || picture !== undefined;
  // As WhatsApp has it: settings are for admins, the info too once `restrict` is on.
  const infoLocked = !group.isAdmin && group.restrict;
  const edit = (fields: Partial<Settings>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...fields }));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!changed) return;
    const update: GroupUpdate = picture ? { ...changes, picture: { base64: await base64Of(picture), mimeType: picture.type as GroupPictureType } } : changes;
    if (await run(() => api.put<GroupDetail>(`/api/whatsapp/${enc(id)}/groups/${enc(group.id)}`, update))) {
      await onSaved();
      setDraft({});
      setPicture(undefined);
      setSaved(true);
    }
  };

  return (
    <Section title="Settings">
      <form onSubmit={submit} data-testid="group-settings">
        <fieldset disabled={infoLocked}>
          <legend>Info</legend>
          {infoLocked && <p class="muted small">Only admins edit the info of this group.</p>}
          <Field label="Subject" name="settings-subject" required maxLength={100} value={shown.subject} onInput={(e) => edit({ subject: e.currentTarget.value })} />
          <div class="field">
            <label for="f-settings-description">Description</label>
            <textarea
              id="f-settings-description"
              name="settings-description"
              rows={3}
              maxLength={2048}
              value={shown.description}
              onInput={(e) => edit({ description: e.currentTarget.value })}
            />
          </div>
          <Field
            label="New group picture (JPEG or PNG)"
            name="group-picture"
            type="file"
            accept={GROUP_PICTURE_ACCEPT}
            onChange={(e) => {
              setSaved(false);
              setPicture(e.currentTarget.files?.[0]);
            }}
          />
        </fieldset>
        <fieldset disabled={!group.isAdmin}>
          <legend>Who may do what</legend>
          {!group.isAdmin && <p class="muted small">Only admins change these settings.</p>}
          <Check label="Only admins send messages" name="announce" checked={shown.announce} onChange={(announce) => edit({ announce })} />
          <Check label="Only admins edit the group info and settings" name="restrict" checked={shown.restrict} onChange={(restrict) => edit({ restrict })} />
          <div class="field narrow">
            <label for="f-ephemeral">Disappearing messages</label>
            <select
              id="f-ephemeral"
              name="ephemeral"
              value={String(shown.ephemeralSeconds)}
              onChange={(e) => edit({ ephemeralSeconds: Number(e.currentTarget.value) as Settings['ephemeralSeconds'] })}
            >
              {EPHEMERAL_CHOICES.map((c) => (
                <option key={c.seconds} value={String(c.seconds)}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={busy || !changed}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
          {saved && (
            <span role="status" class="muted small">
              Saved.
            </span>
          )}
        </div>
      </form>
      <ErrorBox error={error} />
    </Section>
  );
}
