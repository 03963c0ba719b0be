import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkInstance, receiveMessage } from '../support/app.js';
import { contrastOf, shot, sidewaysOverflow, signedInPage, SIZES, type SizeName, useDashboard } from './browser.js';

const dashboard = useDashboard();

/** Numbers for virtual senders, different in every test so each chat starts empty. */
let senders = 0;
/** Changes show at the chat's next poll (every 1.5 s). */
const NEXT_POLL = { timeout: 10_000 };
const newSender = () => `4477018${String(++senders).padStart(5, '0')}`;

const bubble = (page: Page, messageId: string) => page.locator(`[data-testid="message"][data-message-id="${messageId}"]`);
const chatRow = (page: Page, phone: string) => page.locator(`[data-testid="chat-row"][data-chat-id="${phone}@s.whatsapp.net"]`);
/** Each poll option's tally as shown, by option name. */
const tallies = (page: Page, messageId: string) =>
  bubble(page, messageId)
    .getByTestId('poll-option')
    .evaluateAll((items) => Object.fromEntries(items.map((li) => [li.getAttribute('data-option'), Number(li.querySelector('[data-testid="poll-count"]')?.textContent)])));
/** Each reaction chip as shown: emoji → count. */
const reactionCounts = (page: Page, messageId: string) =>
  bubble(page, messageId)
    .getByTestId('reaction')
    .evaluateAll((items) => Object.fromEntries(items.map((li) => [li.getAttribute('data-emoji'), Number(li.querySelector('.reaction-count')?.textContent)])));

