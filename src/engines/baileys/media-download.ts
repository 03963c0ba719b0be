import { downloadMediaMessage, type WAMessage, type WASocket } from 'baileys';
import type { MediaTrust } from './media-trust.js';
import type { BaileysLogger } from './options.js';

/** The bytes of a received media message; `socket` is whichever socket is live when it runs. */
export function downloadMedia(msg: WAMessage, logger: BaileysLogger, socket: () => WASocket, media?: MediaTrust): Promise<Buffer> {
  // Node's fetch takes undici's `dispatcher`, which the DOM RequestInit type doesn't list.
  const options = media ? { options: { dispatcher: media.downloadDispatcher } as RequestInit } : {};
  return downloadMediaMessage(msg, 'buffer', options, {
    logger,
    // Asks the phone to upload expired media again; needs whichever socket is live by then.
    reuploadRequest: (m) => socket().updateMediaMessage(m),
  });
}
