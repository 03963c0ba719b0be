import { Fragment } from 'preact';
import { api } from '../api.js';
import { Loading, Section } from '../components.js';
import { useLoad } from '../hooks.js';
import type { Usage } from '../types.js';
import { Totals } from './usage.js';

type SystemStats = { instances: { total: number; active: number }; users: { total: number; active: number }; usage: Usage };

export function AdminSystemPage() {
  const stats = useLoad(() => api.get<SystemStats>('/api/stats/system'), [], 10_000);
  const db = useLoad(() => api.get<Record<string, unknown>>('/api/db/status'), []);
  const s = stats.data;
  return (
    <>
      <h1>System</h1>
      <Section title="Totals">
        {s ? (
          <>
            <dl class="stats">
              <div>
                <dt>Instances (active / total)</dt>
                <dd>
                  {s.instances.active} / {s.instances.total}
                </dd>
              </div>
              <div>
                <dt>Users (active / total)</dt>
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
          <dl class="facts">
            {Object.entries(db.data).map(([key, value]) => (
              <Fragment key={key}>
                <dt>{key}</dt>
                <dd class="wrap-anywhere">
                  {typeof value === 'object' ? JSON.stringify(value) : String(value)}
                </dd>
              </Fragment>
            ))}
          </dl>
        ) : (
          <Loading error={db.error} loading={db.loading} />
        )}
      </Section>
    </>
  );
}
