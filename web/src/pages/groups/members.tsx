import { useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { Check, ErrorBox, Section } from '../../components.js';
import { formatPhone } from '../../format.js';
import { useAction } from '../../hooks.js';
import type { GroupDetail, Participant, ParticipantAction, ParticipantsAnswer } from '../../types.js';
import { numbersIn } from '../instance/number-check.js';
import { type ActionResults, ParticipantResults } from './participant-results.js';

const RANK: Record<NonNullable<Participant['admin']>, string> = { admin: 'Admin', superadmin: 'Super admin' };

/** A member as people know them: the number, else the LID WhatsApp gave instead. */
const memberName = (p: Participant) => (p.phone ? formatPhone(p.phone) : (p.lid ?? p.jid));

const digitsOf = (jid: string | null | undefined) => (jid ?? '').split('@')[0].split(':')[0].replace(/\D/g, '');
/** Whether a JID and a number (or two JIDs, a device's included) are the same account. */
export const sameNumber = (a: string | null | undefined, b: string | null | undefined) => digitsOf(a) !== '' && digitsOf(a) === digitsOf(b);

/**
 * The members with their admin rank; an admin adds, removes, promotes and demotes them. Every
 * action shows WhatsApp's answer for each member it concerned.
 */
export function Members({ id, group, me, onChange }: { id: string; group: GroupDetail; me: string | null | undefined; onChange: () => Promise<void> }) {
  const [last, setLast] = useState<ActionResults>();
  const { busy, error, run } = useAction();
  const url = `/api/whatsapp/${enc(id)}/groups/${enc(group.id)}/participants`;
  const isMe = (p: Participant) => sameNumber(me, p.phone ?? p.jid);

  const act = async (action: ParticipantAction, participants: string[], inviteOnPrivacy = false): Promise<boolean> => {
    setLast(undefined);
    const answer = await run(() => api.post<ParticipantsAnswer>(url, { action, participants, ...(inviteOnPrivacy ? { inviteOnPrivacy } : {}) }));
    if (!answer) return false;
    setLast({ action, results: answer.results });
    await onChange();
    return true;
  };
  const remove = (p: Participant) => {
    if (confirm(`Remove ${memberName(p)} from “${group.subject}”?`)) void act('remove', [p.jid]);
  };

  return (
    <Section title={`Members (${group.participants.length})`}>
      <ul class="rows" data-testid="members">
        {group.participants.map((p) => (
          <li key={p.jid} class="row member" data-testid="member" data-jid={p.jid} data-admin={p.admin ?? 'member'}>
            <span class="grow wrap-anywhere">
              {memberName(p)} {isMe(p) && <span class="muted">(you)</span>}
              {p.admin && (
                <span class="badge badge-admin" data-testid="admin-badge">
                  {RANK[p.admin]}
                </span>
              )}
            </span>
            {group.isAdmin && !isMe(p) && (
              <span class="actions">
                {p.admin === null && (
                  <button type="button" class="secondary" disabled={busy} onClick={() => void act('promote', [p.jid])} aria-label={`Make ${memberName(p)} admin`}>
                    Make admin
                  </button>
                )}
                {p.admin === 'admin' && (
                  <button type="button" class="secondary" disabled={busy} onClick={() => void act('demote', [p.jid])} aria-label={`Dismiss ${memberName(p)} as admin`}>
                    Dismiss as admin
                  </button>
                )}
                <button type="button" class="danger" disabled={busy} onClick={() => remove(p)} aria-label={`Remove ${memberName(p)}`}>
                  Remove
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      <ErrorBox error={error} />
      {last && <ParticipantResults {...last} />}
      {group.isAdmin ? <AddMembers busy={busy} onAdd={(numbers, invite) => act('add', numbers, invite)} /> : <p class="muted small">Only admins change the members.</p>}
    </Section>
  );
}

function AddMembers({ busy, onAdd }: { busy: boolean; onAdd: (numbers: string[], inviteOnPrivacy: boolean) => Promise<boolean> }) {
  const [text, setText] = useState('');
  const [invite, setInvite] = useState(false);
  const numbers = numbersIn(text);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await onAdd(numbers, invite)) setText('');
  };
  return (
    <form class="add-members" onSubmit={submit}>
      <div class="field">
        <label for="f-add-members">Add members: phone numbers, one a line or comma separated</label>
        <textarea id="f-add-members" name="add-members" rows={2} required value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <Check label="Send the invite link to those who accept invites only" name="inviteOnPrivacy" checked={invite} onChange={setInvite} />
      <button type="submit" disabled={busy || numbers.length === 0}>
        Add
      </button>
    </form>
  );
}
