import { useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { ErrorBox, Field, Loading, Section } from '../../components.js';
import { base64Of, PICTURE_ACCEPT } from '../../files.js';
import { useAction, useLoad } from '../../hooks.js';
import type { Profile, ProfileUpdate } from '../../types.js';

/**
 * The linked account as others see it on WhatsApp: its push name, about text and picture, read
 * from WhatsApp through the phone (so only while it is linked), and edited in place.
 */
export function AccountProfile({ id, phone }: { id: string; phone: string }) {
  const profile = useLoad(() => api.get<Profile>(`/api/whatsapp/${enc(id)}/profile/${enc(phone)}`), [id, phone]);
  const [editing, setEditing] = useState(false);
  const p = profile.data;
  return (
    <Section
      title="Account profile"
      actions={
        p &&
        !editing && (
          <button type="button" class="secondary" onClick={() => setEditing(true)}>
            Edit profile
          </button>
        )
      }
    >
      {!p ? (
        <Loading error={profile.error} loading={profile.loading} />
      ) : editing ? (
        <ProfileForm
          id={id}
          profile={p}
          onDone={async (saved) => {
            setEditing(false);
            if (saved) await profile.reload();
          }}
        />
      ) : (
        <div class="profile" data-testid="account-profile">
          {p.pictureUrl ? <img class="avatar" src={p.pictureUrl} alt="Profile picture" /> : <div class="avatar empty" aria-hidden="true" />}
          <dl class="facts">
            <dt>Name</dt>
            <dd data-testid="profile-name">{p.name || '—'}</dd>
            <dt>About</dt>
            <dd data-testid="profile-about">{p.about || '—'}</dd>
          </dl>
        </div>
      )}
    </Section>
  );
}

/** Sends only what changed: WhatsApp keeps what the update does not name. */
function ProfileForm({ id, profile, onDone }: { id: string; profile: Profile; onDone: (saved: boolean) => Promise<void> }) {
  const [name, setName] = useState(profile.name ?? '');
  const [about, setAbout] = useState(profile.about ?? '');
  const [picture, setPicture] = useState<File>();
  const { busy, error, run } = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    const update: ProfileUpdate = {};
    if (name !== (profile.name ?? '')) update.name = name;
    if (about !== (profile.about ?? '')) update.about = about;
    if (picture) update.picture = { base64: await base64Of(picture), mimeType: picture.type };
    if (Object.keys(update).length === 0) return onDone(false);
    if ((await run(() => api.put<Profile>(`/api/whatsapp/${enc(id)}/profile`, update))) !== undefined) await onDone(true);
  };

  return (
    <form onSubmit={submit} aria-label="Edit the account profile">
      <Field label="Name" name="profile-name" required maxLength={25} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <Field label="About" name="profile-about" maxLength={139} value={about} onInput={(e) => setAbout(e.currentTarget.value)} />
      <Field label="New picture (JPEG, PNG or WebP)" name="profile-picture" type="file" accept={PICTURE_ACCEPT} onChange={(e) => setPicture(e.currentTarget.files?.[0])} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save profile'}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void onDone(false)}>
          Cancel
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}
