import { useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { ErrorBox, Section } from '../../components.js';
import { useAction } from '../../hooks.js';
import type { Invite } from '../../types.js';

/**
 * The group's invite link, asked for when wanted (on Baileys each read asks WhatsApp), with a
 * copy button and a revoke that makes the old link stop working. Admins only, as in WhatsApp.
 */
export function InviteLink({ id, groupId, isAdmin }: { id: string; groupId: string; isAdmin: boolean }) {
  const [invite, setInvite] = useState<Invite>();
  const [note, setNote] = useState<string>();
  const { busy, error, run } = useAction();
  const base = `/api/whatsapp/${enc(id)}/groups/${enc(groupId)}/invite`;

  const show = async () => {
    setNote(undefined);
    setInvite(await run(() => api.get<Invite>(base)));
  };
  const revoke = async () => {
    if (!confirm('Revoke the invite link? The current link stops working; a new one replaces it.')) return;
    setNote(undefined);
    const fresh = await run(() => api.post<Invite>(`${base}/revoke`));
    if (fresh) {
      setInvite(fresh);
      setNote('The old link no longer works. This is the new one.');
    }
  };
  const copy = async (link: string) => {
    try {
      await navigator.clipboard.writeText(link);
      setNote('Link copied.');
    } catch {
      setNote('The browser did not allow copying: select the link and copy it.');
    }
  };

  if (!isAdmin) {
    return (
      <Section title="Invite link">
        <p class="muted small">Only admins see and revoke the invite link.</p>
      </Section>
    );
  }
  return (
    <Section title="Invite link">
      {invite ? (
        <>
          <div class="field">
            <label for="f-invite-link">Anyone with this link can join</label>
            <input id="f-invite-link" name="invite-link" readOnly value={invite.link} onFocus={(e) => e.currentTarget.select()} data-code={invite.code} />
          </div>
          <div class="actions wrap">
            <button type="button" class="secondary" onClick={() => void copy(invite.link)}>
              Copy link
            </button>
            <button type="button" class="danger" disabled={busy} onClick={revoke}>
              Revoke link
            </button>
          </div>
        </>
      ) : (
        <button type="button" class="secondary" disabled={busy} onClick={show}>
          Show invite link
        </button>
      )}
      {note && (
        <p role="status" class="small">
          {note}
        </p>
      )}
      <ErrorBox error={error} />
    </Section>
  );
}
