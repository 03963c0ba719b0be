import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, linkInstance, receiveMessage } from '../support/app.js';
import { CHROMIUM, CHROMIUM_ARGS, contrastOf, shot, sidewaysOverflow, signedInPage, SIZES, useDashboard } from './browser.js';

/*
 * What the dashboard does to sent and received messages (issue 18): read receipts on opening a
 * chat, edit, delete, forward, the number-check tool, and the API's refusals shown as it gave
 * them (415 without ffmpeg, 409 past WhatsApp's windows). The peers are instances of their own,
 * so what they got is read from their history.
 */

const MINUTE = 60_000;
/** How far the server's clock is ahead of real time; moved only by the last tests. */
let ahead = 0;
/** No ffmpeg; and the simulator's peers never read by themselves, so blue ticks come only from our receipts. */
const dashboard = useDashboard({ clock: () => Date.now() + ahead, env: { FFMPEG_PATH: '/nonexistent/ffmpeg', SIMULATOR_READ_DELAY_MS: '600000' } });

type Row = Record<string, any>;
const NEXT_POLL = { timeout: 10_000 };
const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), Buffer.alloc(64)]);

const bubble = (page: Page, messageId: string) => page.locator(`[data-testid="message"][data-message-id="${messageId}"]`);
const composer = (page: Page) => page.getByRole('textbox', { name: /^Message/ });
const openMenu = (page: Page, messageId: string) => bubble(page, messageId).getByRole('button', { name: 'Message actions' }).click();

