import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, Field, Link, Loading, Section, StatusBadge } from '../components.js';
import { engineName, formatDate } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import type { InstanceList, NewInstance, UserList } from '../types.js';

/** Polled every two seconds so a phone linking elsewhere shows up without a reload. */
const POLL_MS = 2000;

export function InstancesPage() {
  const { user } = useSession();
  const admin = user.role === 'admin';
  const list = useLoad(() => api.get<InstanceList>('/api/instances'), [], POLL_MS);
  // An admin sees everyone's instances, so each says whose it is.
  const users = useLoad(() => (admin ? api.get<UserList>('/api/users?limit=1000') : Promise.resolve(undefined)), [admin]);
  const owner = (userId: string) => (userId === user.id ? 'you' : (users.data?.users.find((u) => u.id === userId)?.email ?? 'another user'));
  const instances = list.data?.instances;
  return (
    <>
      <h1>Instances</h1>
      <Section title={admin ? 'All instances' : 'Your instances'}>
        {instances ? (
          instances.length === 0 ? (
            <p class="muted">No instances yet: create one below, then scan its QR code with WhatsApp.</p>
          ) : (
            <>
              <ErrorBox error={list.error} />
              <ul class="rows" aria-label="Instances">
                {instances.map((i) => (
                  <li key={i.id} class="row" data-testid="instance-row">
                    <div class="grow">
                      <Link href={`/instances/${encodeURIComponent(i.id)}`} class="strong">
                        {i.name}
                      </Link>
                      <div class="muted small">
                        {admin && <span data-testid="owner">Owner: {owner(i.userId)} · </span>}
                        {engineName(i.engine)} · created {formatDate(i.createdAt)}
                      </div>
                    </div>
                    <StatusBadge status={i.connectionStatus?.status ?? i.status} />
                  </li>
                ))}
              </ul>
            </>
          )
        ) : (
          <Loading error={list.error} loading={list.loading} />
        )}
      </Section>
      <CreateInstance defaultEngine={list.data?.defaultEngine} />
    </>
  );
}

function CreateInstance({ defaultEngine }: { defaultEngine: string | undefined }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [engine, setEngine] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    const body: Record<string, string> = { name };
    if (description) body.description = description;
    if (engine) body.engine = engine;
    const created = await run(() => api.post<NewInstance>('/api/instances', body));
    if (created) navigate(`/instances/${encodeURIComponent(created.id)}`);
  };

  return (
    <Section title="New instance">
      <form class="grid-form" onSubmit={submit}>
        <Field label="Name" name="name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <Field label="Description" name="description" maxLength={2000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        <div class="field">
          <label for="f-engine">Engine</label>
          <select id="f-engine" name="engine" value={engine} onChange={(e) => setEngine(e.currentTarget.value)}>
            <option value="">{defaultEngine ? `Server default (${engineName(defaultEngine)})` : 'Server default'}</option>
            <option value="baileys">Baileys (real WhatsApp)</option>
            <option value="simulator">Simulator (no phone; for tests)</option>
          </select>
        </div>
        <div class="field end">
          <button type="submit" disabled={busy}>
            Create instance
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
    </Section>
  );
}
