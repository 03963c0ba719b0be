import { useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { ErrorBox, Field, Section } from '../../components.js';
import { useAction } from '../../hooks.js';
import { navigate } from '../../router.js';
import type { GroupDetail, InvitePreview } from '../../types.js';

/** The code of an invite as typed: the code itself, or a link that ends in it. */
const inviteCodeOf = (text: string) => {
  const trimmed = text.trim();
  return /^https?:\/\//i.test(trimmed) ? (new URL(trimmed).pathname.split('/').filter(Boolean).pop() ?? '') : trimmed;
};

/** Where an invite code or link leads (subject and size, without joining), then join it. */
export function JoinGroup({ id }: { id: string }) {
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<{ code: string; group: InvitePreview }>();
  const previewing = useAction();
  const joining = useAction();

  const look = async (event: Event) => {
    event.preventDefault();
    setPreview(undefined);
    const code = await previewing.run(async () => inviteCodeOf(text));
    if (!code) return;
    const group = await previewing.run(() => api.get<InvitePreview>(`/api/whatsapp/${enc(id)}/groups/invite/${enc(code)}`));
    if (group) setPreview({ code, group });
  };

  const join = async (code: string) => {
    const group = await joining.run(() => api.post<GroupDetail>(`/api/whatsapp/${enc(id)}/groups/join`, { code }));
    if (group) navigate(`/instances/${enc(id)}/groups/${enc(group.id)}`);
  };

  return (
    <Section title="Join a group">
      <form class="inline-form" onSubmit={look}>
        <Field
          label="Invite code or link"
          name="invite"
          required
          placeholder="https://chat.whatsapp.com/…"
          value={text}
          onInput={(e) => (setText(e.currentTarget.value), setPreview(undefined))}
        />
        <button type="submit" class="secondary" disabled={previewing.busy}>
          Preview
        </button>
      </form>
      <ErrorBox error={previewing.error} />
      {preview && (
        <div data-testid="invite-preview">
          <dl class="facts">
            <dt>Subject</dt>
            <dd>{preview.group.subject}</dd>
            <dt>Members</dt>
            <dd>{preview.group.size}</dd>
            <dt>Description</dt>
            <dd>{preview.group.description || '—'}</dd>
          </dl>
          <div class="actions wrap">
            <button type="button" disabled={joining.busy} onClick={() => join(preview.code)}>
              Join “{preview.group.subject}”
            </button>
          </div>
          <ErrorBox error={joining.error} />
        </div>
      )}
    </Section>
  );
}
