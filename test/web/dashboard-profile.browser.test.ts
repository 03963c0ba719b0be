import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkInstance, receiveMessage } from '../support/app.js';
import { shot, signedInPage, useDashboard } from './browser.js';

/*
 * The account profile card and blocking (issue 18), on the simulator: what the dashboard edits is
 * what the API then answers, and a chat's Block button, the chat header and the instance page's
 * blocked list agree.
 */

const dashboard = useDashboard();

/** A real 1×1 PNG, picked as the new picture. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PEER = '15550018802';

describe('the account profile and blocking', () => {
  let page: Awaited<ReturnType<typeof signedInPage>>;
  let me: { id: string; jid: string };
  const as = () => ({ as: dashboard.server.admin });
  const instanceUrl = () => `${dashboard.base}/instances/${encodeURIComponent(me.id)}`;
  const blocklist = async () => (await dashboard.server.request('GET', `/api/whatsapp/${me.id}/blocklist`, as())).body.blocked;

  beforeAll(async () => {
    me = await linkInstance(dashboard.server, dashboard.server.admin, { phone: '15550018801', pushName: 'Front desk' });
    page = await signedInPage(dashboard);
  });

  afterAll(async () => {
    await page?.context().close();
  });

  it("shows the linked account's name, and saves a new name, about text and picture", async () => {
    await page.goto(instanceUrl());
    const card = page.getByTestId('account-profile');
    await card.waitFor();
    expect(await page.getByTestId('profile-name').textContent()).toBe('Front desk');

    await page.getByRole('button', { name: 'Edit profile' }).click();
    await page.getByLabel('Name').fill('Help desk');
    await page.getByLabel('About').fill('Open 9 to 5');
    await page.getByLabel(/New picture/).setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'Save profile' }).click();

    await page.getByTestId('profile-name').filter({ hasText: 'Help desk' }).waitFor();
    expect(await page.getByTestId('profile-about').textContent()).toBe('Open 9 to 5');
    expect(await card.getByRole('img', { name: 'Profile picture' }).getAttribute('src')).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    await shot(page, 'account-profile-desktop');

    const answered = await dashboard.server.request('GET', `/api/whatsapp/${me.id}/profile/${me.jid.split('@')[0]}`, as());
    expect(answered.body).toMatchObject({ name: 'Help desk', about: 'Open 9 to 5' });
  });

  it("blocks a chat's peer from its header, lists it on the instance page, and unblocks it there", async () => {
    await receiveMessage(dashboard.server, dashboard.server.admin, me.id, { from: PEER, text: 'Hello?' });
    await page.goto(`${instanceUrl()}/chat?chat=${encodeURIComponent(`${PEER}@s.whatsapp.net`)}`);
    const header = page.locator('.chat-main .card-head');
    await header.getByRole('button', { name: 'Block' }).click();
    await header.getByTestId('peer-blocked').waitFor();
    await header.getByRole('button', { name: 'Unblock' }).waitFor();
    expect(page.dialogs).toEqual([expect.stringMatching(/Block this contact/)]);
    expect(await blocklist()).toEqual([{ jid: `${PEER}@s.whatsapp.net`, phone: PEER }]);

    await page.goto(instanceUrl());
    const listed = page.getByTestId('blocked').filter({ hasText: '+1' });
    await listed.waitFor();
    expect(await listed.getAttribute('data-phone')).toBe(PEER);
    await shot(page, 'blocklist-desktop', { doc: true });
    await listed.getByRole('button', { name: /^Unblock/ }).click();
    await page.getByText('This account blocks no one.').waitFor();
    expect(await blocklist()).toEqual([]);

    await page.goto(`${instanceUrl()}/chat?chat=${encodeURIComponent(`${PEER}@s.whatsapp.net`)}`);
    await header.getByRole('button', { name: 'Block' }).waitFor();
    expect(await header.getByTestId('peer-blocked').count()).toBe(0);
  });
});
