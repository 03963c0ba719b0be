import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, setUnauthorizedHandler } from './api.js';
import { Link } from './components.js';
import { ReachBanner } from './reach-banner.js';
import { LoginPage } from './pages/login.js';
import { routes } from './routes.js';
import { match, navigate, usePath } from './router.js';
import { SessionContext } from './session.js';
import type { Me } from './types.js';
import './styles.css';

function App() {
  const path = usePath();
  const [user, setUser] = useState<Me | null>();
  // Why the session ended, said on the sign-in page ("User is deactivated"), not swallowed.
  const [endedBecause, setEndedBecause] = useState<string>();
  const signedIn = useRef(false);
  signedIn.current = Boolean(user);

  useEffect(() => {
    setUnauthorizedHandler((reason) => {
      // Only a session that was open "ended"; a first visit without one just signs in.
      if (signedIn.current) setEndedBecause(reason);
      setUser(null);
    });
    api.get<Me>('/api/auth/me').then(setUser, () => setUser(null));
  }, []);

  if (user === undefined) return <p class="muted center">Loading…</p>;
  if (user === null) return <LoginPage onSignedIn={setUser} endedBecause={endedBecause} />;

  const found = routes.find((r) => match(r.path, path) && (!r.admin || user.role === 'admin'));
  const params = found ? match(found.path, path)! : {};
  if (!found) {
    queueMicrotask(() => navigate('/instances'));
    return null;
  }
  const Page = found.page;
  const signOut = async () => {
    await api.post('/api/auth/logout').catch(() => undefined);
    setEndedBecause(undefined);
    setUser(null);
    navigate('/');
  };
  const nav = routes.filter((r) => r.nav && (!r.admin || user.role === 'admin'));

  return (
    <SessionContext.Provider value={{ user, setUser }}>
      <header class="topbar">
        <Link href="/instances" class="brand">
          WhatsApp Gateway
        </Link>
        <nav aria-label="Main">
          {nav.map((r) => (
            <Link key={r.path} href={r.path} aria-current={path.startsWith(r.path) ? 'page' : undefined}>
              {r.nav}
            </Link>
          ))}
        </nav>
        <div class="who">
          <span class="muted">{user.email}</span>
          <button type="button" class="link" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <ReachBanner />
      <main>
        <Page {...params} />
      </main>
    </SessionContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
