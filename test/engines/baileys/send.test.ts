import { describe, expect, it } from 'vitest';
import { mediaContent } from '../../../src/engines/baileys/send.js';

const data = Buffer.from('bytes');

describe('mediaContent', () => {
  it('always passes the caller MIME type, since Baileys would label it jpeg or pdf', () => {
    expect(mediaContent({ kind: 'image', data, mimeType: 'image/png', caption: 'c' })).toEqual({
      image: data,
      mimetype: 'image/png',
      caption: 'c',
    });
    expect(mediaContent({ kind: 'document', data, mimeType: 'text/csv', fileName: 'a.csv' })).toEqual({
      document: data,
      mimetype: 'text/csv',
      fileName: 'a.csv',
      caption: undefined,
    });
  });

  it('names an unnamed document and sends Ogg audio as a voice note', () => {
    expect(mediaContent({ kind: 'document', data, mimeType: 'application/pdf' })).toMatchObject({ fileName: 'file' });
    expect(mediaContent({ kind: 'audio', data, mimeType: 'audio/ogg; codecs=opus' })).toMatchObject({ ptt: true });
    expect(mediaContent({ kind: 'audio', data, mimeType: 'audio/mpeg' })).toMatchObject({ ptt: false });
  });

  it('maps video and stickers', () => {
    expect(mediaContent({ kind: 'video', data, mimeType: 'video/mp4' })).toMatchObject({ video: data });
    expect(mediaContent({ kind: 'sticker', data, mimeType: 'image/webp' })).toEqual({ sticker: data, mimetype: 'image/webp' });
  });
});
