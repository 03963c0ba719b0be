import { api, enc } from '../../api.js';
import { ErrorBox, Loading, Section } from '../../components.js';
import { formatPhone } from '../../format.js';
import { useAction, useLoad } from '../../hooks.js';
import type { Blocklist } from '../../types.js';

/** A chat's Block button changes the list elsewhere: polled, so it follows. */
const POLL_MS = 5000;

/** The accounts this account blocks, as WhatsApp keeps them (so only while linked), each with Unblock. */
export function BlockedAccounts({ id }: { id: string }) {
  const list = useLoad(() => api.get<Blocklist>(`/api/whatsapp/${enc(id)}/blocklist`), [id], POLL_MS);
  const { busy, error, run } = useAction();
  const unblock = async (phone: string) => {
    await run(() => api.post(`/api/whatsapp/${enc(id)}/unblock`, { phone }));
    await list.reload();
  };
  return (
    <Section title="Blocked accounts">
      {!list.data ? (
        <Loading error={list.error} loading={list.loading} />
      ) : list.data.blocked.length === 0 ? (
        <p class="muted">This account blocks no one.</p>
      ) : (
        <ul class="blocked" data-testid="blocklist">
          {list.data.blocked.map((b) => (
            <li key={b.jid} data-testid="blocked" data-phone={b.phone}>
              <span>{formatPhone(b.phone)}</span>
              <button type="button" class="secondary" disabled={busy} onClick={() => void unblock(b.phone)} aria-label={`Unblock ${formatPhone(b.phone)}`}>
                Unblock
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorBox error={error} />
    </Section>
  );
}
