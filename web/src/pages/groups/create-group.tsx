import { useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { ErrorBox, Field, Link, Section } from '../../components.js';
import { useAction } from '../../hooks.js';
import type { GroupCreated, NewGroup, ParticipantsAnswer } from '../../types.js';
import { numbersIn } from '../instance/number-check.js';
import { type ActionResults, ParticipantResults, privacyOnly } from './participant-results.js';

/**
 * A new group with its subject, description and first members. WhatsApp answers for each member
 * whether they got in; those who accept invites only can be sent the group's invite link at once.
 */
export function CreateGroup({ id, onCreated }: { id: string; onCreated: () => void }) {
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [members, setMembers] = useState('');
  const [created, setCreated] = useState<GroupCreated>();
  const [invites, setInvites] = useState<ActionResults>();
  const creating = useAction();
  const inviting = useAction();
  const numbers = numbersIn(members);

  const submit = async (event: Event) => {
    event.preventDefault();
    setInvites(undefined);
    const body: NewGroup = { subject: subject.trim(), participants: numbers, ...(description.trim() ? { description: description.trim() } : {}) };
    const answer = await creating.run(() => api.post<GroupCreated>(`/api/whatsapp/${enc(id)}/groups`, body));
    setCreated(answer);
    if (answer) {
      setSubject('');
      setDescription('');
      setMembers('');
      onCreated();
    }
  };

  const invite = async (group: string, jids: string[]) => {
    const answer = await inviting.run(() =>
      api.post<ParticipantsAnswer>(`/api/whatsapp/${enc(id)}/groups/${enc(group)}/participants`, { action: 'add', participants: jids, inviteOnPrivacy: true }),
    );
    if (answer) setInvites({ action: 'add', results: answer.results });
  };

  const waiting = created ? privacyOnly(created.results) : [];
  return (
    <Section title="New group">
      <form onSubmit={submit}>
        <Field label="Subject" name="group-subject" required maxLength={100} value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
        <div class="field">
          <label for="f-group-description">Description (optional)</label>
          <textarea id="f-group-description" name="group-description" rows={2} maxLength={2048} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="f-group-members">Members: phone numbers, one a line or comma separated</label>
          <textarea id="f-group-members" name="group-members" rows={3} required value={members} onInput={(e) => setMembers(e.currentTarget.value)} />
          <small class="muted">
            {numbers.length} {numbers.length === 1 ? 'number' : 'numbers'}
          </small>
        </div>
        <button type="submit" disabled={creating.busy || numbers.length === 0}>
          {creating.busy ? 'Creating…' : 'Create group'}
        </button>
      </form>
      <ErrorBox error={creating.error} />
      {created && (
        <div role="status" data-testid="group-created">
          <p>
            Created <Link href={`/instances/${enc(id)}/groups/${enc(created.group.id)}`}>{created.group.subject}</Link> with {created.group.size}{' '}
            {created.group.size === 1 ? 'member' : 'members'}.
          </p>
          <ParticipantResults action="create" results={created.results} />
          {waiting.length > 0 && !invites && (
            <button type="button" class="secondary" disabled={inviting.busy} onClick={() => invite(created.group.id, waiting)}>
              Send the invite link to those who accept invites only
            </button>
          )}
          <ErrorBox error={inviting.error} />
          {invites && <ParticipantResults {...invites} />}
        </div>
      )}
    </Section>
  );
}
