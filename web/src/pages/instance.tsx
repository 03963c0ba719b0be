import { Fragment } from 'preact';
import { api, enc } from '../api.js';
import { ErrorBox, Link, Loading, Section, StatusBadge } from '../components.js';
import { engineName, formatDate, formatPhone } from '../format.js';
import { useLoad } from '../hooks.js';
import { useSession } from '../session.js';
import type { Activity, InstanceDetail, LimitsView } from '../types.js';
import { limitLabel, LimitsEditor } from './admin-limits.js';
import { AccountProfile } from './instance/account-profile.js';
import { InstanceActions } from './instance/actions.js';
import { accountNameOf, RecentActivity } from './instance/activity.js';
import { BlockedAccounts } from './instance/blocklist.js';
import { LinkPanel } from './instance/link-panel.js';
import { NumberCheck } from './instance/number-check.js';

const POLL_MS = 2000;

export function InstancePage({ id }: { id: string }) {
  const base = `/api/instances/${enc(id)}`;
  const instance = useLoad(() => api.get<InstanceDetail>(base), [id], POLL_MS);
  const logs = useLoad(() => api.get<Activity>(`${base}/activity?limit=10`), [base], 5000);
  const i = instance.data;
  if (!i) return <Loading error={instance.error} loading={instance.loading} />;
  const status = i.connectionStatus?.status ?? i.status;
  const ready = i.connectionStatus?.ready ?? false;
  const reconnect = async () => {
    await api.post(`${base}/reconnect`);
    await instance.reload();
  };

  return (
    <>
      <h1>
        {i.name} <StatusBadge status={status} />
      </h1>
      <nav class="tabs" aria-label="Instance">
        <Link href={`/instances/${enc(id)}/chat`}>Chat</Link>
        <Link href={`/instances/${enc(id)}/groups`}>Groups</Link>
        <Link href={`/instances/${enc(id)}/contacts`}>Contacts</Link>
        <Link href={`/instances/${enc(id)}/webhook`}>Webhook</Link>
        <Link href={`/usage?instance=${enc(id)}`}>Usage</Link>
      </nav>
      <ErrorBox error={instance.error} />
      <div class="columns">
        <Section title={ready ? 'Linked phone' : 'Link a phone'}>
          <LinkPanel instance={i} accountName={accountNameOf(logs.data)} reconnect={reconnect} />
        </Section>
        <Section title="Details">
          <dl class="facts">
            <dt>Phone</dt>
            <dd>{ready || i.phone ? formatPhone(i.phone) : 'none linked'}</dd>
            <dt>Engine</dt>
            <dd>{engineName(i.engine)}</dd>
            <dt>Description</dt>
            <dd>{i.description || '—'}</dd>
            <dt>Last activity</dt>
            <dd>{formatDate(i.lastActivity)}</dd>
            <dt>Webhook</dt>
            <dd>{i.webhookUrl ? `${i.webhookEnabled ? 'on' : 'off'} · ${i.webhookUrl}` : 'not set'}</dd>
            <dt>ID</dt>
            <dd>
              <code class="wrap-anywhere">{i.id}</code>
            </dd>
          </dl>
          <InstanceActions id={id} engine={i.engine} ready={ready} onChange={instance.reload} />
        </Section>
      </div>
      {ready && i.phone && (
        <div class="columns">
          <AccountProfile id={id} phone={i.phone} />
          <BlockedAccounts id={id} />
        </div>
      )}
      <NumberCheck id={id} />
      <InstanceLimits base={base} />
      <RecentActivity logs={logs} />
    </>
  );
}

/** Admins set this instance's own limits; its owner sees what applies and where it comes from. */
function InstanceLimits({ base }: { base: string }) {
  const { user } = useSession();
  return user.role === 'admin' ? <LimitsEditor title="Limits of this instance" url={`${base}/limits`} /> : <EffectiveLimits base={base} />;
}

/** Limits that are sizes or counts of things held, not counters reset each window. */
const NOT_WINDOWED = new Set(['maxMediaSize', 'maxInstances']);

function EffectiveLimits({ base }: { base: string }) {
  const limits = useLoad(() => api.get<LimitsView>(`${base}/limits`), [base]);
  return (
    <Section title="Limits">
      {limits.data ? (
        <dl class="facts">
          {Object.entries(limits.data.effective).map(([name, e]) => (
            <Fragment key={name}>
              <dt>{limitLabel(name)}</dt>
              <dd>{e.value === null ? 'unlimited' : `${e.value}${NOT_WINDOWED.has(name) ? '' : ` per ${e.window}`} (set by ${e.source})`}</dd>
            </Fragment>
          ))}
        </dl>
      ) : (
        <Loading error={limits.error} loading={limits.loading} />
      )}
    </Section>
  );
}
