import { useState } from 'preact/hooks';
import { api, enc, query } from '../api.js';
import { Check, ErrorBox, Field, Link, Loading, Pager, Section } from '../components.js';
import { formatDate, formatPhone } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import type { ContactsImported, StoredContacts } from '../types.js';

const PAGE = 50;

export function ContactsPage({ id }: { id: string }) {
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  const [onlyGroups, setOnlyGroups] = useState(false);
  const [skip, setSkip] = useState(0);
  const base = `/api/instances/${enc(id)}/contacts`;
  const contacts = useLoad(
    () => api.get<StoredContacts>(`${base}/db${query({ limit: PAGE, skip, search: applied, onlyGroups: onlyGroups || undefined })}`),
    [base, applied, onlyGroups, skip],
  );
  const importing = useAction();
  const [imported, setImported] = useState<string>();

  const doImport = async () => {
    setImported(undefined);
    const answer = await importing.run(() => api.post<ContactsImported>(`${base}/import`));
    if (answer) {
      setImported(answer.message);
      await contacts.reload();
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    setSkip(0);
    setApplied(search.trim());
  };
  const page = contacts.data?.pagination;

  return (
    <>
      <h1>Contacts</h1>
      <p>
        <Link href={`/instances/${enc(id)}`}>← Back to the instance</Link>
      </p>
      <Section
        title="Saved contacts"
        actions={
          <button type="button" class="secondary" disabled={importing.busy} onClick={doImport}>
            Import from WhatsApp
          </button>
        }
      >
        {imported && <p role="status">{imported}</p>}
        <ErrorBox error={importing.error} />
        <form class="inline-form" role="search" onSubmit={submit}>
          <Field label="Search by name or number" name="search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          <Check label="Groups only" name="onlyGroups" checked={onlyGroups} onChange={(v) => (setSkip(0), setOnlyGroups(v))} />
          <button type="submit">Search</button>
        </form>
        {contacts.data ? (
          <>
            <table class="table stack">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Number</th>
                  <th scope="col">Last activity</th>
                </tr>
              </thead>
              <tbody>
                {contacts.data.contacts.map((c) => (
                  <tr key={c.id}>
                    <td data-label="Name">
                      <Link href={`/instances/${enc(id)}/chat${query({ chat: c.remoteJid })}`}>{c.name || c.pushName || c.number}</Link>
                      {c.isGroup && <span class="badge">group</span>}
                    </td>
                    <td data-label="Number">{c.isGroup ? c.number : formatPhone(c.number)}</td>
                    <td data-label="Last activity">{formatDate(c.lastActivity)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {contacts.data.contacts.length === 0 && <p class="muted">No contacts match.</p>}
            {page && (
              <Pager total={page.total} hasMore={page.hasMore} skip={skip} size={PAGE} onSkip={setSkip} />
            )}
          </>
        ) : (
          <Loading error={contacts.error} loading={contacts.loading} />
        )}
      </Section>
    </>
  );
}
