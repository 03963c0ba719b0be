import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { ErrorBox, Field, Loading, Section } from '../components.js';
import { useAction, useLoad } from '../hooks.js';
import type { LimitName, LimitsView, UserList } from '../types.js';

const LIMIT_LABELS: Record<LimitName, string> = {
  maxMessagesSent: 'Messages sent per window',
  maxMessagesReceived: 'Messages received per window',
  maxMediaSent: 'Media sent per window',
  maxApiCalls: 'API calls per window',
  maxWebhookCalls: 'Webhook calls per window',
  maxMediaSize: 'Largest media item (bytes)',
  maxInstances: 'Instances per user',
};

/** A limit's label; a limit newer than this dashboard shows under its own name. */
export function limitLabel(name: string): string {
  return LIMIT_LABELS[name as LimitName] ?? name;
}

export function AdminLimitsPage() {
  const users = useLoad(() => api.get<UserList>('/api/users?limit=1000'), []);
  const [userId, setUserId] = useState('');
  return (
    <>
      <h1>Limits</h1>
      <p class="muted">An empty field inherits from the level above (a user inherits the defaults); nothing set anywhere means unlimited.</p>
      <LimitsEditor title="Default limits" url="/api/limits/default" />
      <Section title="Per user">
        <div class="field narrow">
          <label for="f-limits-user">User</label>
          <select id="f-limits-user" value={userId} onChange={(e) => setUserId(e.currentTarget.value)}>
            <option value="">Choose…</option>
            {users.data?.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.email}
              </option>
            ))}
          </select>
        </div>
        <Loading error={users.error} loading={false} />
      </Section>
      {userId && <LimitsEditor key={userId} title="Limits of the chosen user" url={`/api/users/${enc(userId)}/limits`} />}
    </>
  );
}

export function LimitsEditor({ title, url }: { title: string; url: string }) {
  const loaded = useLoad(() => api.get<LimitsView>(url), [url]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [limitWindow, setLimitWindow] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  useEffect(() => {
    const view = loaded.data;
    if (!view) return;
    // The instance count is a user's limit; an instance level cannot set it.
    const names = (Object.keys(view.effective) as LimitName[]).filter((name) => !(view.scope === 'instance' && name === 'maxInstances'));
    setValues(Object.fromEntries(names.map((name) => [name, view.limits[name] === undefined ? '' : String(view.limits[name])])));
    setLimitWindow(view.scope === 'default' || Object.keys(view.limits).length > 0 ? view.window : '');
  }, [loaded.data]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    const body: Record<string, number | string | null> = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim() === '' ? null : Number(v)]));
    body.window = limitWindow || null;
    if ((await run(() => api.put(url, body))) !== undefined) {
      setSaved(true);
      await loaded.reload();
    }
  };

  const view = loaded.data;
  if (!view)
    return (
      <Section title={title}>
        <Loading error={loaded.error} loading={loaded.loading} />
      </Section>
    );
  return (
    <Section title={title}>
      <form onSubmit={submit}>
        <div class="grid-form">
          {Object.entries(view.effective)
            .filter(([name]) => name in values)
            .map(([name, effective]) => (
              <Field
                key={name}
                label={limitLabel(name)}
                name={`${view.scope}-${name}`}
                type="number"
                min={0}
                placeholder={effective.value === null ? 'unlimited' : `${effective.value} (from ${effective.source})`}
                value={values[name] ?? ''}
                onInput={(e) => setValues({ ...values, [name]: e.currentTarget.value })}
              />
            ))}
          <div class="field">
            <label for={`f-${view.scope}-window`}>Counting window</label>
            <select id={`f-${view.scope}-window`} value={limitWindow} onChange={(e) => setLimitWindow(e.currentTarget.value)}>
              <option value="">{view.scope === 'default' ? 'Day (default)' : 'Inherit'}</option>
              <option value="day">UTC day</option>
              <option value="week">ISO week</option>
              <option value="month">Calendar month</option>
            </select>
          </div>
        </div>
        <ErrorBox error={error} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            Save limits
          </button>
          {saved && <span role="status">Saved.</span>}
        </div>
      </form>
    </Section>
  );
}
