import { spawn } from 'node:child_process';
import type { MediaKind } from '../engines/engine.js';
import { UnsupportedMediaTypeError } from '../core/errors.js';
import { mediaKindOf } from './media-types.js';

export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'video', 'audio', 'voice', 'document', 'sticker'];
const VOICE_MIME = 'audio/ogg; codecs=opus';

function essenceOf(mimeType: string): string {
  return mimeType.split(';')[0].trim().toLowerCase();
}

/**
 * The kind a file is sent as: the one asked for, when the file can be it, else the one its type
 * says. A sticker must be WebP; image, video and audio must be of their type; a voice note is
 * audio (converted to Ogg/Opus when it is not); anything can be a document.
 */
export function kindFor(requested: MediaKind | undefined, mimeType: string): MediaKind {
  if (!requested) return mediaKindOf(mimeType);
  const essence = essenceOf(mimeType);
  const refuse = (needs: string) =>
    new UnsupportedMediaTypeError(`kind ${requested} needs ${needs}; this file is ${essence}`, [{ field: 'kind', message: `needs ${needs}, not ${essence}` }]);
  if (requested === 'sticker' && essence !== 'image/webp') throw refuse('a WebP image (image/webp)');
  if ((requested === 'image' || requested === 'video') && !essence.startsWith(`${requested}/`)) throw refuse(`a ${requested}/* file`);
  if ((requested === 'audio' || requested === 'voice') && !essence.startsWith('audio/')) throw refuse('an audio/* file');
  return requested;
}

/**
 * A voice note as WhatsApp plays it: Ogg/Opus as is, other audio converted with ffmpeg. Without
 * ffmpeg the answer is a 415 that says how to fix it.
 */
export async function voiceNote(data: Buffer, mimeType: string, ffmpegPath: string): Promise<{ data: Buffer; mimeType: string }> {
  if (essenceOf(mimeType) === 'audio/ogg') return { data, mimeType: VOICE_MIME };
  try {
    return { data: await toOggOpus(data, ffmpegPath), mimeType: VOICE_MIME };
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    const reason = missing
      ? `ffmpeg is not installed (looked for "${ffmpegPath}"): install it, set FFMPEG_PATH, or send Ogg/Opus audio`
      : `ffmpeg could not convert it: ${(error as Error).message}`;
    throw new UnsupportedMediaTypeError(`A voice note must be Ogg/Opus and this ${essenceOf(mimeType)} file could not be converted: ${reason}`, [{ field: 'kind', message: reason }]);
  }
}

function toOggOpus(data: Buffer, ffmpegPath: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-vn', '-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg', 'pipe:1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && out.length > 0) resolve(Buffer.concat(out));
      else reject(new Error(Buffer.concat(err).toString('utf8').trim().slice(0, 300) || `exit code ${code}`));
    });
    // A converter that exits early closes its stdin; that is reported by `close`, not thrown here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(data);
  });
}
