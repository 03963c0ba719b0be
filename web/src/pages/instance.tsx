import { Fragment } from 'preact';
import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, enc } from '../api.js';
import { ErrorBox, Field, formatDate, Link, Loading, NotAvailable, Section, StatusBadge } from '../components.js';
import { useAction, useLoad } from '../hooks.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import type { Activity, InstanceDetail, LimitsView, PairingCode as PairingCodeAnswer, QrAnswer } from '../types.js';
import { limitLabel, LimitsEditor } from './admin-limits.js';

const POLL_MS = 2000;

/** Close reasons as the server names them (docs/SESSIONS.md), in words. */
const REASON_LABELS: Record<string, string> = {
  network: 'Network problem',
  connection_lost: 'Connection lost',
  bad_session: 'Session problem',
  engine_error: 'Internal engine error (see the server log)',
  conflict: 'Another client took over the session',
  logged_out: 'Logged out',
  logout: 'Logged out',
  qr_timeout: 'QR codes ran out',
};

function reasonText(reason: unknown, message: unknown): string | undefined {
  if (typeof reason !== 'string') return undefined;
  const label = REASON_LABELS[reason] ?? reason;
  return typeof message === 'string' && message ? `${label}: ${message}` : label;
}

export function InstancePage({ id }: { id: string }) {
  const base = `/api/instances/${enc(id)}`;
  const instance = useLoad(() => api.get<InstanceDetail>(base), [id], POLL_MS);
  const i = instance.data;
  if (!i) return <Loading error={instance.error} loading={instance.loading} />;
  const status = i.connectionStatus?.status ?? i.status;

  return (
    <>
      <h1>
        {i.name} <StatusBadge status={status} />
      </h1>
      <nav class="tabs" aria-label="Instance">
        <Link href={`/instances/${enc(id)}/chat`}>Chat</Link>
        <Link href={`/instances/${enc(id)}/contacts`}>Contacts</Link>
        <Link href={`/instances/${enc(id)}/webhook`}>Webhook</Link>
        <Link href={`/usage?instance=${enc(id)}`}>Usage</Link>
      </nav>
      <ErrorBox error={instance.error} />
      <div class="columns">
        <Section title="Link a phone">
          {i.connectionStatus?.ready ? (
            <p>
              Linked{i.phone ? ` to ${i.phone}` : ''}. Messages can be sent and received.
            </p>
          ) : (
            <>
              {i.connectionStatus?.lastDisconnect && (
                <p class="muted">
                  {reasonText(i.connectionStatus.lastDisconnect.reason, i.connectionStatus.lastDisconnect.message)}
                </p>
              )}
              <QrCode base={base} hasQr={i.connectionStatus?.hasQr ?? false} />
              <PairingCode base={base} />
            </>
          )}
        </Section>
        <Section title="Details">
          <dl class="facts">
            <dt>ID</dt>
            <dd>
              <code>{i.id}</code>
            </dd>
            <dt>Engine</dt>
            <dd>{i.engine}</dd>
            <dt>Description</dt>
            <dd>{i.description || '—'}</dd>
            <dt>Last activity</dt>
            <dd>{formatDate(i.lastActivity)}</dd>
            <dt>Webhook</dt>
            <dd>{i.webhookUrl ? `${i.webhookEnabled ? 'on' : 'off'} · ${i.webhookUrl}` : 'not set'}</dd>
          </dl>
          <Actions id={id} base={base} engine={i.engine} ready={i.connectionStatus?.ready ?? false} onChange={instance.reload} />
        </Section>
      </div>
      <InstanceLimits base={base} />
      <Activity base={base} />
    </>
  );
}

/**
 * Draws the QR string in the browser (never via a third-party site) and follows its refreshes:
 * WhatsApp rotates the code every ~20 s, so a stale one is useless to the user.
 */