describe('message actions and the number check', () => {
  let page: Awaited<ReturnType<typeof signedInPage>>;
  let me: { id: string; jid: string };
  let peer: { id: string; jid: string };
  let other: { id: string; jid: string };
  const as = () => ({ as: dashboard.server.admin });
  const chatUrl = (chat: string) => `${dashboard.base}/instances/${encodeURIComponent(me.id)}/chat?chat=${encodeURIComponent(chat)}`;
  const historyOf = async (instanceId: string, chat: string): Promise<Row[]> =>
    (await dashboard.server.request('GET', `/api/instances/${instanceId}/chats/${encodeURIComponent(chat)}/messages?limit=100`, as())).body.messages;
  const found = (instanceId: string, chat: string, matching: (m: Row) => boolean, what: string) =>
    eventually(async () => (await historyOf(instanceId, chat)).find(matching), 5000, what);
  const sendAs = async (from: { id: string }, to: { jid: string }, message: string): Promise<string> => {
    const res = await dashboard.server.request('POST', `/api/whatsapp/${from.id}/send`, { ...as(), body: { phone: to.jid, message } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.id;
  };
  /** We write from the dashboard and wait until the peer has it. */
  const weSend = async (text: string): Promise<string> => {
    await composer(page).fill(text);
    await composer(page).press('Enter');
    return (await found(peer.id, me.jid, (m) => m.content === text, `"${text}" at the peer`)).messageId;
  };
  const unreadOf = async (chat: string, instanceId = me.id) =>
    (await dashboard.server.request('GET', `/api/instances/${instanceId}/chats`, as())).body.chats.find((c: Row) => c.chatId === chat)?.unreadCount;

  beforeAll(async () => {
    me = await linkInstance(dashboard.server, dashboard.server.admin, { phone: '15550029001', pushName: 'Support desk' });
    peer = await linkInstance(dashboard.server, dashboard.server.admin, { phone: '15550029002', pushName: 'Pat Peer' });
    other = await linkInstance(dashboard.server, dashboard.server.admin, { phone: '15550029003', pushName: 'Olive Other' });
    page = await signedInPage(dashboard);
  });

  afterAll(async () => {
    await page?.context().close();
  });

  it('opening a chat sends read receipts: the peer sees its message read and the unread count goes to 0', async () => {
    const hello = await sendAs(peer, me, 'Anyone there?');
    await found(me.id, peer.jid, (m) => m.messageId === hello, 'the message at our side');
    expect(await unreadOf(peer.jid)).toBe(1);
    await found(peer.id, me.jid, (m) => m.messageId === hello && m.status === 'delivered', 'delivered to us');

    await page.goto(chatUrl(peer.jid));
    await bubble(page, hello).waitFor();
    await found(peer.id, me.jid, (m) => m.messageId === hello && m.status === 'read', 'the blue ticks at the peer');
    expect(await unreadOf(peer.jid)).toBe(0);
  });

  it('opening a chat while the phone is not linked still zeroes its unread count', async () => {
    const offline = await linkInstance(dashboard.server, dashboard.server.admin, { phone: '15550029004', pushName: 'Offline desk' });
    const hello = await receiveMessage(dashboard.server, dashboard.server.admin, offline.id, { from: peer.jid, text: 'Still there?' });
    await found(offline.id, peer.jid, (m) => m.messageId === hello, 'the message at the offline instance');
    const cut = await dashboard.server.request('POST', `/api/simulator/instances/${offline.id}/disconnect`, { ...as(), body: { reason: 'conflict' } });
    expect(cut.status).toBe(200);

    await page.goto(`${dashboard.base}/instances/${encodeURIComponent(offline.id)}/chat?chat=${encodeURIComponent(peer.jid)}`);
    await bubble(page, hello).waitFor();
    await eventually(async () => (await unreadOf(peer.jid, offline.id)) === 0, 5000, 'the unread count at 0');
  });

  it('edits our message, forwards one to another chat and deletes one for everyone', async () => {
    await page.goto(chatUrl(peer.jid));
    await composer(page).waitFor();
    const typo = await weSend('See you at 5');
    await openMenu(page, typo);
    await bubble(page, typo).getByRole('button', { name: 'Edit' }).click();
    await bubble(page, typo).getByLabel('New text').fill('See you at 6');
    await bubble(page, typo).getByRole('button', { name: 'Save the edit' }).click();
    await bubble(page, typo).getByTestId('edited').waitFor(NEXT_POLL);
    expect(await bubble(page, typo).locator('.text').textContent()).toBe('See you at 6');
    await found(peer.id, me.jid, (m) => m.messageId === typo && m.content === 'See you at 6', 'the edit at the peer');

    // Forward: the other chat must be in the list to be chosen.
    await sendAs(other, me, 'Hi from Olive');
    await openMenu(page, typo);
    await bubble(page, typo).getByRole('button', { name: 'Forward' }).click();
    await bubble(page, typo).getByLabel('Forward to').selectOption({ label: 'Olive Other' });
    await bubble(page, typo).getByRole('button', { name: 'Forward', exact: true }).last().click();
    await found(other.id, me.jid, (m) => m.content === 'See you at 6', 'the forward at the other peer');

    const oops = await weSend('Wrong chat, sorry');
    await openMenu(page, oops);
    await bubble(page, oops).getByRole('button', { name: 'Delete for everyone' }).click();
    expect(page.dialogs.at(-1)).toBe('Delete this message for everyone?');
    await bubble(page, oops).getByTestId('deleted').waitFor(NEXT_POLL);
    await found(peer.id, me.jid, (m) => m.messageId === oops && m.deletedAt, 'the delete at the peer');
  });

  it('menus open and close by keyboard, and a reaction can be taken back', async () => {
    await page.goto(chatUrl(peer.jid));
    const note = await weSend('Keyboard only');
    const toggle = bubble(page, note).getByRole('button', { name: 'Message actions' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await contrastOf(toggle)).toBeGreaterThanOrEqual(4.5);

    await openMenu(page, note);
    await bubble(page, note).getByRole('button', { name: 'React ❤️' }).click();
    await bubble(page, note).getByTestId('reaction').waitFor(NEXT_POLL);
    await openMenu(page, note);
    await bubble(page, note).getByRole('button', { name: 'Remove reaction' }).click();
    await bubble(page, note).getByTestId('reaction').waitFor({ state: 'detached', ...NEXT_POLL });
  });

  it('shows the API’s 415 naming ffmpeg for a voice note it cannot convert', async () => {
    await page.goto(chatUrl(peer.jid));
    await page.getByRole('button', { name: '🎤 Voice note' }).click();
    await page.getByLabel(/pick an audio file/i).setInputFiles({ name: 'note.wav', mimeType: 'audio/wav', buffer: WAV });
    await page.getByRole('button', { name: 'Send voice note' }).click();
    const alert = page.getByRole('form', { name: 'Send a voice note' }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('ffmpeg');
  });

  it('records a voice note with the microphone and shows the 415 for the WebM it recorded', async () => {
    // A browser of its own, whose microphone is Chromium's fake device, granted without a prompt.
    const withMic = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
    try {
      const recorder = await signedInPage({ ...dashboard, browser: withMic });
      await recorder.goto(chatUrl(peer.jid));
      await recorder.getByRole('button', { name: '🎤 Voice note' }).click();
      await recorder.getByRole('button', { name: '🎙 Record' }).click();
      await recorder.getByRole('status').filter({ hasText: 'Recording…' }).waitFor();
      expect(await recorder.getByRole('button', { name: 'Send voice note' }).isDisabled()).toBe(true);
      await recorder.getByRole('button', { name: '⏹ Stop recording' }).click();
      expect(await recorder.getByTestId('voice-ready').textContent()).toMatch(/voice-note\.(webm|ogg)$/);
      await recorder.getByRole('button', { name: 'Send voice note' }).click();
      const alert = recorder.getByRole('form', { name: 'Send a voice note' }).getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('ffmpeg');
    } finally {
      await withMic.close();
    }
  });

  it('checks pasted numbers on the instance page: a table of who is on WhatsApp, and the API’s errors', async () => {
    for (const size of ['phone', 'desktop'] as const) {
      await page.setViewportSize(SIZES[size]);
      await page.goto(`${dashboard.base}/instances/${encodeURIComponent(me.id)}`);
      const box = page.getByLabel(/^Phone numbers/);
      await box.fill('+1 555 002 9002, 15550020000\n447700900123\n\n');
      await page.getByRole('button', { name: 'Check numbers' }).click();
      const rows = page.getByTestId('number-check');
      await rows.nth(2).waitFor();
      const table = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
      expect(table).toEqual([
        ['+1 555 002 9002', '✓ yes', '15550029002@s.whatsapp.net', expect.stringMatching(/^\d+@lid$/)],
        ['15550020000', '✗ no', '15550020000@s.whatsapp.net', '—'],
        ['447700900123', '✓ yes', '447700900123@s.whatsapp.net', expect.stringMatching(/^\d+@lid$/)],
      ]);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, `number-check-${size}`, { doc: true });
    }

    await page.getByLabel(/^Phone numbers/).fill('15550029002\nnot a number');
    await page.getByRole('button', { name: 'Check numbers' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('phones[1]');
    expect(await page.getByTestId('number-check').count()).toBe(0);

    await page.getByLabel(/^Phone numbers/).fill(Array.from({ length: 101 }, (_, i) => `1555003${String(i).padStart(4, '0')}`).join(','));
    await page.getByRole('button', { name: 'Check numbers' }).click();
    await page.getByRole('alert').filter({ hasText: 'At most 100 numbers' }).waitFor();
  });

  // Last: the server's clock only moves forward, so these run after the rest.
  it('shows the API’s 409 for an edit past 15 minutes and a delete for everyone past WhatsApp’s window', async () => {
    await page.goto(chatUrl(peer.jid));
    await composer(page).waitFor();
    const late = await weSend('Edit me later');
    ahead = 16 * MINUTE;
    await openMenu(page, late);
    await bubble(page, late).getByRole('button', { name: 'Edit' }).click();
    await bubble(page, late).getByLabel('New text').fill('Too late');
    await bubble(page, late).getByRole('button', { name: 'Save the edit' }).click();
    const editError = bubble(page, late).getByRole('form', { name: 'Edit the message' }).getByRole('alert');
    await editError.waitFor();
    expect(await editError.textContent()).toContain('15 minutes');
    await editError.scrollIntoViewIfNeeded();
    await shot(page, 'message-edit-refused-desktop', { doc: true });

    ahead = 3 * 24 * 60 * MINUTE;
    await bubble(page, late).getByRole('button', { name: 'Delete for everyone' }).click();
    await bubble(page, late).getByRole('alert').filter({ hasText: 'forMe' }).waitFor();
    expect((await found(peer.id, me.jid, (m) => m.messageId === late, 'the message at the peer')).deletedAt).toBeUndefined();
    expect(await bubble(page, late).locator('.text').textContent()).toBe('Edit me later');
  });
});