for (const size of Object.keys(SIZES) as SizeName[]) {
  describe(`every kind of message in the chat at ${size} size`, () => {
    let page: Awaited<ReturnType<typeof signedInPage>>;
    let instanceId: string;
    const chatUrl = (chat: string) => `${dashboard.base}/instances/${encodeURIComponent(instanceId)}/chat?chat=${encodeURIComponent(chat)}`;
    const receive = (from: string, body: Record<string, unknown>) => receiveMessage(dashboard.server, dashboard.server.admin, instanceId, { from, ...body });

    beforeAll(async () => {
      ({ id: instanceId } = await linkInstance(dashboard.server, dashboard.server.admin, { phone: size === 'desktop' ? '15550018001' : '15550018002', pushName: 'Support desk' }));
      page = await signedInPage(dashboard, { size });
    });

    afterAll(async () => {
      await page?.context().close();
    });

    it('shows a reply with the text it quotes, "a message" for one not loaded, and mentions highlighted', async () => {
      const from = newSender();
      const question = await receive(from, { text: 'Is the order on its way?' });
      for (let n = 1; n <= 15; n++) await receive(from, { text: `in between ${n}` });
      const reply = await receive(from, { text: `Asking for @${from} too`, quotedMessageId: question, mentions: [`${from}@s.whatsapp.net`] });
      const orphan = await receive(from, { text: 'About that old one', quotedMessageId: 'AN-OLDER-MESSAGE' });
      await page.goto(chatUrl(from));

      await bubble(page, reply).getByTestId('quote').waitFor();
      expect(await bubble(page, reply).getByTestId('quote').textContent()).toContain('Is the order on its way?');
      expect(await bubble(page, reply).locator('.text').textContent()).toBe(`Asking for @${from} too`);
      expect(await bubble(page, reply).getByTestId('mention').textContent()).toBe(`@${from}`);
      expect(await bubble(page, orphan).getByTestId('quote').textContent()).toBe('a message');
      expect(await bubble(page, question).getByTestId('quote').count()).toBe(0);
      // The quote brings the message it quotes into view.
      await expect.poll(() => inView(page, question)).toBe(false);
      await bubble(page, reply).getByTestId('quote').click();
      await expect.poll(() => inView(page, question)).toBe(true);
      expect(await contrastOf(bubble(page, reply).getByTestId('mention'))).toBeGreaterThanOrEqual(4.5);
      expect(await contrastOf(bubble(page, reply).locator('.quote-who'))).toBeGreaterThanOrEqual(4.5);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    });

    it('shows a reaction under its target; a second one counts up, a changed one moves', async () => {
      const from = newSender();
      const other = newSender();
      const target = await receive(from, { text: 'Your parcel has arrived' });
      await page.goto(chatUrl(from));
      await bubble(page, target).waitFor();
      expect(await bubble(page, target).getByTestId('reaction').count()).toBe(0);

      await receive(from, { reaction: { messageId: target, emoji: '👍' } });
      await expect.poll(() => reactionCounts(page, target), NEXT_POLL).toEqual({ '👍': 1 });
      // The reaction is a change to its target, not a message of its own.
      expect(await page.getByTestId('message').count()).toBe(1);

      await receive(other, { reaction: { messageId: target, emoji: '👍' } });
      await expect.poll(() => reactionCounts(page, target), NEXT_POLL).toEqual({ '👍': 2 });
      const chip = bubble(page, target).getByTestId('reaction');
      expect(await chip.getAttribute('title')).toMatch(/^\+44[\d ]+, \+44[\d ]+$/);

      await receive(from, { reaction: { messageId: target, emoji: '❤️' } });
      await expect.poll(() => reactionCounts(page, target), NEXT_POLL).toEqual({ '👍': 1, '❤️': 1 });
      if (size === 'desktop') expect(await chatRow(page, from).locator('.chat-preview').textContent()).toContain('Your parcel has arrived');
      expect(await contrastOf(chip.first())).toBeGreaterThanOrEqual(4.5);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    });

    it('shows a poll whose tallies update as virtual peers vote, and names it in the conversation list', async () => {
      const from = newSender();
      const voter = newSender();
      const poll = await receive(from, { poll: { question: 'Which delivery day?', options: ['Monday', 'Tuesday', 'Friday'], multipleAnswers: true } });
      await page.goto(chatUrl(from));
      await bubble(page, poll).getByTestId('poll').waitFor();
      expect(await bubble(page, poll).getByTestId('poll').textContent()).toContain('Several answers allowed');
      expect(await tallies(page, poll)).toEqual({ Monday: 0, Tuesday: 0, Friday: 0 });

      await receive(from, { pollVote: { messageId: poll, options: ['Monday', 'Friday'] } });
      await expect.poll(() => tallies(page, poll), NEXT_POLL).toEqual({ Monday: 1, Tuesday: 0, Friday: 1 });
      await receive(voter, { pollVote: { messageId: poll, options: ['Friday'] } });
      await expect.poll(() => tallies(page, poll), NEXT_POLL).toEqual({ Monday: 1, Tuesday: 0, Friday: 2 });
      // A changed vote replaces the voter's earlier one.
      await receive(from, { pollVote: { messageId: poll, options: ['Tuesday'] } });
      await expect.poll(() => tallies(page, poll), NEXT_POLL).toEqual({ Monday: 0, Tuesday: 1, Friday: 1 });
      const barWidth = (option: string) => bubble(page, poll).locator(`[data-option="${option}"] .poll-bar span`).evaluate((el) => el.getBoundingClientRect().width);
      expect(await barWidth('Monday')).toBe(0);
      expect(await barWidth('Friday')).toBeGreaterThan(0);
      expect(await contrastOf(bubble(page, poll).getByTestId('poll-count').first())).toBeGreaterThanOrEqual(4.5);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

      if (size === 'desktop') expect(await chatRow(page, from).locator('.chat-preview').textContent()).toContain('📊 Poll: Which delivery day?');
      await shot(page, `chat-poll-${size}`);
    });

    it('shows a location with its coordinates and a map link, and a contact card that opens its chat', async () => {
      const from = newSender();
      const card = newSender();
      const place = await receive(from, { location: { latitude: 51.50135, longitude: -0.14189, name: 'Buckingham Palace', address: 'London SW1A 1AA' } });
      const contact = await receive(from, { contact: { name: 'Carla Courier', phone: `+${card}` } });
      await page.goto(chatUrl(from));

      const location = bubble(page, place).getByTestId('location');
      await location.waitFor();
      const text = await location.textContent();
      expect(text).toContain('Buckingham Palace');
      expect(text).toContain('London SW1A 1AA');
      expect(text).toContain('51.50135, -0.14189');
      const map = location.getByRole('link', { name: 'Open in a map' });
      expect(await map.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=51.50135&mlon=-0.14189#map=16/51.50135/-0.14189');
      expect(await map.getAttribute('rel')).toContain('noopener');
      expect(await map.getAttribute('target')).toBe('_blank');

      const cardBox = bubble(page, contact).getByTestId('contact-card');
      expect(await cardBox.textContent()).toContain('Carla Courier');
      expect((await cardBox.textContent())?.replace(/\D/g, '')).toContain(card);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      if (size === 'desktop') expect(await chatRow(page, from).locator('.chat-preview').textContent()).toContain('👤 Contact: Carla Courier');
      await shot(page, `chat-location-card-${size}`);

      await cardBox.getByRole('link', { name: 'Chat with Carla Courier' }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('chat')).toBe(card);
      await page.getByText('No messages in this chat yet.').waitFor();

      await receive(from, { location: { latitude: 48.8584, longitude: 2.2945 } });
      if (size === 'desktop') await expect.poll(() => chatRow(page, from).locator('.chat-preview').textContent(), NEXT_POLL).toContain('📍 Location');
    });

    it('shows an edit with its new text and an "edited" mark that lists the old text, and a delete as deleted', async () => {
      const from = newSender();
      const edited = await receive(from, { text: 'Meet at 5' });
      const deleted = await receive(from, { text: 'My card number is 1234' });
      await page.goto(chatUrl(from));
      await bubble(page, deleted).waitFor();

      await receive(from, { edit: { messageId: edited, text: 'Meet at 6' } });
      await expect.poll(() => bubble(page, edited).locator('.text').textContent(), NEXT_POLL).toBe('Meet at 6');
      const mark = bubble(page, edited).getByTestId('edited');
      expect(await mark.locator('summary').textContent()).toBe('edited');
      expect(await mark.locator('.edits').isVisible()).toBe(false);
      await mark.locator('summary').click();
      expect(await mark.locator('.edits li').allTextContents()).toEqual(['Meet at 5']);

      await receive(from, { delete: { messageId: deleted } });
      await bubble(page, deleted).getByTestId('deleted').waitFor();
      expect(await bubble(page, deleted).textContent()).not.toContain('1234');
      expect(await bubble(page, deleted).getByTestId('deleted').textContent()).toContain('This message was deleted');
      expect(await page.getByTestId('message').count()).toBe(2);

      expect(await contrastOf(mark.locator('summary'))).toBeGreaterThanOrEqual(4.5);
      expect(await contrastOf(bubble(page, deleted).getByTestId('deleted'))).toBeGreaterThanOrEqual(4.5);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      if (size === 'desktop') await expect.poll(() => chatRow(page, from).locator('.chat-preview').textContent(), NEXT_POLL).toContain('Message deleted');
      await shot(page, `chat-kinds-${size}`);
    });

    it('plays a voice note in a player labelled "Voice message" and shows a sticker as a picture', async () => {
      const from = newSender();
      const ogg = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(256, 1)]);
      const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(64)]);
      const voice = await receive(from, { media: { kind: 'voice', base64: ogg.toString('base64'), mimeType: 'audio/ogg; codecs=opus' } });
      const sticker = await receive(from, { media: { kind: 'sticker', base64: webp.toString('base64'), mimeType: 'image/webp' } });
      await page.goto(chatUrl(from));

      const player = bubble(page, voice).getByTestId('media-audio');
      await player.waitFor();
      expect(await player.getAttribute('aria-label')).toBe('Voice message');
      await bubble(page, sticker).getByRole('img', { name: 'Sticker' }).waitFor();
      if (size === 'desktop') expect(await chatRow(page, from).locator('.chat-preview').textContent()).toContain('Sticker');
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    });
  });
}

/** Whether the message is inside the visible part of the scrolling list. */
function inView(page: Page, messageId: string): Promise<boolean> {
  return page.getByTestId('messages').evaluate((list, id) => {
    const item = list.querySelector(`[data-message-id="${id}"]`);
    if (!item) return false;
    const box = list.getBoundingClientRect();
    const at = item.getBoundingClientRect();
    return at.bottom > box.top && at.top < box.bottom;
  }, messageId);
}
