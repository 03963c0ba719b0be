import { useState } from 'preact/hooks';
import { api, enc, query } from '../api.js';
import { ErrorBox, Field, Link, Loading, Pager, Section } from '../components.js';
import { useAction, useLoad } from '../hooks.js';
import type { GroupList, GroupSummary } from '../types.js';
import { CreateGroup } from './groups/create-group.js';
import { settingsInWords } from './groups/group-words.js';
import { JoinGroup } from './groups/join-group.js';

const PAGE = 50;
/** The stored list follows group events; a few seconds behind is soon enough. */
const POLL_MS = 5000;

/** An instance's groups: find one by subject, read the list from WhatsApp again, create or join one. */
export function GroupsPage({ id }: { id: string }) {
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  const [skip, setSkip] = useState(0);
  const url = (refresh?: boolean) => `/api/whatsapp/${enc(id)}/groups${query({ limit: PAGE, skip, search: applied, refresh })}`;
  const groups = useLoad(() => api.get<GroupList>(url()), [id, applied, skip], POLL_MS);
  const refreshing = useAction();

  const refresh = async () => {
    if (await refreshing.run(() => api.get<GroupList>(url(true)))) await groups.reload();
  };
  const submit = (event: Event) => {
    event.preventDefault();
    setSkip(0);
    setApplied(search.trim());
  };
  const page = groups.data?.pagination;

  return (
    <>
      <h1>Groups</h1>
      <p>
        <Link href={`/instances/${enc(id)}`}>← Back to the instance</Link>
      </p>
      <Section
        title="Groups of this account"
        actions={
          <button type="button" class="secondary" disabled={refreshing.busy} onClick={refresh}>
            {refreshing.busy ? 'Reading from WhatsApp…' : 'Read again from WhatsApp'}
          </button>
        }
      >
        <ErrorBox error={refreshing.error} />
        <form class="inline-form" role="search" onSubmit={submit}>
          <Field label="Search by subject" name="search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          <button type="submit">Search</button>
        </form>
        {groups.data && page ? (
          <>
            <GroupTable id={id} groups={groups.data.groups} searched={applied !== ''} />
            {page.total > PAGE && <Pager total={page.total} hasMore={page.hasMore} skip={skip} size={PAGE} onSkip={setSkip} />}
          </>
        ) : (
          <Loading error={groups.error} loading={groups.loading} />
        )}
      </Section>
      <div class="columns">
        <CreateGroup id={id} onCreated={() => void groups.reload()} />
        <JoinGroup id={id} />
      </div>
    </>
  );
}

function GroupTable({ id, groups, searched }: { id: string; groups: GroupSummary[]; searched: boolean }) {
  if (groups.length === 0) {
    return <p class="muted">{searched ? 'No group matches.' : 'No groups yet. Create one below, join one by invite, or read the list again from WhatsApp.'}</p>;
  }
  return (
    <table class="table stack" data-testid="groups">
      <thead>
        <tr>
          <th>Subject</th>
          <th>Members</th>
          <th>You</th>
          <th>Settings</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={g.id} data-testid="group-row" data-group-id={g.id}>
            <td data-label="Subject">
              <Link href={`/instances/${enc(id)}/groups/${enc(g.id)}`}>{g.subject}</Link>
            </td>
            <td data-label="Members">{g.size}</td>
            <td data-label="You">{g.isAdmin ? 'admin' : 'member'}</td>
            <td data-label="Settings">{settingsInWords(g)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
