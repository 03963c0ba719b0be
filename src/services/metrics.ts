import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { InstanceStatus, Store } from '../store/store.js';
import type { EventLog } from './event-log.js';
import type { InstancesService } from './instances.service.js';

interface HttpSeries {
  requests: { inc(): void };
  duration: { observe(seconds: number): void };
}

const INSTANCE_STATUSES: readonly InstanceStatus[] = ['created', 'connecting', 'qr', 'connected', 'disconnected', 'reconnecting', 'logged_out', 'failed'];

/**
 * Prometheus metrics of one app. A registry per app, not prom-client's global one, so several
 * apps in one process (tests) never register the same metric twice. Gauges that describe state
 * (instances by status, webhook deliveries and their queue) are read when scraped, so they are never stale.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status_code'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  /**
   * route → method → status → its bound series: prom-client hashes a label object on every
   * call, which was most of the cost of timing a request. Routes are patterns (unmatched URLs
   * share one) and methods and statuses are few, so this stays small.
   */
  private readonly series = new Map<string, Map<string, Map<number, HttpSeries>>>();

  constructor(store: Store, instances: InstancesService, events: EventLog) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const messages = new Counter({ name: 'whatsapp_messages_total', help: 'Messages stored, by direction', labelNames: ['direction'], registers });
    const limitEvents = new Counter({ name: 'whatsapp_limit_exceeded_total', help: 'limit_exceeded events, by limit', labelNames: ['limit'], registers });
    new Gauge({
      name: 'webhook_deliveries',
      help: 'Webhook deliveries in the store by status: pending (queued or retrying), delivered, failed (out of retries), skipped',
      labelNames: ['status'],
      registers,
      async collect() {
        for (const [status, n] of Object.entries(await store.deliveries.countByStatus())) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'webhook_queue_depth',
      help: 'Webhook deliveries waiting to be sent',
      registers,
      async collect() {
        this.set((await store.deliveries.countByStatus()).pending);
      },
    });
    new Gauge({
      name: 'whatsapp_instances',
      help: 'Instances by connection status',
      labelNames: ['status'],
      registers,
      async collect() {
        const counts = new Map<string, number>(INSTANCE_STATUSES.map((s) => [s, 0]));
        for (const instance of await store.instances.list()) {
          const status = instances.state(instance).status;
          counts.set(status, (counts.get(status) ?? 0) + 1);
        }
        this.reset();
        for (const [status, n] of counts) this.set({ status }, n);
      },
    });
    events.subscribe((event) => {
      if (event.type === 'message_sent') messages.inc({ direction: 'sent' });
      else if (event.type === 'message_received') messages.inc({ direction: 'received' });
      else if (event.type === 'limit_exceeded') limitEvents.inc({ limit: String(event.data.limit ?? 'unknown') });
    });
  }

  observeHttp(method: string, route: string, statusCode: number, seconds: number): void {
    let byMethod = this.series.get(route);
    if (!byMethod) this.series.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(statusCode);
    if (!series) {
      const labels = { method, route, status_code: String(statusCode) };
      byStatus.set(statusCode, (series = { requests: this.httpRequests.labels(labels), duration: this.httpDuration.labels(labels) }));
    }
    series.requests.inc();
    series.duration.observe(seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
