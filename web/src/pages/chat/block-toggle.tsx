import { api, enc } from '../../api.js';
import { ErrorBox } from '../../components.js';
import { useAction, useLoad } from '../../hooks.js';
import type { Blocklist } from '../../types.js';

/** The digits of a one-to-one chat's peer; none for a group or a LID, which cannot be blocked by number. */
export const peerPhone = (chat: string): string | undefined => {
  if (/@(g\.us|lid|broadcast|newsletter)$/.test(chat)) return undefined;
  const digits = chat.split('@')[0].replace(/\D/g, '');
  return digits || undefined;
};

/**
 * Block or Unblock the open chat's peer, with the state WhatsApp keeps (the blocklist). Hidden
 * until the blocklist answers: while the phone is not linked neither can be done.
 */
export function BlockToggle({ id, chat }: { id: string; chat: string }) {
  const phone = peerPhone(chat);
  const list = useLoad(() => (phone ? api.get<Blocklist>(`/api/whatsapp/${enc(id)}/blocklist`) : Promise.resolve(undefined)), [id, phone]);
  const { busy, error, run } = useAction();
  if (!phone || !list.data) return null;
  const blocked = list.data.blocked.some((b) => b.phone === phone);
  const toggle = async () => {
    if (!blocked && !confirm('Block this contact? WhatsApp delivers nothing from a blocked account, and we cannot message it until it is unblocked.')) return;
    await run(() => api.post(`/api/whatsapp/${enc(id)}/${blocked ? 'unblock' : 'block'}`, { phone }));
    await list.reload();
  };
  return (
    <>
      {blocked && (
        <span class="badge badge-failed" data-testid="peer-blocked">
          Blocked
        </span>
      )}
      <button type="button" class="secondary" disabled={busy} onClick={() => void toggle()}>
        {blocked ? 'Unblock' : 'Block'}
      </button>
      <ErrorBox error={error} />
    </>
  );
}
