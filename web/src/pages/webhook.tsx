import { useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { Check, ErrorBox, Field, Link, Loading, Section } from '../components.js';
import { formatDate } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import type { Deliveries, Delivery, InstanceDetail, InstanceUpdate, WebhookSettings, WebhookTest } from '../types.js';

export function WebhookPage({ id }: { id: string }) {
  const base = `/api/instances/${enc(id)}`;
  const instance = useLoad(() => api.get<InstanceDetail>(base), [base]);
  return (
    <>
      <h1>Webhook</h1>
      <p>
        <Link href={`/instances/${enc(id)}`}>← Back to the instance</Link>
      </p>
      {instance.data ? <Settings base={base} instance={instance.data} onSaved={instance.reload} /> : <Loading error={instance.error} loading={instance.loading} />}
      <Deliveries base={base} />
    </>
  );
}

type HeaderRow = { name: string; value: string };

function Settings({ base, instance, onSaved }: { base: string; instance: InstanceDetail; onSaved: () => Promise<void> }) {
  const [url, setUrl] = useState(instance.webhookUrl ?? '');
  const [enabled, setEnabled] = useState(instance.webhookEnabled);
  const [settings, setSettings] = useState<WebhookSettings>(instance.webhookSettings);
  const [headers, setHeaders] = useState<HeaderRow[]>(Object.entries(instance.webhookSettings.headers ?? {}).map(([name, value]) => ({ name, value })));
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const set = <K extends keyof WebhookSettings>(key: K, value: WebhookSettings[K]) => setSettings({ ...settings, [key]: value });
  const setHeader = (index: number, row: HeaderRow) => setHeaders(headers.map((h, i) => (i === index ? row : h)));

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    // The view names its instance; the update refuses fields it does not take.
    const { instanceId: _instanceId, ...fields } = settings;
    const body: InstanceUpdate = {
      webhookUrl: url.trim() === '' ? null : url.trim(),
      webhookEnabled: enabled,
      webhookSettings: {
        ...fields,
        secret: fields.secret ? fields.secret : null,
        headers: Object.fromEntries(headers.filter((h) => h.name.trim() !== '').map((h) => [h.name.trim(), h.value])),
      },
    };
    if ((await run(() => api.put(base, body))) !== undefined) {
      setSaved(true);
      await onSaved();
    }
  };

  return (
    <Section title="Settings">
      <form onSubmit={submit}>
        <Field label="Webhook URL" name="webhookUrl" type="url" placeholder="https://example.com/webhook" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
        <Check label="Send events to this URL" name="webhookEnabled" checked={enabled} onChange={setEnabled} />
        <fieldset>
          <legend>Events</legend>
          <Check label="Messages received" name="notifyReceived" checked={settings.notifyReceived} onChange={(v) => set('notifyReceived', v)} />
          <Check label="Messages sent" name="notifySent" checked={settings.notifySent} onChange={(v) => set('notifySent', v)} />
          <Check label="Delivered" name="notifyDelivery" checked={settings.notifyDelivery} onChange={(v) => set('notifyDelivery', v)} />
          <Check label="Read" name="notifyRead" checked={settings.notifyRead} onChange={(v) => set('notifyRead', v)} />
        </fieldset>
        <div class="grid-form">
          <Field label="Retries" name="maxRetries" type="number" min={0} max={100} value={String(settings.maxRetries)} onInput={(e) => set('maxRetries', Number(e.currentTarget.value))} />
          <Field
            label="First retry after (ms)"
            name="retryInterval"
            type="number"
            min={100}
            max={86400000}
            value={String(settings.retryInterval)}
            onInput={(e) => set('retryInterval', Number(e.currentTarget.value))}
          />
        </div>
        <Field
          label="Signing secret"
          name="secret"
          type="password"
          autoComplete="off"
          hint="Signs each body as X-Webhook-Signature (hex HMAC-SHA256). Leave empty for unsigned."
          value={settings.secret ?? ''}
          onInput={(e) => set('secret', e.currentTarget.value)}
        />
        <fieldset>
          <legend>Custom headers</legend>
          {headers.map((h, i) => (
            <div class="header-row" key={i}>
              <Field label={`Header ${i + 1} name`} name={`header-name-${i}`} value={h.name} onInput={(e) => setHeader(i, { ...h, name: e.currentTarget.value })} />
              <Field label={`Header ${i + 1} value`} name={`header-value-${i}`} value={h.value} onInput={(e) => setHeader(i, { ...h, value: e.currentTarget.value })} />
              <button type="button" class="secondary" aria-label={`Remove header ${i + 1}`} onClick={() => setHeaders(headers.filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" class="secondary" onClick={() => setHeaders([...headers, { name: '', value: '' }])}>
            Add header
          </button>
        </fieldset>
        <ErrorBox error={error} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            Save webhook
          </button>
          {saved && <span role="status">Saved.</span>}
        </div>
      </form>
    </Section>
  );
}

function Deliveries({ base }: { base: string }) {
  const list = useLoad(() => api.get<Deliveries>(`${base}/webhook/deliveries?limit=50`), [base], 3000);
  const { busy, error, run } = useAction();
  const [note, setNote] = useState<string>();

  const test = async () => {
    setNote(undefined);
    const answer = await run(() => api.post<WebhookTest>(`${base}/webhook/test`));
    if (answer) {
      setNote('Test event queued: it appears below as a webhook_test delivery.');
      await list.reload();
    }
  };
  const retry = async (delivery: Delivery) => {
    setNote(undefined);
    if ((await run(() => api.post(`${base}/webhook/deliveries/${enc(delivery.id)}/retry`))) !== undefined) {
      setNote('Retry queued.');
      await list.reload();
    }
  };

  return (
    <Section
      title="Deliveries"
      actions={
        <button type="button" class="secondary" disabled={busy} onClick={test}>
          Send a test event
        </button>
      }
    >
      {note && !error && <p role="status">{note}</p>}
      <ErrorBox error={error} />
      {list.data ? (
        list.data.deliveries.length === 0 ? (
          <p class="muted">No deliveries yet.</p>
        ) : (
          <table class="table stack">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last result</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.deliveries.map((d) => (
                <tr key={d.id} data-testid="delivery-row">
                  <td data-label="Event">{d.event}</td>
                  <td data-label="Status">
                    <span class={`badge badge-${d.status}`}>{d.status}</span>
                  </td>
                  <td data-label="Attempts">{d.attempts}</td>
                  <td data-label="Last result" class="wrap-anywhere" data-testid="delivery-result">
                    {[d.lastStatusCode && `HTTP ${d.lastStatusCode}`, d.lastError].filter(Boolean).join(' · ') || '—'}
                  </td>
                  <td data-label="Created">{formatDate(d.createdAt)}</td>
                  <td>
                    {(d.status === 'failed' || d.status === 'skipped') && (
                      <button type="button" class="secondary" disabled={busy} onClick={() => retry(d)}>
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : (
        <Loading error={list.error} loading={list.loading} />
      )}
    </Section>
  );
}
