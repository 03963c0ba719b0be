import type { ComponentChildren, JSX } from 'preact';
import { ApiError } from './api.js';
import { statusText } from './format.js';
import { navigate } from './router.js';

export function Link(props: { href: string; class?: string; children: ComponentChildren; 'aria-current'?: 'page'; 'aria-label'?: string }) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.href);
  };
  return (
    <a href={props.href} class={props.class} onClick={onClick} aria-current={props['aria-current']} aria-label={props['aria-label']}>
      {props.children}
    </a>
  );
}

/** An API error as the user sees it: the server's `error` text and the fields it names. */
export function ErrorBox({ error }: { error: ApiError | undefined }) {
  if (!error) return null;
  if (error.notAvailable) return <NotAvailable />;
  return (
    <div class="error" role="alert">
      <strong>{error.message}</strong>
      {error.details.length > 0 && (
        <ul>
          {error.details.map((d, i) => (
            <li key={i}>{d.field ? `${d.field}: ${d.message}` : d.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function NotAvailable({ what = 'This feature' }: { what?: string }) {
  return (
    <div class="notice" role="status" data-testid="not-available">
      {what} is not available on this server.
    </div>
  );
}

/** What every loaded section shows before and instead of its content. */
export function Loading({ error, loading }: { error?: ApiError; loading: boolean }) {
  if (error) return <ErrorBox error={error} />;
  if (loading) return <p class="muted">Loading…</p>;
  return null;
}

type InputProps = JSX.InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; hint?: string };

/** A labelled input: the label names it for screen readers and for tests. */
export function Field({ label, hint, ...input }: InputProps) {
  const id = `f-${input.name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} {...input} />
      {hint && <small class="muted">{hint}</small>}
    </div>
  );
}

export function Check({ label, name, checked, onChange }: { label: string; name: string; checked: boolean; onChange: (value: boolean) => void }) {
  return (
    <label class="check">
      <input type="checkbox" name={name} checked={checked} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} />
      {label}
    </label>
  );
}

/** A connection status in words with the next step ("Unlinked — Reconnect"); `data-status` keeps the API's value. */
export function StatusBadge({ status }: { status: string }) {
  const { label, next } = statusText(status);
  return (
    <span class={`badge badge-${status.replace(/[^a-z_]/gi, '')}`} data-testid="status" data-status={status}>
      {next ? `${label} — ${next}` : label}
    </span>
  );
}

/** WhatsApp's ticks: one grey for the server, two grey delivered, two blue read. */
export function Ticks({ status }: { status: string }) {
  const label: Record<string, [string, string]> = {
    pending: ['🕓', 'pending'],
    sent: ['✓', 'sent'],
    delivered: ['✓✓', 'delivered'],
    read: ['✓✓', 'read'],
    played: ['✓✓', 'played'],
    failed: ['!', 'failed'],
    error: ['!', 'failed'],
  };
  const [mark, text] = label[status] ?? ['', status];
  return (
    <span class={`ticks ticks-${status}`} title={text} aria-label={text} data-status={status}>
      {mark}
    </span>
  );
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card">
      <header class="card-head">
        <h2>{title}</h2>
        {actions && <div class="actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

/** Previous / next through a paged list; `skip` and `size` as the API's `skip` and `limit`. */
export function Pager({ total, hasMore, skip, size, onSkip }: { total: number; hasMore: boolean; skip: number; size: number; onSkip: (skip: number) => void }) {
  return (
    <div class="pager">
      <button type="button" class="secondary" disabled={skip === 0} onClick={() => onSkip(Math.max(0, skip - size))}>
        Previous
      </button>
      <span class="muted">
        {total === 0 ? 0 : skip + 1}–{Math.min(skip + size, total)} of {total}
      </span>
      <button type="button" class="secondary" disabled={!hasMore} onClick={() => onSkip(skip + size)}>
        Next
      </button>
    </div>
  );
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
