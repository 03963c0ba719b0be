import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, linkInstance, receiveMessage, type TestUser } from '../support/app.js';
import { setHidden, signedInPage, SIZES, type SizeName, useDashboard } from './browser.js';

const dashboard = useDashboard();

/**
 * Moves the page's clock on by `ms` in one-second steps, letting each step's requests finish
 * in real time: two minutes of polling take a few seconds of the test.
 */
async function pass(pages: Page[], ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 1000) {
    await Promise.all(pages.map((p) => p.clock.runFor(1000)));
    await pages[0].waitForTimeout(40);
  }
}

/** Counts the page's API requests while `during` runs. */
async function apiRequests(page: Page, during: () => Promise<void>): Promise<number> {
  let count = 0;
  const onRequest = (request: { url: () => string }) => void (new URL(request.url()).pathname.startsWith('/api/') && count++);
  page.on('request', onRequest);
  await during();
  page.off('request', onRequest);
  return count;
}

async function userPage(user: TestUser, size: SizeName, url: string): Promise<Page> {
  const page = await signedInPage(dashboard, { size, email: user.email, password: user.password });
  await page.clock.install();
  await page.goto(url);
  return page;
}

for (const size of Object.keys(SIZES) as SizeName[]) {
  describe(`polling at ${size} size`, () => {
    it('stays usable for two minutes with maxApiCalls just above the usage, without spending the quota', async () => {
      const user = await createUser(dashboard.server);
      const { id } = await linkInstance(dashboard.server, user, { phone: size === 'desktop' ? '34600100001' : '34600100002' });
      const usage = async () => (await dashboard.server.request('GET', `/api/stats/instances/${id}`, { as: dashboard.server.admin })).body.usage.apiCalls as number;
      await dashboard.server.request('PUT', `/api/instances/${id}/limits`, { as: dashboard.server.admin, body: { maxApiCalls: (await usage()) + 25 } });
      const before = await usage();

      const instancePage = await userPage(user, size, `${dashboard.base}/instances/${id}`);
      const chatPage = await userPage(user, size, `${dashboard.base}/instances/${id}/chat?chat=34611122233`);
      await instancePage.getByTestId('linked-phone').waitFor();
      const made = await apiRequests(chatPage, () => pass([instancePage, chatPage], 120_000));
      expect(made).toBeGreaterThan(60);
      expect(await usage()).toBe(before);

      // (The simulated phone's message is a call of the user's own, through the API.)
      await receiveMessage(dashboard.server, user, id, { from: '34611122233', text: 'still there after two minutes?' });
      await pass([chatPage], 3000);
      await chatPage.getByTestId('message').filter({ hasText: 'still there after two minutes?' }).waitFor();
      expect(await instancePage.getByTestId('status').first().textContent()).toBe('Linked');
      for (const page of [instancePage, chatPage]) expect(await page.getByTestId('reach-banner').count()).toBe(0);
      // The quota is still there for the user's own programs.
      expect((await dashboard.server.request('GET', `/api/instances/${id}`, { as: { apiKey: user.apiKey } })).status).toBe(200);
      await instancePage.context().close();
      await chatPage.context().close();
    });
  });
}

describe('polling and the server’s answers', () => {
  let user: TestUser;
  let page: Page;
  let id: string;

  beforeAll(async () => {
    user = await createUser(dashboard.server);
    ({ id } = await linkInstance(dashboard.server, user, { phone: '34600100003' }));
    page = await userPage(user, 'desktop', `${dashboard.base}/instances/${id}`);
    await page.getByTestId('linked-phone').waitFor();
  });

  afterAll(async () => {
    await page?.context().close();
  });

  it('asks nothing while the tab is hidden and catches up when it is shown', async () => {
    expect(await apiRequests(page, () => pass([page], 10_000))).toBeGreaterThan(3);
    await setHidden(page, true);
    await pass([page], 1000);
    expect(await apiRequests(page, () => pass([page], 60_000))).toBe(0);
    expect(await apiRequests(page, async () => {
      await setHidden(page, false);
      await page.waitForTimeout(200);
    })).toBeGreaterThan(0);
  });

  it('shows a refusal (429) as such, backs off while it lasts, and clears the banner once answers come back', async () => {
    await page.route(`**/api/instances/${id}`, (route) => route.fulfill({ status: 429, contentType: 'application/json', headers: { 'retry-after': '30' }, body: JSON.stringify({ error: 'Too many requests' }) }));
    await pass([page], 3000);
    const banner = page.getByTestId('reach-banner');
    await banner.filter({ hasText: 'refusing requests' }).waitFor();
    expect(await banner.textContent()).toContain('30 s');
    // At the normal pace a minute is 30 polls of this page; backing off it is a handful.
    let refused = 0;
    const count = (request: { url: () => string }) => void (new URL(request.url()).pathname === `/api/instances/${id}` && refused++);
    page.on('request', count);
    await pass([page], 60_000);
    page.off('request', count);
    expect(refused).toBeLessThan(8);
    await page.unroute(`**/api/instances/${id}`);
    await pass([page], 65_000);
    await expect.poll(() => banner.count()).toBe(0);
  });

  it('shows a lost connection as such and recovers by itself', async () => {
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await pass([page], 5000);
    await page.getByTestId('reach-banner').filter({ hasText: 'cannot be reached' }).waitFor();
    await page.unroute('**/api/**');
    await pass([page], 65_000);
    await expect.poll(() => page.getByTestId('reach-banner').count()).toBe(0);
    expect(await page.getByTestId('status').first().textContent()).toBe('Linked');
  });
});
