import { beforeAll, describe, expect, it } from 'vitest';
import type { PresenceState } from '../../../src/engines/engine.js';
import type { EngineDriver } from './driver.js';
import { linkByQr, nowSeconds, sampleBytes, type Linked } from './steps.js';

export function receivingContract(driver: EngineDriver): void {
  const fromPeer = () => ({ chatJid: driver.peer.jid, senderJid: driver.peer.jid, fromMe: false, pushName: driver.peer.name });
  const received = async (device: Linked, messageId: string) =>
    (await device.events.find('message', (e) => e.message.messageId === messageId)).message;
  /** The change made to `targetMessageId` of the given kind: it is an update, never a message. */
  const changed = async (device: Linked, targetMessageId: string, kind: string) =>
    (await device.events.find('message_update', (e) => e.update.targetMessageId === targetMessageId && e.update.change.kind === kind)).update;

  describe('receiving', () => {
    // These tests only add messages, each found by its id: one linked device serves them all.
    let device: Linked;
    beforeAll(async () => {
      device = await linkByQr(driver);
    });

    it('a text from a peer, with the chat, sender, push name and time', async () => {
      const id = await driver.peerSends(device, { text: 'hi gateway' });
      const message = await received(device, id);
      expect(message).toMatchObject({ ...fromPeer(), messageId: id, type: 'text', text: 'hi gateway' });
      expect(Math.abs(message.timestamp - nowSeconds())).toBeLessThan(5);
    });

    it('an image and a document whose download gives the bytes the peer sent', async () => {
      const image = sampleBytes(5000);
      const imageId = await driver.peerSends(device, { media: { kind: 'image', data: image, mimeType: 'image/png', caption: 'a picture' } });
      const imageMessage = await received(device, imageId);
      expect(imageMessage).toMatchObject({
        ...fromPeer(),
        type: 'image',
        caption: 'a picture',
        media: { kind: 'image', mimeType: 'image/png', size: image.length },
      });
      expect((await imageMessage.media!.download()).equals(image)).toBe(true);

      const doc = sampleBytes(777, 13);
      const docId = await driver.peerSends(device, { media: { kind: 'document', data: doc, mimeType: 'application/pdf', fileName: 'terms.pdf' } });
      const docMessage = await received(device, docId);
      expect(docMessage).toMatchObject({ type: 'document', media: { kind: 'document', mimeType: 'application/pdf', fileName: 'terms.pdf', size: doc.length } });
      expect((await docMessage.media!.download()).equals(doc)).toBe(true);
    });

    it('a text that mentions accounts, with their JIDs', async () => {
      const carol = '79005551111@s.whatsapp.net';
      const id = await driver.peerSends(device, { text: 'ask @79005551111', mentions: [carol] });
      expect(await received(device, id)).toMatchObject({ ...fromPeer(), type: 'text', text: 'ask @79005551111', mentions: [carol] });
    });

    it('a voice note, as a voice note whose download gives the bytes recorded', async () => {
      const voice = sampleBytes(900, 7);
      const id = await driver.peerSends(device, { media: { kind: 'voice', data: voice, mimeType: 'audio/ogg; codecs=opus' } });
      const message = await received(device, id);
      expect(message).toMatchObject({ ...fromPeer(), type: 'voice', media: { kind: 'voice', mimeType: 'audio/ogg; codecs=opus', size: voice.length } });
      expect((await message.media!.download()).equals(voice)).toBe(true);
    });

    it('a location', async () => {
      const id = await driver.peerSends(device, { location: { latitude: 55.7558, longitude: 37.6173, name: 'Red Square' } });
      expect(await received(device, id)).toMatchObject({
        ...fromPeer(),
        type: 'location',
        location: { latitude: 55.7558, longitude: 37.6173, name: 'Red Square' },
      });
    });

    it('a contact card, naming the account by its digits whatever way the number was written', async () => {
      const id = await driver.peerSends(device, { contact: { name: 'Carol', phone: '+7 900 555 11 11' } });
      const message = await received(device, id);
      expect(message).toMatchObject({ ...fromPeer(), type: 'contact', contacts: [{ name: 'Carol', phone: '79005551111' }] });
      expect(message.contacts?.[0].vcard).toContain('waid=79005551111');
    });

    it('several contact cards in one message', async () => {
      const id = await driver.peerSends(device, { contacts: [{ name: 'Carol', phone: '79005551111' }, { name: 'Dave', phone: '79005552222' }] });
      expect(await received(device, id)).toMatchObject({
        ...fromPeer(),
        type: 'contact',
        contacts: [
          { name: 'Carol', phone: '79005551111' },
          { name: 'Dave', phone: '79005552222' },
        ],
      });
    });

    it('a poll, and a vote in it by option names', async () => {
      const pollId = await driver.peerSends(device, { poll: { question: 'Lunch?', options: ['Pizza', 'Sushi', 'Soup'], multipleAnswers: true } });
      expect(await received(device, pollId)).toMatchObject({
        ...fromPeer(),
        type: 'poll',
        poll: { question: 'Lunch?', options: ['Pizza', 'Sushi', 'Soup'], multipleAnswers: true },
      });
      await driver.peerSends(device, { pollVote: { targetMessageId: pollId, options: ['Pizza', 'Soup'] } });
      expect(await changed(device, pollId, 'poll_vote')).toMatchObject({
        chatJid: driver.peer.jid,
        fromJid: driver.peer.jid,
        fromMe: false,
        change: { kind: 'poll_vote', options: ['Pizza', 'Soup'] },
      });
    });

    it('an edit and a delete of a message the peer sent, as updates of that message', async () => {
      const id = await driver.peerSends(device, { text: 'helo' });
      await received(device, id);
      await driver.peerSends(device, { edit: { targetMessageId: id, text: 'hello' } });
      expect(await changed(device, id, 'edit')).toMatchObject({ chatJid: driver.peer.jid, fromJid: driver.peer.jid, fromMe: false, change: { kind: 'edit', text: 'hello' } });
      await driver.peerSends(device, { delete: { targetMessageId: id } });
      expect(await changed(device, id, 'delete')).toMatchObject({ fromJid: driver.peer.jid, change: { kind: 'delete' } });
      expect(device.events.all('message').filter((e) => e.message.chatJid === driver.peer.jid && e.message.type === 'unknown')).toEqual([]);
    });

    it('a reaction and a reply to a message we sent, naming that message', async () => {
      const sent = await device.session.sendText(driver.peer.jid, 'lunch at noon?');
      await driver.peerSends(device, { reaction: { targetMessageId: sent.messageId, emoji: '👍' } });
      expect(await changed(device, sent.messageId, 'reaction')).toMatchObject({
        chatJid: driver.peer.jid,
        fromJid: driver.peer.jid,
        fromMe: false,
        change: { kind: 'reaction', emoji: '👍' },
      });
      const replyId = await driver.peerSends(device, { reply: { text: 'yes, see you', quotedMessageId: sent.messageId } });
      expect(await received(device, replyId)).toMatchObject({ ...fromPeer(), type: 'text', text: 'yes, see you', quotedMessageId: sent.messageId });
    });

    it("a peer's typing is reported once its chat's presence was asked for, and its online state", async () => {
      await device.session.subscribePresence(driver.peer.jid);
      const shows = async (state: PresenceState, reported: PresenceState = state) => {
        await driver.peerShowsPresence(device, state);
        const event = await device.events.next('presence', (e) => e.presence.state === reported);
        expect(event.presence).toMatchObject({ chatJid: driver.peer.jid, fromJid: driver.peer.jid, state: reported });
      };
      await shows('composing');
      await shows('recording');
      await shows('paused', driver.capabilities.reportsPausedAsAvailable ? 'available' : 'paused');
      await shows('unavailable');
      await shows('available');
    });

    it('a message the account wrote from the phone itself, as fromMe in the chat with the peer', async () => {
      const id = await driver.phoneSends(device, { text: 'typed on the phone' });
      expect(await received(device, id)).toMatchObject({
        messageId: id,
        chatJid: driver.peer.jid,
        fromMe: true,
        senderJid: device.jid,
        type: 'text',
        text: 'typed on the phone',
      });
    });
  });
}
