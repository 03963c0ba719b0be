import { readFile, rm } from 'node:fs/promises';
import { encryptedStream, proto } from 'baileys';
import type { MediaHost } from './media-host.js';

/** What a peer's phone does before sending an image: encrypt it, upload it, describe it. */
export async function peerImageMessage(
  media: MediaHost,
  image: Buffer,
  caption: string | undefined,
  mimetype = 'image/jpeg',
): Promise<proto.IMessage> {
  const enc = await encryptedStream(image, 'image');
  try {
    const directPath = media.put('image', await readFile(enc.encFilePath));
    return {
      imageMessage: {
        url: media.url(directPath),
        directPath,
        mediaKey: enc.mediaKey,
        fileSha256: enc.fileSha256,
        fileEncSha256: enc.fileEncSha256,
        fileLength: enc.fileLength,
        mediaKeyTimestamp: Math.floor(Date.now() / 1000),
        mimetype,
        caption,
      },
    };
  } finally {
    await rm(enc.encFilePath, { force: true });
    if (enc.originalFilePath) await rm(enc.originalFilePath, { force: true });
  }
}
