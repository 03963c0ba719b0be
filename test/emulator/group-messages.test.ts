import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baileysDriver } from '../engines/contract/baileys-driver.js';
import { linkByQr, type Linked } from '../engines/contract/steps.js';

/**
 * Group messages with sender keys through the real Baileys client: what it sends is one skmsg
 * for the group plus its sender key to each member device, and each emulated member decrypts it.
 * What a device misses while offline (messages, notifications) waits for its next login.
 */
describe('emulator group messages', () => {
  const driver = baileysDriver();
  let device: Linked;

  beforeAll(async () => {
    await driver.setup();
    device = await linkByQr(driver);
  });
  afterAll(() => driver.teardown());

  it('our message is decrypted by two members, each with its own copy of our sender key', async () => {
    const { group } = await device.session.groups.create('Two members', [driver.peer.jid, driver.lidPeer.jid]);
    const first = await device.session.sendText(group.id, 'to both');
    const second = await device.session.sendText(group.id, 'and again', { mentions: [driver.lidPeer.jid] });
    for (const member of [driver.peer.phone, driver.lidPeer.phone]) {
      const got = await driver.emulator.waitForReceived(member, 2);
      expect(got.map(({ id, group: to, text }) => ({ id, to, text }))).toEqual([
        { id: first.messageId, to: group.id, text: 'to both' },
        { id: second.messageId, to: group.id, text: 'and again' },
      ]);
      expect(got[1]!.message.extendedTextMessage?.contextInfo?.mentionedJid).toEqual([driver.lidPeer.jid]);
    }
  });

  it("a member's messages arrive under its sender key, sent with the first one only, with their author", async () => {
    const { group } = await device.session.groups.create('Authors', [driver.peer.jid, driver.lidPeer.jid]);
    const fromPeer = await driver.emulator.peerGroupSend(driver.peer.phone, group.id, { text: 'from Ivan' });
    const fromLida = await driver.emulator.peerGroupSend(driver.lidPeer.phone, group.id, { text: 'from Lida' });
    const again = await driver.emulator.peerGroupSend(driver.peer.phone, group.id, { text: 'Ivan again' });
    const message = async (id: string) => (await device.events.find('message', (e) => e.message.messageId === id)).message;
    expect(await message(fromPeer)).toMatchObject({ chatJid: group.id, senderJid: driver.peer.jid, text: 'from Ivan', pushName: driver.peer.name });
    expect(await message(fromLida)).toMatchObject({ chatJid: group.id, senderJid: driver.lidPeer.jid, text: 'from Lida' });
    expect(await message(again)).toMatchObject({ chatJid: group.id, senderJid: driver.peer.jid, text: 'Ivan again' });
    await expect(driver.emulator.peerGroupSend('79001237777', group.id, { text: 'not a member' })).rejects.toThrow(/not a member/);
  });

  it('keeps what happened in a group while the device was offline, and delivers it at its next login', async () => {
    const { group } = await device.session.groups.create('While away', [driver.peer.jid]);
    await device.session.groups.participants(group.id, 'promote', [driver.peer.jid]);
    await device.session.stop();
    await device.events.next('closed');
    driver.emulator.peerGroupAct(driver.peer.phone, group.id, { action: 'update', subject: 'Renamed meanwhile' });
    const id = await driver.emulator.peerGroupSend(driver.peer.phone, group.id, { text: 'you missed this' });
    await device.session.start();
    const renamed = await device.events.find('group', (e) => e.event.kind === 'updated' && e.event.groupId === group.id);
    expect(renamed.event).toEqual({ kind: 'updated', groupId: group.id, changes: { subject: 'Renamed meanwhile' }, by: driver.peer.jid });
    const { message } = await device.events.find('message', (e) => e.message.messageId === id);
    expect(message).toMatchObject({ chatJid: group.id, senderJid: driver.peer.jid, text: 'you missed this' });
  });
});
