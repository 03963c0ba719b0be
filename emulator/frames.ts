import { decodeBinaryNode, encodeBinaryNode, type BinaryNode } from 'baileys';
import type { NoiseTransport } from './noise.js';

const INTRO_LENGTH = 4;

/**
 * Splits the client's byte stream into frames: the first message starts with the 4-byte
 * `WA 06 03` intro, then every frame is a 3-byte big-endian length and its payload.
 */
export class FrameReader {
  private buffer = Buffer.alloc(0);
  private sawIntro = false;

  push(chunk: Buffer): Buffer[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.sawIntro) {
      if (this.buffer.length < INTRO_LENGTH) return [];
      this.buffer = this.buffer.subarray(INTRO_LENGTH);
      this.sawIntro = true;
    }
    const frames: Buffer[] = [];
    while (this.buffer.length >= 3) {
      const size = this.buffer.readUIntBE(0, 3);
      if (this.buffer.length < size + 3) break;
      frames.push(Buffer.from(this.buffer.subarray(3, size + 3)));
      this.buffer = this.buffer.subarray(size + 3);
    }
    return frames;
  }
}

export function frame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(payload.length + 3);
  out.writeUIntBE(payload.length, 0, 3);
  out.set(payload, 3);
  return out;
}

export function encodeNodeFrame(node: BinaryNode, transport: NoiseTransport): Buffer {
  return frame(transport.encrypt(encodeBinaryNode(node)));
}

export function decodeNodeFrame(data: Buffer, transport: NoiseTransport): Promise<BinaryNode> {
  return decodeBinaryNode(transport.decrypt(data));
}
