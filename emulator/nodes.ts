import type { BinaryNode } from 'baileys';

export const SERVER = 's.whatsapp.net';

export function iqResult(request: BinaryNode, content?: BinaryNode[]): BinaryNode {
  return { tag: 'iq', attrs: { id: request.attrs.id ?? '', type: 'result', from: SERVER }, content };
}

export function children(node: BinaryNode | undefined): BinaryNode[] {
  return Array.isArray(node?.content) ? node.content : [];
}

export function contentBuffer(node: BinaryNode | undefined): Buffer {
  const c = node?.content;
  if (typeof c === 'string') return Buffer.from(c);
  return c instanceof Uint8Array ? Buffer.from(c) : Buffer.alloc(0);
}

export function now(): string {
  return String(Math.floor(Date.now() / 1000));
}
