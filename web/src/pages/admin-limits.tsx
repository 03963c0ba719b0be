import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { ErrorBox, Field, Loading, Section } from '../components.js';
import { useAction, useLoad } from '../hooks.js';
import type { User } from '../types.js';

type Limits = Record<string, number | null>;

export function AdminLimitsPage() {
  const users = useLoad(() => api.get<{ users: User[] }>('/api/users?limit=1000'), []);
  const [userId, setUserId] = useState('');
  return (
    <>
      <h1>Limits</h1>
      <p class="muted">An empty field inherits the level above (a user inherits the defaults); 0 blocks.</p>
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

/** The limit values of an answer: `{limits: {...}}` or the fields themselves, numbers or null. */
function limitsOf(answer: Record<string, unknown>): Limits {
  const source = (answer.limits && typeof answer.limits === 'object' ? answer.limits : answer) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(source).filter(([, v]) => v === null || typeof v === 'number')) as Limits;
}

function LimitsEditor({ title, url }: { title: string; url: string }) {
  const loaded = useLoad(() => api.get<Record<string, unknown>>(url), [url]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (loaded.data) setValues(Object.fromEntries(Object.entries(limitsOf(loaded.data)).map(([k, v]) => [k, v === null ? '' : String(v)])));
  }, [loaded.data]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    const limits = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim() === '' ? null : Number(v)]));
    const body = loaded.data && 'limits' in loaded.data ? { limits } : limits;
    if ((await run(() => api.put(url, body))) !== undefined) {
      setSaved(true);
      await loaded.reload();
    }
  };

  if (!loaded.data) return <Section title={title}><Loading error={loaded.error} loading={loaded.loading} /></Section>;
  return (
    <Section title={title}>
      <form onSubmit={submit}>
        <div class="grid-form">
          {Object.keys(values).map((name) => (
            <Field key={name} label={name} name={`${url}-${name}`} type="number" min={0} value={values[name]} onInput={(e) => setValues({ ...values, [name]: e.currentTarget.value })} />
          ))}
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