function QrCode({ base, hasQr }: { base: string; hasQr: boolean }) {
  const [image, setImage] = useState<string>();
  const [note, setNote] = useState('Waiting for a QR code…');
  const [error, setError] = useState<ApiError>();

  useEffect(() => {
    let stopped = false;
    let last = '';
    const load = async () => {
      try {
        const answer = await api.get<QrAnswer>(`${base}/qr`);
        if (stopped) return;
        setError(undefined);
        if (!('qrCode' in answer)) setNote(answer.message);
        else if (answer.qrCode !== last) {
          last = answer.qrCode;
          const url = await QRCode.toDataURL(answer.qrCode, { margin: 1, width: 264, errorCorrectionLevel: 'L' });
          if (!stopped) setImage(url);
        }
      } catch (e) {
        if (stopped) return;
        // 409: linked meanwhile; the instance poll is about to show it.
        if (e instanceof ApiError && e.status === 409) {
          setImage(undefined);
          setNote('Linked.');
          setError(undefined);
        } else setError(e instanceof ApiError ? e : undefined);
      }
    };
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [base, hasQr]);

  if (error?.notAvailable) return <NotAvailable what="QR code login" />;
  return (
    <div class="qr">
      {image ? <img src={image} alt="QR code: open WhatsApp on your phone, Linked devices, Link a device, and scan it" width={264} height={264} /> : <p class="muted">{note}</p>}
      <ErrorBox error={error} />
      <p class="small muted">On your phone: WhatsApp → Settings → Linked devices → Link a device.</p>
    </div>
  );
}

function PairingCode({ base }: { base: string }) {
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState<string>();
  const { busy, error, run } = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const answer = await run(() => api.post<PairingCodeAnswer>(`${base}/pairing-code`, { phone }));
    if (answer) setCode(answer.code);
  };
  return (
    <form class="inline-form" onSubmit={submit}>
      <Field label="Or link with a pairing code: phone number" name="pairing-phone" inputMode="tel" placeholder="79001234567" required value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
      <button type="submit" disabled={busy}>
        Get code
      </button>
      {code && (
        <p class="pairing" data-testid="pairing-code">
          Enter <strong>{code}</strong> in WhatsApp → Linked devices → Link with phone number.
        </p>
      )}
      <ErrorBox error={error} />
    </form>
  );
}

function Actions({ id, base, engine, ready, onChange }: { id: string; base: string; engine: string; ready: boolean; onChange: () => Promise<void> }) {
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string>();
  const act = async (label: string, action: () => Promise<unknown>) => {
    setDone(undefined);
    if ((await run(action)) !== undefined) {
      setDone(label);
      await onChange();
    }
  };
  const remove = async () => {
    if (!confirm('Delete this instance? The phone is logged out and its history removed.')) return;
    if ((await run(() => api.del(base))) !== undefined) navigate('/instances');
  };
  return (
    <div class="actions wrap">
      {engine === 'simulator' && !ready && (
        <button type="button" disabled={busy} onClick={() => act('Scanned by the simulated phone', () => api.post(`/api/simulator/instances/${enc(id)}/scan`))}>
          Simulate scan
        </button>
      )}
      <button type="button" class="secondary" disabled={busy} onClick={() => act('Reconnecting', () => api.post(`${base}/reconnect`))}>
        Reconnect
      </button>
      <button type="button" class="secondary" disabled={busy} onClick={() => act('Logged out', () => api.post(`${base}/logout`))}>
        Log out
      </button>
      <button type="button" class="danger" disabled={busy} onClick={remove}>
        Delete
      </button>
      {done && <span role="status" class="muted">{done}</span>}
      <ErrorBox error={error} />
    </div>
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

function Activity({ base }: { base: string }) {
  const logs = useLoad(() => api.get<Activity>(`${base}/activity?limit=10`), [base], 5000);
  return (
    <Section title="Recent activity">
      {logs.data ? (
        logs.data.logs.length === 0 ? (
          <p class="muted">Nothing yet.</p>
        ) : (
          <ul class="rows small">
            {logs.data.logs.map((l) => (
              <li key={l.id} class="row">
                <span class="grow">
                  {l.action}
                  {reasonText(l.details.reason, l.details.message) && <span class="muted"> · {reasonText(l.details.reason, l.details.message)}</span>}
                </span>
                <span class="muted">{formatDate(l.createdAt)}</span>
              </li>
            ))}
          </ul>
        )
      ) : (
        <Loading error={logs.error} loading={logs.loading} />
      )}
    </Section>
  );
}
