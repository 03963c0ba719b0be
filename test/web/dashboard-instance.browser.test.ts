import { describe, expect, it } from 'vitest';
import { createInstance, createUser, linkInstance } from '../support/app.js';
import { contrastOf, shot, sidewaysOverflow, signedInPage, signIn, SIZES, type SizeName, useDashboard } from './browser.js';

const dashboard = useDashboard();

const admin = () => dashboard.server.admin;
const instanceUrl = (id: string, tail = '') => `${dashboard.base}/instances/${encodeURIComponent(id)}${tail}`;
const statusOf = async (id: string) => (await dashboard.server.request('GET', `/api/instances/${id}/status`, { as: admin() })).body.status as string;

/** Every phone a test links gets its own number: the simulator links one number to one instance. */
let phones = 0;
const newPhone = () => `4915112${String(++phones).padStart(5, '0')}`;

for (const size of Object.keys(SIZES) as SizeName[]) {
  describe(`the instance page at ${size} size`, () => {
    it('shows the linked phone as a number with its account name, and the status in words', async () => {
      const last = size === 'desktop' ? '4567' : '4568';
      const { id } = await linkInstance(dashboard.server, admin(), { phone: `7900123${last}`, pushName: 'Acme Support', body: { name: `Support line (${size})` } });
      const page = await signedInPage(dashboard, { size });
      await page.goto(instanceUrl(id));
      await page.getByTestId('linked-phone').filter({ hasText: `+7 900 123 ${last}` }).filter({ hasText: 'Acme Support' }).waitFor();
      expect(await page.getByTestId('status').first().textContent()).toBe('Linked');
      expect(await page.locator('main').textContent()).not.toContain('@s.whatsapp.net');
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, `instance-${size}`, { doc: true });
      await page.context().close();
    });

    it('asks before unlinking the phone, and does nothing when the answer is no', async () => {
      const { id } = await linkInstance(dashboard.server, admin(), { phone: newPhone() });
      const refusing = await signedInPage(dashboard, { size, confirm: false });
      await refusing.goto(instanceUrl(id));
      await refusing.getByRole('button', { name: /Unlink phone/ }).click();
      expect(refusing.dialogs).toEqual([expect.stringMatching(/Unlink the phone/)]);
      await refusing.waitForTimeout(500);
      expect(await statusOf(id)).toBe('connected');
      await refusing.context().close();

      const accepting = await signedInPage(dashboard, { size });
      await accepting.goto(instanceUrl(id));
      await accepting.getByRole('button', { name: /Unlink phone/ }).click();
      expect(accepting.dialogs).toHaveLength(1);
      await expect.poll(() => statusOf(id)).toBe('logged_out');
      await accepting.getByTestId('status').filter({ hasText: 'Unlinked — Reconnect' }).waitFor();
      await accepting.context().close();
    });

    it('offers Reconnect for a logged-out instance instead of saying it is linked, and a failed scan says what to do', async () => {
      const { id } = await linkInstance(dashboard.server, admin(), { phone: newPhone() });
      expect((await dashboard.server.request('POST', `/api/instances/${id}/logout`, { as: admin() })).status).toBe(200);
      const page = await signedInPage(dashboard, { size });
      await page.goto(instanceUrl(id));
      const panel = page.getByTestId('needs-reconnect');
      await panel.waitFor();
      expect(await page.getByText(/^Linked/).count()).toBe(0);
      expect(await page.getByTestId('status').first().getAttribute('data-status')).toBe('logged_out');

      await page.getByRole('button', { name: 'Simulate scan' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/Reconnect/);
      expect(await alert.textContent()).not.toMatch(/\/api\//);

      await panel.getByRole('button', { name: 'Reconnect' }).click();
      await page.getByRole('img', { name: /QR code/ }).waitFor();
      expect(await page.getByTestId('status').first().textContent()).toBe('Waiting for scan — Scan the QR code');
      await page.getByRole('button', { name: 'Simulate scan' }).click();
      await expect.poll(() => statusOf(id)).toBe('connected');
      await page.context().close();
    });

    it('shows a failed webhook delivery with its reason and a Retry that works', async () => {
      const { id } = await createInstance(dashboard.server, admin(), { name: `Hooked ${size}`, webhookUrl: 'http://127.0.0.1:9/hook', webhookEnabled: true, maxRetries: 0 });
      const page = await signedInPage(dashboard, { size });
      await page.goto(instanceUrl(id, '/webhook'));
      await page.getByRole('button', { name: 'Send a test event' }).click();
      const row = page.getByTestId('delivery-row').filter({ hasText: 'webhook_test' });
      const retry = row.getByRole('button', { name: 'Retry' });
      await retry.waitFor({ timeout: 10_000 });
      expect(await retry.isVisible()).toBe(true);
      expect(await row.getByTestId('delivery-result').isVisible()).toBe(true);
      expect(await row.getByTestId('delivery-result').textContent()).not.toBe('—');
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await retry.click();
      await page.getByRole('status').filter({ hasText: 'Retry queued.' }).waitFor();
      await shot(page, `webhook-${size}`);
      await page.context().close();
    });
  });
}

describe('plain language for admins and users', () => {
  it('names the server default engine, shows each instance’s owner to an admin, and one meaning of active', async () => {
    const owner = await createUser(dashboard.server);
    await createInstance(dashboard.server, owner, { name: 'Owned by someone else' });
    const page = await signedInPage(dashboard);
    await page.getByRole('option', { name: 'Server default (Simulator)' }).waitFor({ state: 'attached' });
    const row = page.getByTestId('instance-row').filter({ hasText: 'Owned by someone else' });
    expect(await row.getByTestId('owner').textContent()).toContain(owner.email);
    await page.goto(`${dashboard.base}/admin/system`);
    await page.getByText('Users with a connected instance / total').waitFor();
    expect(await page.getByText(/active/i).count()).toBe(0);
    await page.context().close();
  });

  it('tells a deactivated user why they cannot sign in, also when it happens mid-session', async () => {
    const user = await createUser(dashboard.server);
    const page = await signedInPage(dashboard, { email: user.email, password: user.password });
    await dashboard.server.request('PUT', `/api/users/${user.id}`, { as: admin(), body: { active: false } });
    // The instance list's next poll is refused: the page goes to sign-in and says why.
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('status').textContent()).toMatch(/deactivated by an administrator/);
    await signIn(page, user.email, user.password);
    expect(await page.getByRole('alert').textContent()).toMatch(/deactivated by an administrator/);
    await page.context().close();
  });

  it('keeps AA contrast for the top bar, the focus ring and muted text', async () => {
    const page = await signedInPage(dashboard);
    expect(await contrastOf(page.locator('.topbar .brand'))).toBeGreaterThanOrEqual(4.5);
    expect(await contrastOf(page.locator('.topbar .who .muted'))).toBeGreaterThanOrEqual(4.5);
    expect(await contrastOf(page.locator('.topbar nav a').first())).toBeGreaterThanOrEqual(4.5);
    await page.getByLabel('Name').focus();
    await page.keyboard.press('Tab');
    expect(await contrastOf(page.locator(':focus-visible'), 'outline-color')).toBeGreaterThanOrEqual(3);
    await page.locator('.topbar .brand').focus();
    await page.keyboard.press('Tab');
    expect(await contrastOf(page.locator(':focus-visible'), 'outline-color')).toBeGreaterThanOrEqual(3);
    for (const badge of await page.getByTestId('status').all()) expect(await contrastOf(badge)).toBeGreaterThanOrEqual(4.5);
    expect(await contrastOf(page.locator('.muted').first())).toBeGreaterThanOrEqual(4.5);
    await page.context().close();
  });
});

