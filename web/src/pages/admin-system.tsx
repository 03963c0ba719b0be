import { api } from '../api.js';
import { Loading, Section } from '../components.js';
import { useLoad } from '../hooks.js';
import type { DbStatus, SystemStats } from '../types.js';
import { Totals } from './usage.js';

export function AdminSystemPage() {
  const stats = useLoad(() => api.get<SystemStats>('/api/stats/system'), [], 10_000);
  const db = useLoad(() => api.get<DbStatus>('/api/db/status'), []);
  const s = stats.data;
  return (
    <>
      <h1>System</h1>
      <Section title="Totals">
        {s ? (
          <>
            <dl class="stats">
              <div>
                <dt>Instances connected now / total</dt>
                <dd>
                  {s.instances.active} / {s.instances.total}
                </dd>
              </div>
              <div>
                {/* "Active" means an account that may sign in (the Users page); this is something else. */}
                <dt>Users with a connected instance / total</dt>
                <dd>
                  {s.users.active} / {s.users.total}
                </dd>
              </div>
            </dl>
            <Totals usage={s.usage} />
          </>
        ) : (
          <Loading error={stats.error} loading={stats.loading} />
        )}
      </Section>
      <Section title="Database">
        {db.data ? (
          <>
            <dl class="facts">
              <dt>Provider</dt>
              <dd>{db.data.provider}</dd>
              <dt>URL</dt>
              <dd class="wrap-anywhere">{db.data.url}</dd>
              <dt>Health</dt>
              <dd>{db.data.healthy ? 'healthy' : 'not answering'}</dd>
            </dl>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Table</th>
                  <th scope="col">Rows</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(db.data.counts).map(([name, count]) => (
                  <tr key={name}>
                    <td>{name}</td>
                    <td>{count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <Loading error={db.error} loading={db.loading} />
        )}
      </Section>
    </>
  );
}
