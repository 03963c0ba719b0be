import { Loading, Section } from '../../components.js';
import { formatDate, formatPhone } from '../../format.js';
import type { Loaded } from '../../hooks.js';
import type { Activity } from '../../types.js';
import { actionText, reasonText } from './reasons.js';

/** The account name WhatsApp gave on the last connection (activity `connected {phone, pushName}`). */
export function accountNameOf(logs: Activity | undefined): string | undefined {
  const name = logs?.logs.find((l) => l.action === 'connected')?.details.pushName;
  return typeof name === 'string' && name ? name : undefined;
}

export function RecentActivity({ logs }: { logs: Loaded<Activity> }) {
  return (
    <Section title="Recent activity">
      {logs.data ? (
        logs.data.logs.length === 0 ? (
          <p class="muted">Nothing yet.</p>
        ) : (
          <ul class="rows small">
            {logs.data.logs.map((l) => {
              const reason = reasonText(l.details.reason, l.details.message);
              const phone = typeof l.details.phone === 'string' ? formatPhone(l.details.phone) : undefined;
              return (
                <li key={l.id} class="row">
                  <span class="grow">
                    {actionText(l.action)}
                    {phone && <span class="muted"> · {phone}</span>}
                    {reason && <span class="muted"> · {reason}</span>}
                  </span>
                  <span class="muted">{formatDate(l.createdAt)}</span>
                </li>
              );
            })}
          </ul>
        )
      ) : (
        <Loading error={logs.error} loading={logs.loading} />
      )}
    </Section>
  );
}
