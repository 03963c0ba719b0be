import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, Field } from '../components.js';
import { useAction } from '../hooks.js';
import type { Me } from '../types.js';

/**
 * Signs in with the cookie session: the token in the answer is dropped on purpose, so no
 * script on the page ever holds a credential (docs/DASHBOARD.md).
 */
export function LoginPage({ onSignedIn }: { onSignedIn: (user: Me) => void }) {
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
        <Field label="Email" name="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
