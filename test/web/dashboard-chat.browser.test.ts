import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkInstance, receiveMessage } from '../support/app.js';
import { contrastOf, setHidden, shot, sidewaysOverflow, signedInPage, SIZES, type SizeName, useDashboard } from './browser.js';

const dashboard = useDashboard();

/** Numbers for virtual senders, different in every test so each chat starts empty. */
let senders = 0;
const newSender = () => `4477009${String(++senders).padStart(5, '0')}`;

const messages = (page: Page) => page.getByTestId('message');
const texts = (page: Page) => page.getByTestId('message').locator('.text').allTextContents();
const composer = (page: Page) => page.getByRole('textbox', { name: /^Message/ });

for (const size of Object.keys(SIZES) as SizeName[]) {
  describe(`the chat at ${size} size`, () => {
    let page: Awaited<ReturnType<typeof signedInPage>>;
    let instanceId: string;
    const chatUrl = (chat?: string) => `${dashboard.base}/instances/${encodeURIComponent(instanceId)}/chat${chat ? `?chat=${encodeURIComponent(chat)}` : ''}`;
    const receive = (from: string, body: Record<string, unknown>) => receiveMessage(dashboard.server, dashboard.server.admin, instanceId, { from, ...body });

    beforeAll(async () => {
      ({ id: instanceId } = await linkInstance(dashboard.server, dashboard.server.admin, { phone: size === 'desktop' ? '15550001001' : '15550001002', pushName: 'Support desk' }));
      page = await signedInPage(dashboard, { size });
    });

    afterAll(async () => {
      await page?.context().close();
    });

    it('shows a message from a new number in the conversation list with an unread mark; opening it marks it read', async () => {
      await page.goto(chatUrl());
      await page.getByRole('heading', { name: 'Conversations' }).waitFor();
      const from = newSender();
      await receive(from, { pushName: 'Nora Newcomer', text: 'Hello, is anyone there?' });
      const row = page.getByTestId('chat-row').filter({ hasText: 'Nora Newcomer' });
      await row.getByTestId('unread').filter({ hasText: '1' }).waitFor();
      expect(await row.textContent()).toContain('Hello, is anyone there?');
      expect(await page.getByTestId('chat-row').first().textContent()).toContain('Nora Newcomer');
      await shot(page, `conversation-list-${size}`, { doc: true });

      await row.getByRole('link').click();
      await messages(page).filter({ hasText: 'Hello, is anyone there?' }).waitFor();
      await expect.poll(async () => (await dashboard.server.request('GET', `/api/instances/${instanceId}/chats`, { as: dashboard.server.admin })).body.chats[0].unreadCount).toBe(0);
      if (size === 'desktop') await expect.poll(() => row.getByTestId('unread').count()).toBe(0);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

      // A message arriving in the chat being read is read too.
      await receive(from, { text: 'Are you reading this?' });
      await messages(page).filter({ hasText: 'Are you reading this?' }).waitFor();
      await expect.poll(async () => (await dashboard.server.request('GET', `/api/instances/${instanceId}/chats`, { as: dashboard.server.admin })).body.chats[0].unreadCount).toBe(0);
    });

    it('shows three messages that arrive in one second in the order they arrived', async () => {
      const from = newSender();
      const sent = ['first of three', 'second of three', 'third of three'];
      for (const text of sent) await receive(from, { text });
      await page.goto(chatUrl(from));
      await expect.poll(() => texts(page)).toEqual(sent);
      // Still in order after polls have refreshed the newest page a few times.
      await page.waitForTimeout(3500);
      expect(await texts(page)).toEqual(sent);
    });

    it('opens at the newest message and loads older ones past 100 when scrolled up, keeping the place', async () => {
      const from = newSender();
      for (let n = 1; n <= 130; n++) await receive(from, { text: `message ${n}` });
      await page.goto(chatUrl(from));
      const list = page.getByTestId('messages');
      await messages(page).filter({ hasText: /^message 130/ }).waitFor();
      expect(await list.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop)).toBeLessThan(5);
      expect(await isInView(page, 'message 130')).toBe(true);

      for (let round = 0; round < 5 && (await messages(page).count()) < 130; round++) {
        const count = await messages(page).count();
        const top = (await texts(page))[0];
        await list.evaluate((el) => el.scrollTo({ top: 0 }));
        await expect.poll(() => messages(page).count()).toBeGreaterThan(count);
        // The message that was at the top is still on screen: the view did not jump to the oldest.
        expect(await isInView(page, top)).toBe(true);
      }
      const all = await texts(page);
      expect(all).toEqual(Array.from({ length: 130 }, (_, i) => `message ${i + 1}`));
    });

    it('shows every message of a flood that arrived while the tab was hidden, with no gap', async () => {
      const from = newSender();
      await receive(from, { text: 'before the flood' });
      await page.goto(chatUrl(from));
      await messages(page).filter({ hasText: 'before the flood' }).waitFor();
      await setHidden(page, true);
      // More than two pages of 50: the newest page alone would not meet what is shown.
      for (let n = 1; n <= 120; n++) await receive(from, { text: `flood ${n}` });
      await setHidden(page, false);
      await messages(page).locator('.text').filter({ hasText: /^flood 120$/ }).waitFor();
      expect(await texts(page)).toEqual(['before the flood', ...Array.from({ length: 120 }, (_, i) => `flood ${i + 1}`)]);
    });

    it('sends with Enter, breaks lines with Shift+Enter, and keeps the focus in the message box', async () => {
      const to = newSender();
      await page.goto(chatUrl(to));
      const box = composer(page);
      await box.click();
      await page.keyboard.type('first line');
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.type('second line');
      await page.keyboard.press('Enter');
      await messages(page).filter({ hasText: 'second line' }).waitFor();
      expect(await messages(page).locator('.text').first().textContent()).toBe('first line\nsecond line');
      expect(await box.inputValue()).toBe('');
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);

      await page.keyboard.type('typed straight after');
      await page.keyboard.press('Enter');
      await messages(page).filter({ hasText: 'typed straight after' }).waitFor();
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
      const history = await dashboard.server.request('GET', `/api/instances/${instanceId}/chats/${to}/messages`, { as: dashboard.server.admin });
      expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(['typed straight after', 'first line\nsecond line']);
    });

    it('previews a received image and downloads a received document byte for byte', async () => {
      const from = newSender();
      const png = await QRCode.toBuffer('a picture', { width: 200 });
      const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4096)]);
      await receive(from, { media: { kind: 'image', base64: png.toString('base64'), mimeType: 'image/png', fileName: 'photo.png', caption: 'A photo' } });
      await receive(from, { media: { kind: 'document', base64: pdf.toString('base64'), mimeType: 'application/pdf', fileName: 'contract.pdf' } });
      await page.goto(chatUrl(from));

      const image = page.getByTestId('media-image');
      await image.waitFor();
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(200);
      expect(await image.getAttribute('src')).toMatch(/^blob:/);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('media-download').click()]);
      expect(download.suggestedFilename()).toBe('contract.pdf');
      expect(readFileSync((await download.path())!).equals(pdf)).toBe(true);
      await composer(page).fill('Thanks, got both.');
      await page.keyboard.press('Enter');
      await messages(page).filter({ hasText: 'Thanks, got both.' }).waitFor();
      await shot(page, `chat-${size}`, { doc: true });
    });

    it('draws ticks that carry meaning with AA contrast', async () => {
      const to = newSender();
      await page.goto(chatUrl(to));
      await composer(page).fill('Seen?');
      await page.keyboard.press('Enter');
      const sent = messages(page).filter({ hasText: 'Seen?' });
      await expect.poll(() => sent.locator('.ticks').getAttribute('data-status'), { timeout: 10_000 }).toBe('read');
      expect(await contrastOf(sent.locator('.ticks'))).toBeGreaterThanOrEqual(4.5);
      expect(await contrastOf(sent.locator('.meta time'))).toBeGreaterThanOrEqual(4.5);
      // A grey (delivered) tick in the same bubble, drawn by the same style sheet.
      const grey = await sent.locator('.meta').evaluate((meta) => {
        const tick = document.createElement('span');
        tick.className = 'ticks ticks-delivered';
        tick.textContent = '✓✓';
        meta.append(tick);
        return tick.className;
      });
      expect(await contrastOf(sent.locator(`.${grey.split(' ').join('.')}`))).toBeGreaterThanOrEqual(4.5);
      const unread = page.getByTestId('unread');
      if (size === 'desktop' && (await unread.count()) > 0) expect(await contrastOf(unread.first())).toBeGreaterThanOrEqual(4.5);
    });
  });
}

/** Whether the message with this text is inside the visible part of the scrolling list. */
function isInView(page: Page, text: string): Promise<boolean> {
  return page.getByTestId('messages').evaluate((list, wanted) => {
    const item = Array.from(list.querySelectorAll('[data-testid="message"]')).find((m) => m.querySelector('.text')?.textContent === wanted);
    if (!item) return false;
    const box = list.getBoundingClientRect();
    const at = item.getBoundingClientRect();
    return at.bottom > box.top && at.top < box.bottom;
  }, text);
}
