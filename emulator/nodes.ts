import type { BinaryNode } from 'baileys';

export const SERVER = 's.whatsapp.net';

export function iqResult(request: BinaryNode, content?: BinaryNode[]): BinaryNode {
  return { tag: 'iq', attrs: { id: request.attrs.id ?? '', type: 'result', from: SERVER }, content };
}

/** WhatsApp's refusal of an iq: `<error code text>`. */
export function errorResult(request: BinaryNode, code: number, text: string): BinaryNode {
  return { tag: 'iq', attrs: { id: request.attrs.id ?? '', type: 'error', from: SERVER }, content: [{ tag: 'error', attrs: { code: String(code), text } }] };
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
