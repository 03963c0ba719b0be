import { useState } from 'preact/hooks';
import { api, ApiError, enc } from '../../api.js';
import { ErrorBox } from '../../components.js';
import { useAction } from '../../hooks.js';
import { navigate } from '../../router.js';

/** A failed simulated scan in words, with what to do, instead of the control API's message. */
function scanError(error: ApiError): ApiError {
  if (error.notAvailable) return new ApiError(error.status, 'This server does not simulate phones (SIMULATOR_ENABLED is off).');
  if (/not running|no running session/i.test(error.message)) return new ApiError(error.status, 'The simulated phone cannot scan: the instance is not running. Press Reconnect, then scan again.');
  if (/already linked to another/i.test(error.message)) return new ApiError(error.status, 'That phone number is already linked to another simulator instance.');
  if (/already linked/i.test(error.message)) return new ApiError(error.status, 'A phone is already linked to this instance.');
  return new ApiError(error.status, `The simulated phone could not scan: ${error.message}`);
}

/**
 * What can be done to the instance. Unlinking the phone and deleting are destructive and ask
 * first; they sit apart from the everyday buttons (and far from the top bar's "Sign out").
 */
export function InstanceActions({ id, engine, ready, onChange }: { id: string; engine: string; ready: boolean; onChange: () => Promise<void> }) {
  const base = `/api/instances/${enc(id)}`;
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string>();
  const act = async (label: string, action: () => Promise<unknown>) => {
    setDone(undefined);
    if ((await run(action)) !== undefined) {
      setDone(label);
      await onChange();
    }
  };
  const scan = () =>
    act('Scanned by the simulated phone.', () =>
      api.post(`/api/simulator/instances/${enc(id)}/scan`).catch((e: unknown) => {
        throw e instanceof ApiError ? scanError(e) : e;
      }),
    );
  const unlink = () => {
    if (!confirm('Unlink the phone from this instance? WhatsApp logs this device out; to use the instance again you must scan a new QR code.')) return;
    void act('Phone unlinked.', () => api.post(`${base}/logout`));
  };
  const remove = async () => {
    if (!confirm('Delete this instance? The phone is unlinked and the instance’s history removed.')) return;
    setDone(undefined);
    if ((await run(() => api.del(base))) !== undefined) navigate('/instances');
  };
  return (
    <>
      <div class="actions wrap">
        {engine === 'simulator' && !ready && (
          <button type="button" disabled={busy} onClick={scan}>
            Simulate scan
          </button>
        )}
        <button type="button" class="secondary" disabled={busy} onClick={() => act('Reconnecting.', () => api.post(`${base}/reconnect`))}>
          Reconnect
        </button>
      </div>
      <div class="actions wrap danger-zone" aria-label="Destructive actions">
        {ready && (
          <button type="button" class="danger" disabled={busy} onClick={unlink}>
            Unlink phone (log out)…
          </button>
        )}
        <button type="button" class="danger" disabled={busy} onClick={remove}>
          Delete instance…
        </button>
      </div>
      {done && !error && (
        <p role="status" class="muted">
          {done}
        </p>
      )}
      <ErrorBox error={error} />
    </>
  );
}
