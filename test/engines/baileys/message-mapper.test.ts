import { proto, type WAMessage } from 'baileys';
import { describe, expect, it } from 'vitest';
import { mapMessage, type MapContext } from '../../../src/engines/baileys/message-mapper.js';

const PEER = '79001234567@s.whatsapp.net';
const ME = '15550001111@s.whatsapp.net';
const bytes = Buffer.from('media bytes');
const ctx: MapContext = { ownJid: ME, download: () => async () => bytes };

function incoming(message: proto.IMessage, extra: Partial<proto.IWebMessageInfo> = {}): WAMessage {
  return proto.WebMessageInfo.fromObject({
    key: { remoteJid: PEER, fromMe: false, id: 'MSG1' },
    messageTimestamp: 1_700_000_000,
    pushName: 'Ivan',
    message,
    ...extra,
  }) as WAMessage;
}

describe('mapMessage', () => {
  it('maps a plain conversation text', () => {
    expect(mapMessage(incoming({ conversation: 'hello' }), ctx)).toEqual({
      messageId: 'MSG1',
      chatJid: PEER,
      fromMe: false,
      senderJid: PEER,
      pushName: 'Ivan',
      type: 'text',
      text: 'hello',
      timestamp: 1_700_000_000,
    });
  });

  it('maps extended text and its quoted message id', () => {
    const msg = incoming({
      extendedTextMessage: { text: 'reply', contextInfo: { stanzaId: 'ORIG', participant: PEER } },
      messageContextInfo: { messageSecret: Buffer.alloc(32, 1) },
    });
    expect(mapMessage(msg, ctx)).toMatchObject({ type: 'text', text: 'reply', quotedMessageId: 'ORIG' });
  });

  it('maps an image with caption, size and a working downloader', async () => {
    const mapped = mapMessage(
      incoming({
        imageMessage: { caption: 'look', mimetype: 'image/png', fileLength: 2048, url: 'https://x/y' },
      }),
      ctx,
    );
    expect(mapped).toMatchObject({
      type: 'image',
      caption: 'look',
      media: { kind: 'image', mimeType: 'image/png', size: 2048 },
    });
    await expect(mapped?.media?.download()).resolves.toEqual(bytes);
  });

  it('maps video, round video notes, audio, voice notes and stickers', () => {
    expect(mapMessage(incoming({ videoMessage: { mimetype: 'video/mp4', caption: 'clip' } }), ctx))
      .toMatchObject({ type: 'video', caption: 'clip', media: { kind: 'video', mimeType: 'video/mp4' } });
    expect(mapMessage(incoming({ ptvMessage: { mimetype: 'video/mp4' } }), ctx))
      .toMatchObject({ type: 'video', media: { kind: 'video' } });
    expect(mapMessage(incoming({ audioMessage: { mimetype: 'audio/mpeg', seconds: 3 } }), ctx))
      .toMatchObject({ type: 'audio', media: { kind: 'audio', mimeType: 'audio/mpeg' } });
    expect(mapMessage(incoming({ audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true } }), ctx))
      .toMatchObject({ type: 'voice', media: { kind: 'voice', mimeType: 'audio/ogg; codecs=opus' } });
    expect(mapMessage(incoming({ stickerMessage: { mimetype: 'image/webp' } }), ctx))
      .toMatchObject({ type: 'sticker', media: { kind: 'sticker', mimeType: 'image/webp' } });
  });

  it('falls back to a default MIME type when the message has none', () => {
    expect(mapMessage(incoming({ imageMessage: {} }), ctx)?.media?.mimeType).toBe('image/jpeg');
  });

  it('maps documents, with and without the caption wrapper', () => {
    const doc = { mimetype: 'application/pdf', fileName: 'a.pdf', fileLength: 10 };
    expect(mapMessage(incoming({ documentMessage: doc }), ctx)).toMatchObject({
      type: 'document',
      media: { kind: 'document', mimeType: 'application/pdf', fileName: 'a.pdf', size: 10 },
    });
    const wrapped = incoming({
      documentWithCaptionMessage: { message: { documentMessage: { ...doc, caption: 'the contract' } } },
    });
    expect(mapMessage(wrapped, ctx)).toMatchObject({
      type: 'document',
      caption: 'the contract',
      media: { fileName: 'a.pdf' },
    });
  });

  it('maps a location', () => {
    const msg = incoming({
      locationMessage: { degreesLatitude: 55.75, degreesLongitude: 37.62, name: 'Red Square', address: 'Moscow' },
    });
    expect(mapMessage(msg, ctx)).toMatchObject({
      type: 'location',
      location: { latitude: 55.75, longitude: 37.62, name: 'Red Square', address: 'Moscow' },
    });
  });

  it('maps a contact card from its vCard', () => {
    const vcard = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Anna Petrova',
      'TEL;type=CELL;type=VOICE;waid=79005556677:+7 900 555-66-77',
      'END:VCARD',
    ].join('\n');
    expect(mapMessage(incoming({ contactMessage: { displayName: 'Anna', vcard } }), ctx)).toMatchObject({
      type: 'contact',
      contacts: [{ name: 'Anna', phone: '79005556677', vcard }],
    });
  });

  it('maps several contact cards of one message', () => {
    const card = (name: string, digits: string) => ({ displayName: name, vcard: `BEGIN:VCARD\nVERSION:3.0\nFN:${name}\nTEL;waid=${digits}:+${digits}\nEND:VCARD` });
    const msg = incoming({ contactsArrayMessage: { displayName: '2 contacts', contacts: [card('Anna', '79005556677'), card('Boris', '79005556688')] } });
    expect(mapMessage(msg, ctx)).toMatchObject({
      type: 'contact',
      contacts: [
        { name: 'Anna', phone: '79005556677' },
        { name: 'Boris', phone: '79005556688' },
      ],
    });
  });

  it('maps polls of every version with their options, and keeps the vote secret', () => {
    const secret = Buffer.alloc(32, 7);
    const options = [{ optionName: 'Pizza' }, { optionName: 'Sushi' }];
    const v1 = incoming({ pollCreationMessage: { name: 'Lunch?', options, selectableOptionsCount: 0 }, messageContextInfo: { messageSecret: secret } });
    expect(mapMessage(v1, ctx)).toMatchObject({
      type: 'poll',
      poll: { question: 'Lunch?', options: ['Pizza', 'Sushi'], multipleAnswers: true },
      pollSecret: secret.toString('base64'),
    });
    const v2 = incoming({ pollCreationMessageV2: { name: 'One?', options, selectableOptionsCount: 1 } });
    expect(mapMessage(v2, ctx)).toMatchObject({ type: 'poll', poll: { question: 'One?', multipleAnswers: false } });
    const v3 = incoming({ pollCreationMessageV3: { name: 'Three?', options } });
    expect(mapMessage(v3, ctx)).toMatchObject({ type: 'poll', poll: { question: 'Three?', options: ['Pizza', 'Sushi'] } });
  });

  it('maps the JIDs a message mentions', () => {
    const msg = incoming({ extendedTextMessage: { text: 'hi @Anna', contextInfo: { mentionedJid: ['79005556677@s.whatsapp.net'] } } });
    expect(mapMessage(msg, ctx)).toMatchObject({ type: 'text', mentions: ['79005556677@s.whatsapp.net'] });
  });

  it('leaves reactions, edits, revokes and poll votes to the update mapper', () => {
    expect(mapMessage(incoming({ reactionMessage: { key: { id: 'TARGET', remoteJid: PEER }, text: '👍' } }), ctx)).toBeUndefined();
    expect(mapMessage(incoming({ pollUpdateMessage: { pollCreationMessageKey: { id: 'POLL' }, vote: { encPayload: Buffer.alloc(4), encIv: Buffer.alloc(12) } } }), ctx)).toBeUndefined();
  });

  it('unwraps ephemeral and view-once wrappers', () => {
    const ephemeral = incoming({ ephemeralMessage: { message: { conversation: 'secret' } } });
    expect(mapMessage(ephemeral, ctx)).toMatchObject({ type: 'text', text: 'secret' });
    const viewOnce = incoming({
      viewOnceMessageV2: { message: { imageMessage: { caption: 'once', mimetype: 'image/jpeg' } } },
    });
    expect(mapMessage(viewOnce, ctx)).toMatchObject({ type: 'image', caption: 'once' });
    const nested = incoming({
      ephemeralMessage: { message: { viewOnceMessage: { message: { videoMessage: { mimetype: 'video/mp4' } } } } },
    });
    expect(mapMessage(nested, ctx)).toMatchObject({ type: 'video' });
  });

  it('ignores protocol, key-distribution-only and empty messages', () => {
    const revoke = incoming({ protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE, key: { id: 'X' } } });
    expect(mapMessage(revoke, ctx)).toBeUndefined();
    const skd = incoming({
      senderKeyDistributionMessage: { groupId: '123@g.us', axolotlSenderKeyDistributionMessage: Buffer.alloc(4) },
    });
    expect(mapMessage(skd, ctx)).toBeUndefined();
    const contextOnly = incoming({ messageContextInfo: { messageSecret: Buffer.alloc(32) } });
    expect(mapMessage(contextOnly, ctx)).toBeUndefined();
    const stub = proto.WebMessageInfo.fromObject({
      key: { remoteJid: PEER, id: 'STUB' },
      messageStubType: proto.WebMessageInfo.StubType.CIPHERTEXT,
    }) as WAMessage;
    expect(mapMessage(stub, ctx)).toBeUndefined();
  });

  it('ignores status broadcasts', () => {
    const msg = incoming({ conversation: 'my status' }, { key: { remoteJid: 'status@broadcast', id: 'S1', participant: PEER } });
    expect(mapMessage(msg, ctx)).toBeUndefined();
  });

  it('keeps the text of a senderKeyDistribution message that carries content', () => {
    const msg = incoming({
      senderKeyDistributionMessage: { groupId: '123@g.us' },
      conversation: 'group hello',
    });
    expect(mapMessage(msg, ctx)).toMatchObject({ type: 'text', text: 'group hello' });
  });

  it('reports unmapped real content as unknown', () => {
    const invite = incoming({ groupInviteMessage: { groupJid: '123@g.us', inviteCode: 'abc', groupName: 'Team' } });
    expect(mapMessage(invite, ctx)).toMatchObject({ type: 'unknown', messageId: 'MSG1' });
  });

  it('uses the phone-number JID when the chat is addressed by LID, and keeps the LID', () => {
    // What rc14 makes of `<message from="…@lid" sender_pn="…" addressing_mode="lid">`.
    const msg = incoming({ conversation: 'hi' }, {
      key: { remoteJid: '123456789:4@lid', id: 'L1' },
    });
    msg.key.remoteJidAlt = PEER;
    msg.key.addressingMode = 'lid';
    expect(mapMessage(msg, ctx)).toMatchObject({ chatJid: PEER, senderJid: PEER, lid: '123456789@lid' });
  });

  it('keeps the LID WhatsApp names beside a phone-number sender (sender_lid)', () => {
    const msg = incoming({ conversation: 'hi' });
    msg.key.remoteJidAlt = '123456789@lid';
    expect(mapMessage(msg, ctx)).toMatchObject({ chatJid: PEER, senderJid: PEER, lid: '123456789@lid' });
  });

  it('keeps the LID as the chat when no phone number is known for it', () => {
    const msg = incoming({ conversation: 'who?' }, { key: { remoteJid: '123456789@lid', id: 'L2' } });
    expect(mapMessage(msg, ctx)).toMatchObject({ chatJid: '123456789@lid', senderJid: '123456789@lid', lid: '123456789@lid' });
  });

  it('names a group author by phone number with its LID, and our own message in a LID chat by the peer', () => {
    const group = incoming({ conversation: 'hi all' }, {
      key: { remoteJid: '120363000000000000@g.us', id: 'G2', participant: '123456789@lid' },
    });
    group.key.participantAlt = '79001112233@s.whatsapp.net';
    expect(mapMessage(group, ctx)).toMatchObject({ chatJid: '120363000000000000@g.us', senderJid: '79001112233@s.whatsapp.net', lid: '123456789@lid' });
    const mine = incoming({ conversation: 'mine' }, { key: { remoteJid: '123456789@lid', id: 'M2', fromMe: true } });
    mine.key.remoteJidAlt = PEER;
    expect(mapMessage(mine, ctx)).toMatchObject({ fromMe: true, senderJid: ME, chatJid: PEER, lid: '123456789@lid' });
  });

  it('sets the group author as sender and ourselves as sender of fromMe messages', () => {
    const group = incoming({ conversation: 'hi all' }, {
      key: { remoteJid: '120363000000000000@g.us', id: 'G1', participant: '79001112233:5@s.whatsapp.net' },
    });
    expect(mapMessage(group, ctx)).toMatchObject({
      chatJid: '120363000000000000@g.us',
      senderJid: '79001112233@s.whatsapp.net',
    });
    const mine = incoming({ conversation: 'from my phone' }, { key: { remoteJid: PEER, id: 'M1', fromMe: true } });
    expect(mapMessage(mine, ctx)).toMatchObject({ fromMe: true, senderJid: ME, chatJid: PEER });
  });
});
