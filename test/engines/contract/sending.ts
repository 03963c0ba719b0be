import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineDriver } from './driver.js';
import { linkByQr, nowSeconds, sampleBytes, statusesUntilRead, type Linked } from './steps.js';

export function sendingContract(driver: EngineDriver): void {
  describe('sending', () => {
    // These tests only add messages, each found by its id: one linked device serves them all.
    let device: Linked;
    beforeAll(async () => {
      device = await linkByQr(driver);
    });

    it('sendText returns the message id and time; the peer gets the text; status goes sent → delivered → read', async () => {
      const sent = await device.session.sendText(driver.peer.jid, 'hello from the gateway');
      expect(sent.messageId).toMatch(/^[0-9A-F]{12,}$/);
      expect(Math.abs(sent.timestamp - nowSeconds())).toBeLessThan(5);
      expect(await driver.peerReceived(device, sent.messageId)).toMatchObject({ text: 'hello from the gateway' });
      expect(await statusesUntilRead(device, sent.messageId)).toEqual(['sent', 'delivered', 'read']);
      const statuses = device.events.all('message_status').filter((e) => e.messageId === sent.messageId);
      for (const e of statuses) expect(e).toMatchObject({ chatJid: driver.peer.jid, fromMe: true });
      // Our own send is reported by its statuses, never echoed back as a received message.
      expect(device.events.all('message').some((e) => e.message.messageId === sent.messageId)).toBe(false);
    });

    it('sendMedia delivers an image and a document byte for byte, with caption, MIME type and file name', async () => {
      const image = sampleBytes(5000);
      const sentImage = await device.session.sendMedia(driver.peer.jid, { kind: 'image', data: image, mimeType: 'image/png', caption: 'a picture' });
      expect(sentImage.messageId).toMatch(/^[0-9A-F]{12,}$/);
      expect(Math.abs(sentImage.timestamp - nowSeconds())).toBeLessThan(5);
      const gotImage = await driver.peerReceived(device, sentImage.messageId);
      expect(gotImage).toMatchObject({ caption: 'a picture', mimeType: 'image/png' });
      expect(gotImage.data?.equals(image)).toBe(true);

      const doc = Buffer.from('%PDF-1.4 not really a pdf, just bytes for the round trip');
      const sentDoc = await device.session.sendMedia(driver.peer.jid, {
        kind: 'document',
        data: doc,
        mimeType: 'application/pdf',
        fileName: 'contract.pdf',
        caption: 'please sign',
      });
      const gotDoc = await driver.peerReceived(device, sentDoc.messageId);
      expect(gotDoc).toMatchObject({ caption: 'please sign', mimeType: 'application/pdf', fileName: 'contract.pdf' });
      expect(gotDoc.data?.equals(doc)).toBe(true);
      expect(await statusesUntilRead(device, sentDoc.messageId)).toEqual(['sent', 'delivered', 'read']);
    });

    it('a reply quotes the message it answers and mentions reach the peer, for text and media', async () => {
      const question = await driver.peerSends(device, { text: 'which one?' });
      const quoted = { messageId: question, chatJid: driver.peer.jid, fromMe: false, senderJid: driver.peer.jid, text: 'which one?' };
      const reply = await device.session.sendText(driver.peer.jid, 'this one, @' + driver.peer.phone, { quoted, mentions: [driver.peer.jid] });
      expect(await driver.peerReceived(device, reply.messageId)).toMatchObject({ text: 'this one, @' + driver.peer.phone, quotedMessageId: question, mentions: [driver.peer.jid] });

      const ownQuoted = { messageId: reply.messageId, chatJid: driver.peer.jid, fromMe: true, senderJid: device.jid, text: 'this one' };
      const image = sampleBytes(800);
      const picture = await device.session.sendMedia(driver.peer.jid, { kind: 'image', data: image, mimeType: 'image/png', caption: 'see' }, { quoted: ownQuoted, mentions: [driver.peer.jid] });
      const got = await driver.peerReceived(device, picture.messageId);
      expect(got).toMatchObject({ caption: 'see', quotedMessageId: reply.messageId, mentions: [driver.peer.jid] });
      expect(got.data?.equals(image)).toBe(true);
    });

    it('sendLocation pins a place the peer sees with its name and address', async () => {
      const location = { latitude: 55.7539, longitude: 37.6208, name: 'Red Square', address: 'Moscow' };
      const sent = await device.session.sendLocation(driver.peer.jid, location);
      expect(await driver.peerReceived(device, sent.messageId)).toMatchObject({ location });
      expect(await statusesUntilRead(device, sent.messageId)).toEqual(['sent', 'delivered', 'read']);
    });

    it('sendContacts delivers every card with its vCard unchanged', async () => {
      const cards = [
        { name: 'Carol', phone: '79005551111', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Carol\nTEL;type=CELL;waid=79005551111:+79005551111\nEND:VCARD' },
        { name: 'Dave', phone: '79005552222', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Dave\nORG:Acme\nTEL;type=CELL;waid=79005552222:+79005552222\nEND:VCARD' },
      ];
      const several = await device.session.sendContacts(driver.peer.jid, cards);
      expect((await driver.peerReceived(device, several.messageId)).contacts).toEqual(cards);
      const one = await device.session.sendContacts(driver.peer.jid, [cards[0]]);
      expect((await driver.peerReceived(device, one.messageId)).contacts).toEqual([cards[0]]);
    });

    it("sendPoll reaches the peer, and the peer's vote comes back by option names", async () => {
      const poll = { question: 'Lunch?', options: ['Pizza', 'Sushi', 'Soup'], multipleAnswers: false };
      const sent = await device.session.sendPoll(driver.peer.jid, poll);
      // Kept as the services keep it, with whatever secret the engine chose.
      device.events.keepSentPoll(sent.messageId, { ...poll, secret: sent.pollSecret, creatorJid: device.jid });
      expect(await driver.peerReceived(device, sent.messageId)).toMatchObject({ poll });
      await driver.peerSends(device, { pollVote: { targetMessageId: sent.messageId, options: ['Sushi'] } });
      const vote = await device.events.find('message_update', (e) => e.update.targetMessageId === sent.messageId);
      expect(vote.update).toMatchObject({ chatJid: driver.peer.jid, fromJid: driver.peer.jid, fromMe: false, change: { kind: 'poll_vote', options: ['Sushi'] } });
    });

    it('react, editText and deleteForEveryone reach the peer as changes of that message', async () => {
      const theirs = await driver.peerSends(device, { text: 'good news' });
      const theirsRef = { messageId: theirs, chatJid: driver.peer.jid, fromMe: false, senderJid: driver.peer.jid };
      await device.session.react(theirsRef, '🎉');
      expect(await driver.peerGotChange(device, theirs, 'reaction')).toEqual({ kind: 'reaction', emoji: '🎉' });

      const ours = await device.session.sendText(driver.peer.jid, 'see you at 5');
      await driver.peerReceived(device, ours.messageId);
      const oursRef = { messageId: ours.messageId, chatJid: driver.peer.jid, fromMe: true, senderJid: device.jid };
      await device.session.editText(oursRef, 'see you at 6');
      expect(await driver.peerGotChange(device, ours.messageId, 'edit')).toEqual({ kind: 'edit', text: 'see you at 6' });
      await device.session.deleteForEveryone(oursRef);
      expect(await driver.peerGotChange(device, ours.messageId, 'delete')).toEqual({ kind: 'delete' });
      // Our own changes are recorded by the services, never echoed back as someone's update.
      expect(device.events.all('message_update').filter((e) => e.update.fromMe)).toEqual([]);
    });

    it('a forwarded send reaches the peer labelled forwarded', async () => {
      const sent = await device.session.sendText(driver.peer.jid, 'passed on', { forwarded: true });
      expect(await driver.peerReceived(device, sent.messageId)).toMatchObject({ text: 'passed on', forwarded: true });
    });

    it("markRead tells the peer we read its messages; our own are left out", async () => {
      const first = await driver.peerSends(device, { text: 'are you there?' });
      const second = await driver.peerSends(device, { text: 'hello?' });
      const ours = await device.session.sendText(driver.peer.jid, 'yes');
      const ref = (messageId: string, fromMe = false) => ({ messageId, chatJid: driver.peer.jid, fromMe, senderJid: fromMe ? device.jid : driver.peer.jid });
      await device.session.markRead([ref(first), ref(second), ref(ours.messageId, true)]);
      await driver.peerSawRead(device, first);
      await driver.peerSawRead(device, second);
    });

    it('sendPresence shows typing or recording in the chat, and online to everyone', async () => {
      await device.session.sendPresence('composing', driver.peer.jid);
      await driver.peerSawPresence(device, 'composing');
      await device.session.sendPresence('recording', driver.peer.jid);
      await driver.peerSawPresence(device, 'recording');
      await device.session.sendPresence('paused', driver.peer.jid);
      await driver.peerSawPresence(device, 'paused');
      // WhatsApp shows an account online under its push name; Baileys sends nothing until the
      // phone has told it the name (app-state sync, which the emulator does not do).
      if (driver.accountName === undefined) return;
      await device.session.sendPresence('available');
      await driver.peerSawPresence(device, 'available');
    });

    it('sendMedia sends a voice note and a sticker as such', async () => {
      const voice = await device.session.sendMedia(driver.peer.jid, { kind: 'voice', data: sampleBytes(600), mimeType: 'audio/ogg; codecs=opus' });
      expect(await driver.peerReceived(device, voice.messageId)).toMatchObject({ kind: 'voice', mimeType: 'audio/ogg; codecs=opus' });
      const sticker = await device.session.sendMedia(driver.peer.jid, { kind: 'sticker', data: sampleBytes(400), mimeType: 'image/webp' });
      expect(await driver.peerReceived(device, sticker.messageId)).toMatchObject({ kind: 'sticker', mimeType: 'image/webp' });
    });
  });
}
