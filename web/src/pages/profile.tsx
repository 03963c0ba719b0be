import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, Field, Section } from '../components.js';
import { useAction } from '../hooks.js';
import { useSession } from '../session.js';
import type { ApiKey } from '../types.js';

export function ProfilePage() {
  const { user, setUser } = useSession();
  const [shown, setShown] = useState(false);
  const rotating = useAction();

  const rotate = async () => {
    if (!confirm('Rotate the API key? Programs using the current key stop working at once.')) return;
    const answer = await rotating.run(() => api.post<ApiKey>('/api/auth/api-key/rotate'));
    if (answer) {
      setUser({ ...user, apiKey: answer.apiKey });
      setShown(true);
    }
  };

  return (
    <>
      <h1>Profile</h1>
      <Section title="Account">
        <dl class="facts">
          <dt>Name</dt>
          <dd>
            {user.firstName} {user.lastName}
          </dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Role</dt>
          <dd>{user.role}</dd>
        </dl>
      </Section>
      <Section title="API key">
        <p class="muted small">Send it as the x-api-key header. Treat it like a password.</p>
        <p>
          <code class="wrap-anywhere" data-testid="api-key">
            {shown ? user.apiKey : '•'.repeat(24)}
          </code>
        </p>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => setShown(!shown)} aria-pressed={shown}>
            {shown ? 'Hide' : 'Show'}
          </button>
          <button type="button" class="danger" disabled={rotating.busy} onClick={rotate}>
            Rotate key
          </button>
        </div>
        <ErrorBox error={rotating.error} />
      </Section>
      <ChangePassword />
    </>
  );
}

function ChangePassword() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    setDone(false);
    if (await run(() => api.post('/api/auth/password', { currentPassword, newPassword }))) {
      setCurrent('');
      setNew('');
      setDone(true);
    }
  };
  return (
    <Section title="Change password">
      <form onSubmit={submit}>
        <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required value={currentPassword} onInput={(e) => setCurrent(e.currentTarget.value)} />
        <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required value={newPassword} onInput={(e) => setNew(e.currentTarget.value)} />
        <ErrorBox error={error} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            Change password
          </button>
          {done && <span role="status">Password changed.</span>}
        </div>
      </form>
    </Section>
  );
}
