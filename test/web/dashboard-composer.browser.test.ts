import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, linkInstance, receiveMessage } from '../support/app.js';
import { shot, sidewaysOverflow, signedInPage, SIZES, useDashboard } from './browser.js';

/*
 * The composer (issue 18): reply, react, polls whose tally follows a peer's vote, locations,
 * contact cards and voice notes, sent from the dashboard on the simulator. The peer is a second
 * instance, so what it received is read from its own history, as a client of the API would.
 */

const dashboard = useDashboard();

type Row = Record<string, any>;
/** Changes show at the chat's next poll (every 1.5 s). */
const NEXT_POLL = { timeout: 10_000 };
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(256, 1)]);

const bubble = (page: Page, messageId: string) => page.locator(`[data-testid="message"][data-message-id="${messageId}"]`);
const composer = (page: Page) => page.getByRole('textbox', { name: /^Message/ });
const tool = (page: Page, name: string) => page.getByRole('group', { name: 'Send something else' }).getByRole('button', { name });

describe('the composer', () => {
  let page: Awaited<ReturnType<typeof signedInPage>>;
  let me: { id: string; jid: string };
  let peer: { id: string; jid: string };
  const as = () => ({ as: dashboard.server.admin });
  const chatUrl = (chat: string) => `${dashboard.base}/instances/${encodeURIComponent(me.id)}/chat?chat=${encodeURIComponent(chat)}`;
  /** The messages of `chat` in `instanceId`'s history, newest first. */
  const historyOf = async (instanceId: string, chat: string): Promise<Row[]> =>
    (await dashboard.server.request('GET', `/api/instances/${instanceId}/chats/${encodeURIComponent(chat)}/messages?limit=100`, as())).body.messages;
  /** The first message of the history `matching`, once it is there. */
  const found = (instanceId: string, chat: string, matching: (m: Row) => boolean, what: string) =>
    eventually(async () => (await historyOf(instanceId, chat)).find(matching), 5000, what);
  /** The peer writes to us through the API, as a real phone would. */
  const peerSends = async (message: string): Promise<string> => {
    const res = await dashboard.server.request('POST', `/api/whatsapp/${peer.id}/send`, { ...as(), body: { phone: me.jid, message } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await found(me.id, peer.jid, (m) => m.messageId === res.body.id, `"${message}" at our side`);
    return res.body.id;
  };

  beforeAll(async () => {
    me = await linkInstance(dashboard.server, dashboard.server.admin, { phone: '15550019001', pushName: 'Support desk' });
    peer = await linkInstance(dashboard.server, dashboard.server.admin, { phone: '15550019002', pushName: 'Pat Peer' });
    page = await signedInPage(dashboard);
  });

  afterAll(async () => {
    await page?.context().close();
  });

  it('replies to a message with its quote, reacts to it, and sends a poll whose tally follows the peer’s vote', async () => {
    const question = await peerSends('Is my order on its way?');
    await page.goto(chatUrl(peer.jid));
    await bubble(page, question).waitFor();

    // Reply: the quote shows above the input, Escape drops it, choosing Reply again brings it back.
    await bubble(page, question).getByRole('button', { name: 'Message actions' }).click();
    await bubble(page, question).getByRole('button', { name: 'Reply' }).click();
    await page.getByTestId('reply-preview').waitFor();
    expect(await page.getByTestId('reply-preview').textContent()).toContain('Is my order on its way?');
    expect(await composer(page).evaluate((el) => el === document.activeElement)).toBe(true);
    await composer(page).press('Escape');
    expect(await page.getByTestId('reply-preview').count()).toBe(0);
    await bubble(page, question).getByRole('button', { name: 'Message actions' }).click();
    await bubble(page, question).getByRole('button', { name: 'Reply' }).click();
    await composer(page).fill('Yes, it left this morning');
    await shot(page, 'composer-reply-desktop', { doc: true });
    await composer(page).press('Enter');
    await page.getByTestId('reply-preview').waitFor({ state: 'detached' });

    const atPeer = await found(peer.id, me.jid, (m) => m.content === 'Yes, it left this morning', 'the reply at the peer');
    expect(atPeer).toMatchObject({ fromMe: false, quotedMessageId: question });
    await bubble(page, atPeer.messageId).getByTestId('quote').waitFor();
    expect(await bubble(page, atPeer.messageId).getByTestId('quote').textContent()).toContain('Is my order on its way?');

    // React: stored on the message, shown under it; "Remove reaction" takes it back.
    await bubble(page, question).getByRole('button', { name: 'Message actions' }).click();
    await shot(page, 'message-menu-desktop', { doc: true });
    await bubble(page, question).getByRole('button', { name: 'React 👍' }).click();
    await bubble(page, question).getByTestId('reaction').filter({ hasText: '👍' }).waitFor(NEXT_POLL);
    const reacted = await found(me.id, peer.jid, (m) => m.messageId === question && m.reactions?.length > 0, 'the reaction on the message');
    expect(reacted.reactions).toEqual([expect.objectContaining({ from: me.jid, emoji: '👍' })]);
    await found(peer.id, me.jid, (m) => m.messageId === question && m.reactions?.some((r: Row) => r.emoji === '👍'), 'the reaction at the peer');
    expect(await bubble(page, question).getByRole('button', { name: 'React 👍' }).isVisible()).toBe(false);

    // Poll: sent from the tool, then the peer votes and the tally on screen follows.
    await tool(page, '📊 Poll').click();
    await page.getByLabel('Question').fill('Which delivery day?');
    await page.getByLabel('Option 1', { exact: true }).fill('Monday');
    await page.getByLabel('Option 2', { exact: true }).fill('Tuesday');
    await page.getByRole('button', { name: 'Add an option' }).click();
    await page.getByLabel('Option 3', { exact: true }).fill('Friday');
    await page.getByLabel('Allow several answers').check();
    await shot(page, 'composer-poll-desktop', { doc: true });
    await page.getByRole('button', { name: 'Send poll' }).click();
    await page.getByRole('form', { name: 'Send a poll' }).waitFor({ state: 'detached' });

    const poll = await found(me.id, peer.jid, (m) => m.messageType === 'poll', 'the poll');
    expect(poll.poll).toMatchObject({ question: 'Which delivery day?', options: ['Monday', 'Tuesday', 'Friday'], multipleAnswers: true });
    await bubble(page, poll.messageId).getByTestId('poll').waitFor();
    await receiveMessage(dashboard.server, dashboard.server.admin, me.id, { from: peer.jid, pollVote: { messageId: poll.messageId, options: ['Tuesday', 'Friday'] } });
    const tally = (option: string) => bubble(page, poll.messageId).locator(`[data-option="${option}"] [data-testid="poll-count"]`).textContent();
    await expect.poll(() => tally('Friday'), NEXT_POLL).toBe('1');
    expect(await tally('Tuesday')).toBe('1');
    expect(await tally('Monday')).toBe('0');
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  });

  it('sends a location, refusing a latitude past 90 before it leaves the browser', async () => {
    await page.goto(chatUrl(peer.jid));
    await composer(page).waitFor();
    await tool(page, '📍 Location').click();
    await page.getByLabel('Latitude').fill('91');
    await page.getByLabel('Longitude').fill('2.2945');
    await page.getByRole('button', { name: 'Send location' }).click();
    expect(await page.getByLabel('Latitude').evaluate((el) => (el as HTMLInputElement).validity.rangeOverflow)).toBe(true);

    await page.getByLabel('Latitude').fill('48.8584');
    await page.getByLabel('Place name (optional)').fill('Eiffel Tower');
    await page.getByRole('button', { name: 'Send location' }).click();
    const sent = await found(peer.id, me.jid, (m) => m.messageType === 'location', 'the location at the peer');
    expect(sent.location).toMatchObject({ latitude: 48.8584, longitude: 2.2945, name: 'Eiffel Tower' });
    expect((await historyOf(me.id, peer.jid)).filter((m) => m.messageType === 'location')).toHaveLength(1);
    await bubble(page, sent.messageId).getByTestId('location').waitFor(NEXT_POLL);
  });

  it('sends two contact cards in one message, the optional fields only when filled', async () => {
    await page.goto(chatUrl(peer.jid));
    await tool(page, '👤 Contact').click();
    const first = page.getByTestId('card-fields').first();
    await first.getByLabel('Name').fill('Carla Courier');
    await first.getByLabel('Phone').fill('+44 7700 900123');
    await first.getByLabel('Organization (optional)').fill('Fast Parcels');
    await page.getByRole('button', { name: 'Add a card' }).click();
    const second = page.getByTestId('card-fields').nth(1);
    await second.getByLabel('Name').fill('Dan Dispatch');
    await second.getByLabel('Phone').fill('447700900456');
    await second.getByLabel('Email (optional)').fill('dan@example.com');
    await shot(page, 'composer-contact-desktop', { doc: true });
    await page.getByRole('button', { name: 'Send 2 contacts' }).click();

    const sent = await found(peer.id, me.jid, (m) => m.messageType === 'contact', 'the cards at the peer');
    expect(sent.contacts.map((c: Row) => c.name)).toEqual(['Carla Courier', 'Dan Dispatch']);
    expect(sent.contacts[0].vcard).toContain('Fast Parcels');
    expect(sent.contacts[1].vcard).toContain('dan@example.com');
    await bubble(page, sent.messageId).getByTestId('contact-card').nth(1).waitFor(NEXT_POLL);
  });

  it('sends an Ogg voice note picked from the disk as a voice note', async () => {
    await page.goto(chatUrl(peer.jid));
    await tool(page, '🎤 Voice note').click();
    await page.getByLabel(/pick an audio file/i).setInputFiles({ name: 'note.ogg', mimeType: 'audio/ogg', buffer: OGG });
    await page.getByTestId('voice-ready').waitFor();
    await page.getByRole('button', { name: 'Send voice note' }).click();
    const sent = await found(peer.id, me.jid, (m) => m.messageType === 'voice', 'the voice note at the peer');
    expect(sent).toMatchObject({ mimeType: 'audio/ogg; codecs=opus', mediaSize: OGG.length });
    await bubble(page, sent.messageId).getByTestId('media-audio').waitFor(NEXT_POLL);
  });

  it('fits a phone screen with every tool and a message menu open', async () => {
    await page.setViewportSize(SIZES.phone);
    await page.goto(chatUrl(peer.jid));
    const last = page.getByTestId('message').last();
    await last.getByRole('button', { name: 'Message actions' }).click();
    await last.getByRole('button', { name: 'Forward' }).click();
    await last.getByLabel('Forward to').waitFor();
    for (const name of ['📍 Location', '👤 Contact', '📊 Poll', '🎤 Voice note']) {
      await tool(page, name).click();
      expect(await tool(page, name).getAttribute('aria-expanded')).toBe('true');
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    }
    await shot(page, 'composer-phone');
    await page.setViewportSize(SIZES.desktop);
  });
});
