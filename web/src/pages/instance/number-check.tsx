import { useState } from 'preact/hooks';
import { api, ApiError, enc } from '../../api.js';
import { ErrorBox, Section } from '../../components.js';
import { useAction } from '../../hooks.js';
import type { NumberChecks } from '../../types.js';

/** As many numbers as the API checks in one request. */
const MAX_NUMBERS = 100;

/** Numbers as pasted: one a line or separated by commas (or semicolons), blanks dropped. */
export const numbersIn = (text: string) =>
  text
    .split(/[\n,;]+/)
    .map((n) => n.trim())
    .filter(Boolean);

/**
 * Which of a pasted list of numbers are on WhatsApp, and the JID to send each. The linked phone
 * asks WhatsApp, so the instance must be connected; the API's answer (409 otherwise, 400 naming
 * a bad number) shows as it came.
 */
export function NumberCheck({ id }: { id: string }) {
  const [text, setText] = useState('');
  const [results, setResults] = useState<NumberChecks['results']>();
  const { busy, error, run } = useAction();
  const [tooMany, setTooMany] = useState<ApiError>();
  const numbers = numbersIn(text);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (numbers.length > MAX_NUMBERS) {
      setTooMany(new ApiError(400, `At most ${MAX_NUMBERS} numbers at once: ${numbers.length} were given`, [{ field: 'phones', message: `must have at most ${MAX_NUMBERS} items` }]));
      return;
    }
    setTooMany(undefined);
    const answer = await run(() => api.post<NumberChecks>(`/api/whatsapp/${enc(id)}/check-numbers`, { phones: numbers }));
    setResults(answer?.results);
  };

  return (
    <Section title="Check numbers on WhatsApp">
      <form onSubmit={submit}>
        <div class="field">
          <label for="f-numbers">Phone numbers (one a line or comma separated, up to {MAX_NUMBERS})</label>
          <textarea id="f-numbers" name="numbers" rows={4} required value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <small class="muted">
            {numbers.length} {numbers.length === 1 ? 'number' : 'numbers'}
          </small>
        </div>
        <button type="submit" disabled={busy || numbers.length === 0}>
          {busy ? 'Checking…' : 'Check numbers'}
        </button>
      </form>
      <ErrorBox error={tooMany ?? error} />
      {results && (
        <table class="table stack" data-testid="number-checks">
          <thead>
            <tr>
              <th>Phone</th>
              <th>On WhatsApp</th>
              <th>JID</th>
              <th>LID</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r, i) => (
              <tr key={i} data-testid="number-check" data-exists={String(r.exists)}>
                <td data-label="Phone">{r.phone}</td>
                <td data-label="On WhatsApp">{r.exists ? '✓ yes' : '✗ no'}</td>
                <td data-label="JID">
                  <code class="wrap-anywhere">{r.jid}</code>
                </td>
                <td data-label="LID">{r.lid ? <code class="wrap-anywhere">{r.lid}</code> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
