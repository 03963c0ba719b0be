import { useState } from 'preact/hooks';
import { api, enc, query } from '../api.js';
import { BarChart } from '../chart.js';
import { formatBytes, Loading, Section } from '../components.js';
import { useLoad } from '../hooks.js';
import { navigate } from '../router.js';
import type { DailyStat, InstanceList, InstanceStats, Usage, UserStats } from '../types.js';


export function UsagePage() {
  const instanceId = new URLSearchParams(location.search).get('instance') ?? '';
  const [period, setPeriod] = useState('month');
  const stats = useLoad(() => api.get<UserStats>(`/api/stats/user${query({ period })}`), [period]);
  const instances = useLoad(() => api.get<InstanceList>('/api/instances'), []);
  const t = stats.data?.total;

  return (
    <>
      <h1>Usage</h1>
      <div class="field narrow">
        <label for="f-period">Period</label>
        <select id="f-period" value={period} onChange={(e) => setPeriod(e.currentTarget.value)}>
          <option value="week">Last week</option>
          <option value="month">Last month</option>
          <option value="year">Last year</option>
          <option value="all">All time</option>
        </select>
      </div>
      <Section title="All your instances">
        {t && stats.data ? (
          <>
            <Totals usage={t} extra={[['Instances', t.instanceCount]]} />
            {stats.data.instances.length > 0 && (
              <BarChart
                title="Messages per instance"
                series={['Sent', 'Received']}
                bars={stats.data.instances.map((i) => ({ label: i.name, values: [i.messagesSent, i.messagesReceived] }))}
              />
            )}
          </>
        ) : (
          <Loading error={stats.error} loading={stats.loading} />
        )}
      </Section>
      <Section title="One instance, day by day">
        <div class="field narrow">
          <label for="f-instance">Instance</label>
          <select id="f-instance" value={instanceId} onChange={(e) => navigate(`/usage${query({ instance: e.currentTarget.value })}`)}>
            <option value="">Choose…</option>
            {instances.data?.instances.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </div>
        {instanceId && <InstanceUsage key={instanceId} id={instanceId} />}
      </Section>
    </>
  );
}

function InstanceUsage({ id }: { id: string }) {
  const [period, setPeriod] = useState('week');
  const stats = useLoad(() => api.get<InstanceStats>(`/api/stats/instances/${enc(id)}${query({ period })}`), [id, period]);
  const u = stats.data?.usage;
  return (
    <>
      <div class="field narrow">
        <label for="f-instance-period">Instance period</label>
        <select id="f-instance-period" value={period} onChange={(e) => setPeriod(e.currentTarget.value)}>
          <option value="today">Today</option>
          <option value="week">Last week</option>
          <option value="month">Last month</option>
          <option value="all">All time</option>
        </select>
      </div>
      {u ? (
        <>
          <Totals usage={u} />
          <BarChart
            title="Messages per day"
            series={['Sent', 'Received', 'Media sent', 'Media received']}
            bars={everyDay(u.dailyStats, period).map((d) => ({ label: d.date.slice(5, 10), values: [d.messagesSent, d.messagesReceived, d.mediaSent, d.mediaReceived] }))}
          />
        </>
      ) : (
        <Loading error={stats.error} loading={stats.loading} />
      )}
    </>
  );
}

const PERIOD_DAYS: Record<string, number> = { today: 1, week: 7, month: 30 };

/** The server lists only days with traffic; a chart of a period shows its quiet days too. */
function everyDay(stats: DailyStat[], period: string): DailyStat[] {
  const days = PERIOD_DAYS[period];
  if (!days) return stats;
  const byDay = new Map(stats.map((d) => [d.date.slice(0, 10), d]));
  const today = new Date();
  return Array.from({ length: days }, (_, i) => {
    const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1 - i))).toISOString();
    return byDay.get(date.slice(0, 10)) ?? { date, messagesSent: 0, messagesReceived: 0, mediaSent: 0, mediaReceived: 0, totalMediaSize: 0, apiCalls: 0, webhookSent: 0 };
  });
}

export function Totals({ usage, extra = [] }: { usage: Usage; extra?: Array<[string, number]> }) {
  const rows: Array<[string, string | number]> = [
    ['Messages sent', usage.messagesSent],
    ['Messages received', usage.messagesReceived],
    ['Media sent', usage.mediaSent],
    ['Media received', usage.mediaReceived],
    ['Media volume', formatBytes(usage.totalMediaSize)],
    ['API calls', usage.apiCalls],
    ['Webhooks sent', usage.webhookSent],
    ...extra,
  ];
  return (
    <dl class="stats">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
