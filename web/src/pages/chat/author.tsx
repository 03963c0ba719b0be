import { formatPhone } from '../../format.js';
import type { Message } from './use-history.js';

/**
 * Who wrote a message: in a group, the member (`author`: a phone JID, or their LID when WhatsApp
 * gave no number) with the name they gave WhatsApp; in a chat, the other side.
 */
export function authorOf(m: Message): { name: string | undefined; address: string } {
  const pushName = m.metadata.pushName;
  return {
    name: typeof pushName === 'string' && pushName.trim() ? pushName : undefined,
    address: formatPhone(m.author ?? m.senderJid ?? m.remoteJid),
  };
}

/** In one line, as quotes and the reply preview name the writer. */
export function writerOf(m: Message): string {
  const { name, address } = authorOf(m);
  return name ?? address;
}

/** A group message's author above its content: the name when given, and the number (else the LID). */
export function Author({ message }: { message: Message }) {
  const { name, address } = authorOf(message);
  return (
    <div class="sender small" data-testid="author" data-author={message.author}>
      {name && <span class="sender-name">{name} </span>}
      <span class={name ? 'sender-address' : 'sender-name'}>{address}</span>
    </div>
  );
}
