import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, linkInstance, receiveMessage } from '../support/app.js';
import { contrastOf, shot, sidewaysOverflow, signedInPage, SIZES, type SizeName, useDashboard } from './browser.js';

/*
 * The groups page (issue 19) on the simulator, at both sizes. Alice's instance is the one on
 * screen; Bob is a second simulator instance in the same network, so what a member's device got
 * is read from his own history. The other members are virtual numbers: PRIVATE (…7777) accepts
 * invites only, NOBODY (…0000) is not on WhatsApp.
 */

const dashboard = useDashboard();

type Row = Record<string, any>;
/** The group page polls every 3 s, the list every 5 s. */
const NEXT_POLL = { timeout: 10_000 };
const jidOf = (phone: string) => `${phone}@s.whatsapp.net`;
/** A real 1×1 PNG, picked as the group's picture. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const member = (page: Page, jid: string) => page.locator(`[data-testid="member"][data-jid="${jid}"]`);
const resultsOf = (page: Page, action: string) => page.locator(`[data-testid="participant-results"][data-action="${action}"]`);
/** Each participant's result as shown: phone as given → [status, words]. */
const results = (page: Page, action: string) =>
  resultsOf(page, action)
    .getByTestId('participant-result')
    .evaluateAll((rows) => Object.fromEntries(rows.map((tr) => [tr.getAttribute('data-phone'), [tr.getAttribute('data-status'), tr.querySelector('td[data-label="Result"]')?.textContent]])));
const bubbleWith = (page: Page, text: string) => page.getByTestId('message').filter({ hasText: text });

