import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlUrl, startControlServer } from '../../emulator/control.js';
import { baileysDriver } from '../engines/contract/baileys-driver.js';
import { linkByQr, restartAfterPairing, type Linked } from '../engines/contract/steps.js';

/** The emulator's HTTP remote control, driven as a developer would with curl. */
describe('emulator control routes', () => {
  const driver = baileysDriver();
  let server: Server;
  let device: Linked;

  const post = async (path: string, body: object) => {
    const res = await fetch(`${controlUrl(server)}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const message = async (id: unknown) => (await device.events.find('message', (e) => e.message.messageId === id)).message;

  beforeAll(async () => {
    await driver.setup();
    server = await startControlServer(driver.emulator);
    device = await linkByQr(driver);
  });
  afterAll(async () => {
    server?.close();
    await driver.teardown();
  });

  it('a peer sends a document, a location, a contact card, a reaction and a reply', async () => {
    const peer = `/peers/${driver.peer.phone}/send`;
    const doc = await post(peer, { documentBase64: Buffer.from('hello doc').toString('base64'), fileName: 'a.txt', mimetype: 'text/plain' });
    const docMessage = await message(doc.body.id);
    expect(docMessage).toMatchObject({ type: 'document', media: { fileName: 'a.txt', mimeType: 'text/plain' } });
    expect((await docMessage.media!.download()).toString()).toBe('hello doc');

    const location = await post(peer, { location: { latitude: 1.5, longitude: -2.25, name: 'Somewhere' } });
    expect(await message(location.body.id)).toMatchObject({ type: 'location', location: { latitude: 1.5, longitude: -2.25, name: 'Somewhere' } });

    const card = await post(peer, { contact: { name: 'Carol', phone: '+7 900 555 11 11' } });
    expect(await message(card.body.id)).toMatchObject({ type: 'contact', contacts: [{ name: 'Carol', phone: '79005551111' }] });

    await post(peer, { reaction: { messageId: doc.body.id, emoji: '❤️' } });
    const reaction = await device.events.find('message_update', (e) => e.update.targetMessageId === doc.body.id);
    expect(reaction.update).toMatchObject({ fromJid: driver.peer.jid, change: { kind: 'reaction', emoji: '❤️' } });

    const voice = await post(peer, { audioBase64: Buffer.from('opus bytes').toString('base64'), ptt: true, mimetype: 'audio/ogg; codecs=opus' });
    const voiceMessage = await message(voice.body.id);
    expect(voiceMessage).toMatchObject({ type: 'voice', media: { kind: 'voice', mimeType: 'audio/ogg; codecs=opus' } });
    expect((await voiceMessage.media!.download()).toString()).toBe('opus bytes');

    const reply = await post(peer, { text: 'see above', quotedMessageId: doc.body.id, mentions: [driver.peer.jid] });
    expect(await message(reply.body.id)).toMatchObject({ type: 'text', text: 'see above', quotedMessageId: doc.body.id, mentions: [driver.peer.jid] });

    await post(peer, { edit: { messageId: reply.body.id, text: 'see below' } });
    await post(peer, { revoke: { messageId: reply.body.id } });
    const change = (kind: string) => device.events.find('message_update', (e) => e.update.targetMessageId === reply.body.id && e.update.change.kind === kind);
    expect((await change('edit')).update.change).toEqual({ kind: 'edit', text: 'see below' });
    expect((await change('delete')).update.fromJid).toBe(driver.peer.jid);
  });

  it('the phone sends from itself to a peer', async () => {
    const sent = await post(`/phone/send-to/${driver.peer.phone}`, { text: 'from my phone' });
    expect(await message(sent.body.id)).toMatchObject({ fromMe: true, chatJid: driver.peer.jid, text: 'from my phone' });
  });

  it('a peer types and goes offline, to a device that subscribed to its presence', async () => {
    // The device heard from the peer in the test before, so it asked for the peer's presence.
    expect(await post(`/peers/${driver.peer.phone}/presence`, { state: 'composing' })).toEqual({ status: 200, body: { delivered: 1 } });
    expect((await device.events.find('presence', (e) => e.presence.state === 'composing')).presence).toMatchObject({ chatJid: driver.peer.jid, fromJid: driver.peer.jid });
    await post(`/peers/${driver.peer.phone}/presence`, { state: 'unavailable' });
    const offline = await device.events.find('presence', (e) => e.presence.state === 'unavailable');
    expect(offline.presence.lastSeen).toBeGreaterThan(0);
  });

  it('the phone confirms a pairing code for the number the companion asked for', async () => {
    const other = driver.newDevice();
    const code = await other.session.requestPairingCode('+1 555 777 0000');
    const res = await post('/pairing-code', { phone: '15557770000', code });
    expect(res).toEqual({ status: 200, body: { jid: expect.stringMatching(/^15557770000:\d+@s\.whatsapp\.net$/) } });
    await restartAfterPairing(other);
    expect(await other.events.next('connected')).toMatchObject({ jid: '15557770000@s.whatsapp.net' });
  });

  it('a peer creates a group with the account in it, renames it and removes the account', async () => {
    const created = await post('/groups', { by: driver.peer.phone, subject: 'From the peer', participants: [driver.emulator.defaultPhone] });
    const groupId = created.body.groupId as string;
    const joined = await device.events.find('group', (e) => e.event.kind === 'joined' && e.event.group.id === groupId);
    expect(joined.event).toMatchObject({ group: { subject: 'From the peer', owner: driver.peer.jid }, by: driver.peer.jid });
    const events = `/groups/${groupId}/events`;
    expect(await post(events, { by: driver.peer.phone, action: 'update', subject: 'Renamed' })).toEqual({ status: 200, body: { results: [] } });
    const updated = await device.events.find('group', (e) => e.event.kind === 'updated' && e.event.groupId === groupId);
    expect(updated.event).toEqual({ kind: 'updated', groupId, changes: { subject: 'Renamed' }, by: driver.peer.jid });
    expect(await post(events, { by: driver.peer.phone, action: 'remove', participants: [driver.emulator.defaultPhone] })).toEqual({
      status: 200,
      body: { results: [{ jid: `${driver.emulator.defaultPhone}@s.whatsapp.net`, code: 200 }] },
    });
    expect((await device.events.find('group', (e) => e.event.kind === 'left' && e.event.groupId === groupId)).event).toMatchObject({ by: driver.peer.jid });
    const group = await (await fetch(`${controlUrl(server)}/groups/${groupId}`)).json();
    expect(group).toMatchObject({ jid: groupId, subject: 'Renamed', members: [{ jid: driver.peer.jid, admin: 'superadmin' }] });
    expect(await post(events, { by: driver.lidPeer.phone, action: 'leave' })).toEqual({ status: 409, body: { error: `${driver.lidPeer.phone} is not a member of ${groupId}` } });
    expect(await post(events, { by: driver.peer.phone, action: 'kick' })).toEqual({
      status: 400,
      body: { error: '"action" must be one of add, remove, promote, demote, update, leave' },
    });
  });

  it('answers 400 naming what is missing or wrong', async () => {
    expect(await post(`/peers/${driver.peer.phone}/send`, {})).toEqual({
      status: 400,
      body: { error: 'give one of "text", "imageBase64", "documentBase64", "audioBase64", "location", "contact", "reaction", "edit" or "revoke"' },
    });
    expect(await post(`/peers/${driver.peer.phone}/send`, { location: { latitude: 'north' } })).toEqual({
      status: 400,
      body: { error: '"location.latitude" must be a number' },
    });
    expect((await post('/pairing-code', { phone: '15557770000' })).body).toEqual({ error: '"code" must be a non-empty string' });
    expect(await post(`/peers/${driver.peer.phone}/presence`, { state: 'dancing' })).toEqual({
      status: 400,
      body: { error: '"state" must be one of available, unavailable, composing, recording, paused' },
    });
  });
});
