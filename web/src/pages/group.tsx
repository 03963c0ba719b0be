import { api, enc, query } from '../api.js';
import { ErrorBox, Link, Loading, Section } from '../components.js';
import { formatDate, formatPhone } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import { navigate } from '../router.js';
import type { GroupDetail, InstanceDetail } from '../types.js';
import { settingsInWords } from './groups/group-words.js';
import { InviteLink } from './groups/invite.js';
import { Members, sameNumber } from './groups/members.js';
import { GroupSettings } from './groups/settings.js';

/** Members and settings change by other members' hands too; the stored group follows their events. */
const POLL_MS = 3000;

/** One group: its members and what an admin does with them, its settings, invite link, and leaving it. */
export function GroupPage({ id, groupId }: { id: string; groupId: string }) {
  const url = `/api/whatsapp/${enc(id)}/groups/${enc(groupId)}`;
  const group = useLoad(() => api.get<GroupDetail>(url), [url], POLL_MS);
  const instance = useLoad(() => api.get<InstanceDetail>(`/api/instances/${enc(id)}`), [id]);
  const leaving = useAction();
  const g = group.data;
  const back = (
    <p>
      <Link href={`/instances/${enc(id)}/groups`}>← All groups</Link>
    </p>
  );
  if (!g) {
    return (
      <>
        <h1>Group</h1>
        {back}
        <Loading error={group.error} loading={group.loading} />
      </>
    );
  }

  const leave = async () => {
    if (!confirm(`Leave “${g.subject}”? You stop getting its messages; an admin must add you again.`)) return;
    if (await leaving.run(() => api.post(`${url}/leave`))) navigate(`/instances/${enc(id)}/groups`);
  };

  return (
    <>
      <h1>
        {g.subject}
        {g.isAdmin && <span class="badge badge-admin">You are admin</span>}
      </h1>
      {back}
      <nav class="tabs" aria-label="Group">
        <Link href={`/instances/${enc(id)}/chat${query({ chat: g.id })}`}>Open chat</Link>
      </nav>
      <ErrorBox error={group.error} />
      <div class="columns">
        <Section title="About">
          <dl class="facts">
            <dt>Description</dt>
            <dd class="pre-wrap">{g.description || '—'}</dd>
            <dt>Settings</dt>
            <dd>{settingsInWords(g)}</dd>
            <dt>Created</dt>
            <dd>
              {formatDate(g.createdAt)}
              {g.owner && ` by ${sameNumber(g.owner, instance.data?.phone) ? 'you' : formatPhone(g.owner)}`}
            </dd>
            <dt>ID</dt>
            <dd>
              <code class="wrap-anywhere">{g.id}</code>
            </dd>
          </dl>
        </Section>
        <InviteLink id={id} groupId={g.id} isAdmin={g.isAdmin} />
      </div>
      <Members id={id} group={g} me={instance.data?.phone} onChange={group.reload} />
      <GroupSettings id={id} group={g} onSaved={group.reload} />
      <Section title="Leave the group">
        <div class="danger-zone">
          <button type="button" class="danger" disabled={leaving.busy} onClick={leave}>
            Leave group
          </button>
          <ErrorBox error={leaving.error} />
        </div>
      </Section>
    </>
  );
}
