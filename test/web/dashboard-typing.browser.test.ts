import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkInstance, receiveMessage } from '../support/app.js';
import { setHidden, signedInPage, useDashboard } from './browser.js';

const dashboard = useDashboard();

/** Issue 18: the open chat's header shows the peer typing or recording, from GET .../presence/:chatId. */
describe('the chat header', () => {
  const PEER = '447700950001';
  let page: Awaited<ReturnType<typeof signedInPage>>;
  let instanceId: string;
  const show = (presence: string) => receiveMessage(dashboard.server, dashboard.server.admin, instanceId, { from: PEER, presence });

  beforeAll(async () => {
    ({ id: instanceId } = await linkInstance(dashboard.server, dashboard.server.admin, { phone: '15550001009', pushName: 'Support desk' }));
    page = await signedInPage(dashboard);
  });
  afterAll(async () => {
    await page?.context().close();
  });

  it('shows typing… while a virtual peer types, recording audio… while it records, and nothing once it stops', async () => {
    await receiveMessage(dashboard.server, dashboard.server.admin, instanceId, { from: PEER, pushName: 'Tara Typist', text: 'one moment' });
    await page.goto(`${dashboard.base}/instances/${encodeURIComponent(instanceId)}/chat?chat=${PEER}`);
    await page.getByTestId('message').filter({ hasText: 'one moment' }).waitFor();
    const typing = page.getByTestId('typing');
    expect(await typing.count()).toBe(0);

    await show('composing');
    await expect.poll(() => typing.textContent(), { timeout: 10_000 }).toBe('typing…');
    await show('recording');
    await expect.poll(() => typing.textContent(), { timeout: 10_000 }).toBe('recording audio…');
    await show('paused');
    await expect.poll(() => typing.count(), { timeout: 10_000 }).toBe(0);
  });

  it('asks nothing about presence while the tab is hidden', async () => {
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/presence/')) asked.push(request.url());
    });
    await expect.poll(() => asked.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await setHidden(page, true);
    const before = asked.length;
    await page.waitForTimeout(4500);
    expect(asked.length).toBeLessThanOrEqual(before + 1);
    await setHidden(page, false);
    await expect.poll(() => asked.length, { timeout: 10_000 }).toBeGreaterThan(before + 1);
  });
});