for (const size of Object.keys(SIZES) as SizeName[]) {
  describe(`the groups page at ${size} size`, () => {
    const n = size === 'desktop' ? '1' : '2';
    const [ALICE, BOB, CAROL, DAVE, PRIVATE, NOBODY] = ['001', '002', '003', '004', '7777', '0000'].map((tail) => `790011${n}${tail.padStart(4, '0')}`);
    let page: Awaited<ReturnType<typeof signedInPage>>;
    let alice: { id: string; jid: string };
    let bob: { id: string; jid: string };
    const as = () => ({ as: dashboard.server.admin });
    const request = async (method: string, path: string, body?: Row, instanceId = alice.id): Promise<Row> => {
      const res = await dashboard.server.request(method, `/api/whatsapp/${instanceId}/${path}`, { ...as(), body });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      return res.body;
    };
    const historyOf = async (instanceId: string, chat: string): Promise<Row[]> =>
      (await dashboard.server.request('GET', `/api/instances/${instanceId}/chats/${encodeURIComponent(chat)}/messages?limit=100`, as())).body.messages;
    const groupUrl = (groupId: string) => `${dashboard.base}/instances/${encodeURIComponent(alice.id)}/groups/${encodeURIComponent(groupId)}`;

    beforeAll(async () => {
      alice = await linkInstance(dashboard.server, dashboard.server.admin, { phone: ALICE, pushName: 'Alice Desk' });
      bob = await linkInstance(dashboard.server, dashboard.server.admin, { phone: BOB, pushName: 'Bob' });
      page = await signedInPage(dashboard, { size });
    });

    afterAll(async () => {
      await page?.context().close();
    });

    it('creates a group with a result per member, invites the one who accepts invites only, adds a member and talks in it', async () => {
      await page.goto(`${dashboard.base}/instances/${encodeURIComponent(alice.id)}`);
      await page.getByRole('navigation', { name: 'Instance' }).getByRole('link', { name: 'Groups' }).click();
      await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
      await page.getByText('No groups yet').waitFor();

      await page.getByLabel('Subject', { exact: true }).fill('Night shift');
      await page.getByLabel('Description (optional)').fill('Who is on call tonight');
      await page.getByLabel(/^Members/).fill(`${BOB}\n+${CAROL}, ${PRIVATE}\n${NOBODY}`);
      await page.getByRole('button', { name: 'Create group' }).click();
      await page.getByTestId('group-created').waitFor();
      expect(await results(page, 'create')).toEqual({
        [BOB]: ['ok', '✓ Added'],
        [`+${CAROL}`]: ['ok', '✓ Added'],
        [PRIVATE]: ['privacy', '✗ Accepts group invites only'],
        [NOBODY]: ['not_on_whatsapp', '✗ Not on WhatsApp'],
      });

      // The one who accepts invites only is sent the group's link as a message instead.
      await page.getByRole('button', { name: 'Send the invite link to those who accept invites only' }).click();
      await resultsOf(page, 'add').getByTestId('invited').waitFor();
      expect(await results(page, 'add')).toEqual({ [jidOf(PRIVATE)]: ['privacy', '✗ Accepts group invites only invite sent'] });
      const invitation = await eventually(async () => (await historyOf(alice.id, jidOf(PRIVATE))).find((m) => m.fromMe), 5000, 'the invite message');
      expect(invitation.content).toMatch(/https:\/\/chat\.whatsapp\.com\/\S+/);

      await page.locator('[data-testid="group-row"]').filter({ hasText: 'Night shift' }).waitFor(NEXT_POLL);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, `groups-${size}`, { doc: true });

      // The list searches by subject.
      await request('POST', 'groups', { subject: 'Day shift', participants: [CAROL] });
      await page.getByLabel('Search by subject').fill('night');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect.poll(() => page.getByTestId('group-row').allTextContents(), NEXT_POLL).toEqual([expect.stringContaining('Night shift')]);
      await page.getByLabel('Search by subject').fill('evening');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByText('No group matches.').waitFor();

      await page.getByTestId('group-created').getByRole('link', { name: 'Night shift' }).click();
      await page.getByRole('heading', { name: 'Night shift', level: 1 }).waitFor();
      const groupId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
      expect(groupId).toMatch(/@g\.us$/);
      expect(await member(page, alice.jid).getByTestId('admin-badge').textContent()).toBe('Super admin');
      expect(await member(page, alice.jid).textContent()).toContain('(you)');
      expect(await member(page, bob.jid).getAttribute('data-admin')).toBe('member');
      expect(await page.getByText(/by you$/).count()).toBe(1);
      expect(await page.getByTestId('member').count()).toBe(3);

      await page.getByLabel(/^Add members/).fill(DAVE);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await resultsOf(page, 'add').waitFor();
      expect(await results(page, 'add')).toEqual({ [DAVE]: ['ok', '✓ Added'] });
      await member(page, jidOf(DAVE)).waitFor();
      expect(await page.getByTestId('member').count()).toBe(4);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, `group-${size}`, { doc: true });

      await page.getByRole('link', { name: 'Open chat' }).click();
      // No message yet, so not in the chat list: the group's subject names the chat.
      await page.getByRole('heading', { name: 'Night shift', level: 2 }).waitFor();
      expect(await page.getByTestId('announce-notice').count()).toBe(0);
      await page.getByRole('textbox', { name: /^Message/ }).fill('Hello team, who takes tonight?');
      await page.getByRole('textbox', { name: /^Message/ }).press('Enter');
      await bubbleWith(page, 'Hello team, who takes tonight?').waitFor();
      const atBob = await eventually(async () => (await historyOf(bob.id, groupId)).find((m) => m.content === 'Hello team, who takes tonight?'), 5000, 'the message at Bob');
      expect(atBob).toMatchObject({ fromMe: false, remoteJid: groupId, author: alice.jid });
      // The chat list marks the group as one, named by its subject.
      const row = page.locator(`[data-testid="chat-row"][data-chat-id="${groupId}"]`);
      if (size === 'phone') await page.getByRole('link', { name: '← All conversations' }).click();
      await row.waitFor(NEXT_POLL);
      expect(await row.getAttribute('data-group')).toBe('true');
      expect(await row.getByTestId('group-mark').count()).toBe(1);
      expect(await row.locator('.chat-name').textContent()).toContain('Night shift');
    });

    it('promotes, demotes and removes members, revokes the invite link, changes settings, shows members’ messages by author and joins by link', async () => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: dashboard.base });
      const { group } = await request('POST', 'groups', { subject: 'Escalations', participants: [bob.jid, CAROL, DAVE] });
      await page.goto(groupUrl(group.id));
      await page.getByRole('heading', { name: 'Escalations', level: 1 }).waitFor();

      await member(page, jidOf(CAROL)).getByRole('button', { name: /^Make .* admin$/ }).click();
      await resultsOf(page, 'promote').waitFor();
      expect(await results(page, 'promote')).toEqual({ [jidOf(CAROL)]: ['ok', '✓ Made admin'] });
      await expect.poll(() => member(page, jidOf(CAROL)).getAttribute('data-admin')).toBe('admin');
      expect(await member(page, jidOf(CAROL)).getByTestId('admin-badge').textContent()).toBe('Admin');
      expect(await contrastOf(member(page, jidOf(CAROL)).getByTestId('admin-badge'))).toBeGreaterThanOrEqual(4.5);

      await member(page, jidOf(CAROL)).getByRole('button', { name: /^Dismiss .* as admin$/ }).click();
      await resultsOf(page, 'demote').waitFor();
      expect(await results(page, 'demote')).toEqual({ [jidOf(CAROL)]: ['ok', '✓ No longer admin'] });
      await expect.poll(() => member(page, jidOf(CAROL)).getAttribute('data-admin')).toBe('member');

      await member(page, bob.jid).getByRole('button', { name: /^Remove / }).click();
      await resultsOf(page, 'remove').waitFor();
      expect(page.dialogs.at(-1)).toContain(`Remove +7 900 11${n} 0002`);
      expect(await results(page, 'remove')).toEqual({ [bob.jid]: ['ok', '✓ Removed'] });
      await expect.poll(() => member(page, bob.jid).count()).toBe(0);
      await eventually(async () => !(await request('GET', 'groups', undefined, bob.id)).groups.some((g: Row) => g.id === group.id), 5000, 'Bob out of the group');

      // The invite link: shown, copied, revoked; the old code leads nowhere, the new one to the group.
      await page.getByRole('button', { name: 'Show invite link' }).click();
      const old = await page.getByLabel('Anyone with this link can join').inputValue();
      expect(old).toMatch(/^https:\/\/chat\.whatsapp\.com\/\S+$/);
      await page.getByRole('button', { name: 'Copy link' }).click();
      await page.getByText('Link copied.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(old);
      await page.getByRole('button', { name: 'Revoke link' }).click();
      await page.getByText('The old link no longer works').waitFor();
      const fresh = await page.getByLabel('Anyone with this link can join').inputValue();
      expect(fresh).not.toBe(old);
      const codeOf = (link: string) => link.split('/').pop()!;
      expect((await dashboard.server.request('GET', `/api/whatsapp/${alice.id}/groups/invite/${codeOf(old)}`, as())).status).toBe(404);
      expect((await request('GET', `groups/invite/${codeOf(fresh)}`)).subject).toBe('Escalations');

      // Members write: each message names its author, by the name they gave WhatsApp and their number.
      await receiveMessage(dashboard.server, dashboard.server.admin, alice.id, { from: CAROL, group: group.id, text: 'I take the first call', pushName: 'Carol Night' });
      await receiveMessage(dashboard.server, dashboard.server.admin, alice.id, { from: DAVE, group: group.id, text: 'I back you up' });
      await page.getByRole('link', { name: 'Open chat' }).click();
      const carols = bubbleWith(page, 'I take the first call').getByTestId('author');
      await carols.waitFor();
      expect(await carols.getAttribute('data-author')).toBe(jidOf(CAROL));
      expect(await carols.textContent()).toBe(`Carol Night +7 900 11${n} 0003`);
      expect(await bubbleWith(page, 'I back you up').getByTestId('author').textContent()).toBe(`+7 900 11${n} 0004`);
      expect(await contrastOf(carols.locator('.sender-name'))).toBeGreaterThanOrEqual(4.5);
      expect(await contrastOf(carols.locator('.sender-address'))).toBeGreaterThanOrEqual(4.5);
      expect(await bubbleWith(page, 'I take the first call').getByTestId('author').count()).toBe(1);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, `group-chat-${size}`, { doc: true });

      // Settings: subject, picture, who may send, disappearing messages; only what changed is sent.
      await page.getByRole('link', { name: 'Group members and settings' }).click();
      await page.getByLabel('Subject', { exact: true }).fill('Escalations EU');
      await page.getByLabel(/New group picture/).setInputFiles({ name: 'team.png', mimeType: 'image/png', buffer: PNG });
      await page.getByLabel('Only admins send messages').check();
      await page.getByLabel('Disappearing messages').selectOption({ label: '7 days' });
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Saved.').waitFor();
      await page.getByRole('heading', { name: 'Escalations EU', level: 1 }).waitFor();
      expect(await request('GET', `groups/${encodeURIComponent(group.id)}`)).toMatchObject({ subject: 'Escalations EU', announce: true, restrict: false, ephemeralSeconds: 604_800 });
      expect(await page.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
      const updates = await dashboard.server.request('GET', `/api/instances/${alice.id}/events?types=group_updated&limit=100`, as());
      expect(updates.body.events.filter((e: Row) => e.data.groupId === group.id && e.data.changes.picture === true)).toHaveLength(1);

      // Bob, removed, joins again by the new link from the dashboard of his own instance.
      await page.goto(`${dashboard.base}/instances/${encodeURIComponent(bob.id)}/groups`);
      await page.getByLabel('Invite code or link').fill(fresh);
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByTestId('invite-preview').waitFor();
      expect(await page.getByTestId('invite-preview').locator('dd').allTextContents()).toEqual(['Escalations EU', '3', '—']);
      await page.getByRole('button', { name: 'Join “Escalations EU”' }).click();
      await page.getByRole('heading', { name: 'Escalations EU', level: 1 }).waitFor();
      expect(await member(page, bob.jid).textContent()).toContain('(you)');
      expect(await page.getByText('Only admins change the members.').count()).toBe(1);
      // A member who is not an admin edits the info (restrict is off) but not the settings.
      expect(await page.getByLabel('Subject', { exact: true }).isEnabled()).toBe(true);
      expect(await page.getByLabel('Only admins send messages').isDisabled()).toBe(true);
      expect(await page.getByLabel('Only admins send messages').isChecked()).toBe(true);
      expect(await page.getByLabel('Disappearing messages').isDisabled()).toBe(true);
      await page.getByLabel('Description').fill('Calls that need a second pair of eyes');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Saved.').waitFor();
      expect((await request('GET', `groups/${encodeURIComponent(group.id)}`)).description).toBe('Calls that need a second pair of eyes');

      // Only admins send there now, which his chat says.
      await page.getByRole('link', { name: 'Open chat' }).click();
      await page.getByTestId('announce-notice').waitFor();
      await page.getByRole('link', { name: 'Group members and settings' }).click();

      // And leaves it: the group leaves his list.
      await page.getByRole('button', { name: 'Leave group' }).click();
      await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
      expect(page.dialogs.at(-1)).toContain('Leave “Escalations EU”?');
      expect(await page.locator(`[data-testid="group-row"][data-group-id="${group.id}"]`).count()).toBe(0);
    });
  });
}
