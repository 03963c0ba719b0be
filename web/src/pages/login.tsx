import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { ErrorBox, Field } from '../components.js';
import { useAction } from '../hooks.js';
import type { Me } from '../types.js';

/** The server's reasons for refusing a session, in words that say what to do next. */
function explain(reason: string): string {
  if (/deactivated/i.test(reason)) return 'Your account has been deactivated by an administrator. Ask them to activate it again to sign in.';
  return `Your session ended (${reason}). Sign in again to continue.`;
}

/**
 * Signs in with the cookie session: the token in the answer is dropped on purpose, so no
 * script on the page ever holds a credential (docs/DASHBOARD.md).
 */
export function LoginPage({ onSignedIn, endedBecause }: { onSignedIn: (user: Me) => void; endedBecause?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    const user = await run(async () => {
      await api.post('/api/auth/login', { email, password }, { 'x-session': 'cookie' });
      return api.get<Me>('/api/auth/me');
    });
    if (user) onSignedIn(user);
  };

  return (
    <main class="login">
      <form class="card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in</h1>
        {endedBecause && !error && (
          <p class="notice" role="status">
            {explain(endedBecause)}
          </p>
        )}
        <Field label="Email" name="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        {error && <ErrorBox error={/deactivated/i.test(error.message) ? new ApiError(error.status, explain(error.message)) : error} />}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
