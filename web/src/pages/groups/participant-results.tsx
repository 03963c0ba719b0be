import { formatPhone } from '../../format.js';
import type { ParticipantAction, ParticipantResult } from '../../types.js';

/** What each participant's `status` means, in words; `ok` is said by the action that was done. */
const STATUS_WORDS: Record<ParticipantResult['status'], string> = {
  ok: '✓ Done',
  not_on_whatsapp: '✗ Not on WhatsApp',
  privacy: '✗ Accepts group invites only',
  not_in_group: '✗ Not in the group',
  already_in_group: '✗ Already in the group',
  error: '✗ WhatsApp refused',
};

const DONE: Record<ParticipantAction | 'create', string> = {
  create: '✓ Added',
  add: '✓ Added',
  remove: '✓ Removed',
  promote: '✓ Made admin',
  demote: '✓ No longer admin',
};

const ACTION_TITLE: Record<ParticipantAction | 'create', string> = {
  create: 'Members of the new group',
  add: 'Adding members',
  remove: 'Removing members',
  promote: 'Making admins',
  demote: 'Dismissing admins',
};

export interface ActionResults {
  action: ParticipantAction | 'create';
  results: ParticipantResult[];
}

/**
 * The answer for each participant of a create or a members action, as it came: who got in,
 * who is not on WhatsApp, who accepts invites only (and whether the invite link was sent).
 */
export function ParticipantResults({ action, results }: ActionResults) {
  return (
    <div class="results" data-testid="participant-results" data-action={action}>
      <h3 class="small">{ACTION_TITLE[action]}</h3>
      <table class="table stack">
        <thead>
          <tr>
            <th>Phone</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r) => (
            <tr key={r.jid} data-testid="participant-result" data-status={r.status} data-phone={r.phone}>
              <td data-label="Phone">{formatPhone(r.jid)}</td>
              <td data-label="Result">
                {r.status === 'ok' ? DONE[action] : STATUS_WORDS[r.status]}
                {r.invited && ' '}
                {r.invited && (
                  <span class="badge badge-success invited" data-testid="invited">
                    invite sent
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The numbers of a result that accept invites only and were not sent one yet. */
export const privacyOnly = (results: ParticipantResult[]) => results.filter((r) => r.status === 'privacy' && !r.invited).map((r) => r.jid);
