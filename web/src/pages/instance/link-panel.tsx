import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api.js';
import { ErrorBox, Field, NotAvailable } from '../../components.js';
import { formatPhone } from '../../format.js';
import { useAction } from '../../hooks.js';
import { usePolling } from '../../polling.js';
import type { InstanceDetail, PairingCode as PairingCodeAnswer, QrAnswer } from '../../types.js';
import { reasonText } from './reasons.js';

const QR_POLL_MS = 2000;

/** Statuses in which no QR code is coming until the user asks for a new connection. */
const NEEDS_RECONNECT = new Set(['logged_out', 'failed', 'disconnected']);

/**
 * Linking the phone: who it is linked to, or the QR code and pairing code to link one, or (after
 * an unlink, a failure or QR codes that ran out) the Reconnect that makes a new QR code come.
 */
export function LinkPanel({ instance, accountName, reconnect }: { instance: InstanceDetail; accountName?: string; reconnect: () => Promise<void> }) {
  const base = `/api/instances/${encodeURIComponent(instance.id)}`;
  const state = instance.connectionStatus;
  const status = state?.status ?? instance.status;
  if (state?.ready) {
    return (
      <p data-testid="linked-phone">
        Linked to <strong>{formatPhone(instance.phone)}</strong>
        {accountName ? ` (${accountName})` : ''}. Messages can be sent and received.
      </p>
    );
  }
  const lastClose = state?.lastDisconnect && reasonText(state.lastDisconnect.reason, state.lastDisconnect.message);
  if (NEEDS_RECONNECT.has(status)) {
    return (
      <div data-testid="needs-reconnect">
        <p>
          {status === 'logged_out' ? 'No phone is linked any more.' : 'This instance is not connected.'} Reconnect to get a new QR code and link a phone again.
        </p>
        {lastClose && <p class="muted">Last reason: {lastClose}</p>}
        <ReconnectButton reconnect={reconnect} />
      </div>
    );
  }
  return (
    <>
      {lastClose && <p class="muted">{lastClose}</p>}
      <QrCode base={base} hasQr={state?.hasQr ?? false} />
      <PairingCode base={base} />
    </>
  );
}

function ReconnectButton({ reconnect }: { reconnect: () => Promise<void> }) {
  const { busy, error, run } = useAction();
  return (
    <>
      <button type="button" disabled={busy} onClick={() => run(reconnect)}>
        {busy ? 'Reconnecting…' : 'Reconnect'}
      </button>
      <ErrorBox error={error} />
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
  const [last, setLast] = useState('');

  const load = async (): Promise<boolean> => {
    try {
      const answer = await api.get<QrAnswer>(`${base}/qr`);
      setError(undefined);
      if (!('qrCode' in answer)) setNote(answer.message);
      else if (answer.qrCode !== last) {
        setLast(answer.qrCode);
        setImage(await QRCode.toDataURL(answer.qrCode, { margin: 1, width: 264, errorCorrectionLevel: 'L' }));
      }
      return true;
    } catch (e) {
      // 409: no code is coming now (linked meanwhile, or a reconnect is needed); the instance
      // poll is about to show which, so this panel only stops showing an old code.
      if (e instanceof ApiError && e.status === 409) {
        setImage(undefined);
        setNote('No QR code right now.');
        setError(undefined);
        return true;
      }
      setError(e instanceof ApiError ? e : undefined);
      return false;
    }
  };
  useEffect(() => void load(), [base, hasQr]);
  usePolling(load, QR_POLL_MS, [base, hasQr]);

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
    setCode(undefined);
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
