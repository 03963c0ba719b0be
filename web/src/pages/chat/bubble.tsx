import type { ComponentChildren } from 'preact';
import { Ticks } from '../../components.js';
import { formatTime } from '../../format.js';
import { Author } from './author.js';
import { ContactCards, Edited, Location, MessageText, Poll, Quote, Reactions } from './kinds.js';
import { Media } from './media.js';
import type { Message } from './use-history.js';

/** Kinds whose `content` only summarises what the bubble draws in full. */
const SUMMARISED = new Set(['location', 'contact', 'poll']);

/**
 * One message as WhatsApp draws it: the quote it replies to, its content by kind, the marks of
 * what happened to it since (edited, deleted) and the reactions under it. `quoted` is the
 * replied-to message when it is loaded; `menu` what can be done to it.
 */
export function Bubble({ id, message: m, quoted, menu }: { id: string; message: Message; quoted: Message | undefined; menu?: ComponentChildren }) {
  const group = m.remoteJid.endsWith('@g.us');
  return (
    <li class={m.fromMe ? 'bubble out' : 'bubble in'} data-testid="message" data-message-id={m.messageId} data-type={m.messageType}>
      {group && !m.fromMe && <Author message={m} />}
      {m.deletedAt ? (
        <div class="text deleted" data-testid="deleted">
          🚫 This message was deleted
        </div>
      ) : (
        <>
          {m.quotedMessageId && <Quote quoted={quoted} />}
          {m.hasMedia && <Media message={m} />}
          {m.location && <Location location={m.location} />}
          {m.contacts && <ContactCards id={id} contacts={m.contacts} />}
          {m.poll && <Poll poll={m.poll} />}
          {!SUMMARISED.has(m.messageType) && <MessageText text={m.content ?? m.caption ?? ''} mentions={m.mentions} />}
        </>
      )}
      <div class="meta">
        {m.editedAt && !m.deletedAt && <Edited editedAt={m.editedAt} edits={m.edits} />}
        <time dateTime={m.timestamp}>{formatTime(m.timestamp)}</time> {m.fromMe && <Ticks status={m.status} />}
      </div>
      {m.reactions && m.reactions.length > 0 && <Reactions reactions={m.reactions} />}
      {menu}
    </li>
  );
}