describe('phone-size and table details', () => {
  it('keeps limit values whole words, chart labels readable, and users-table cells aligned', async () => {
    const user = await createUser(dashboard.server);
    const { id } = await createInstance(dashboard.server, user, { name: 'Limits on a phone' });
    const phone = await signedInPage(dashboard, { size: 'phone', email: user.email, password: user.password });
    await phone.goto(instanceUrl(id));
    const unlimited = phone.locator('.facts dd').filter({ hasText: /^unlimited$/ }).first();
    await unlimited.waitFor();
    // One line box for the word: it did not break into "unlimite / d".
    expect(await unlimited.evaluate((dd) => {
      const range = document.createRange();
      range.selectNodeContents(dd.firstChild!);
      return range.getClientRects().length;
    })).toBe(1);

    await phone.goto(`${dashboard.base}/usage`);
    const labels = phone.locator('.chart text');
    await labels.first().waitFor();
    for (const label of await labels.all()) expect((await label.boundingBox())!.height).toBeGreaterThanOrEqual(12);
    expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
    await phone.context().close();

    const desktop = await signedInPage(dashboard);
    await desktop.goto(`${dashboard.base}/admin/users`);
    const row = desktop.getByTestId('user-row').filter({ hasText: user.email });
    await row.waitFor();
    const edges = await row.locator('td').evaluateAll((cells) => cells.map((c) => [c.getBoundingClientRect().top, c.getBoundingClientRect().bottom]));
    expect(new Set(edges.map(([top]) => top)).size).toBe(1);
    expect(new Set(edges.map(([, bottom]) => bottom)).size).toBe(1);
    await desktop.context().close();
  });

  it('clears a success line when a later attempt fails', async () => {
    const page = await signedInPage(dashboard);
    await page.goto(`${dashboard.base}/admin/users`);
    const email = `twice-${Date.now()}@test.local`;
    for (let attempt = 0; attempt < 2; attempt++) {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('twice-pass-1');
      await page.getByLabel('First name').fill('Twice');
      await page.getByLabel('Last name').fill('Made');
      await page.getByRole('button', { name: 'Create user' }).click();
      if (attempt === 0) await page.getByRole('status').filter({ hasText: `Created ${email}` }).waitFor();
    }
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Created' }).count()).toBe(0);
    await page.context().close();
  });
});
