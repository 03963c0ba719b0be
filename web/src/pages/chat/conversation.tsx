import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorBox, Loading, Section } from '../../components.js';
import { MessageMenu } from './actions/message-menu.js';
import { BlockToggle } from './block-toggle.js';
import { Bubble } from './bubble.js';
import { Composer } from './composer.js';
import { PeerTyping } from './peer-typing.js';
import { type Message, useHistory } from './use-history.js';

/** Closer than this to the top loads older messages; closer than this to the bottom follows new ones. */
const EDGE_PX = 80;

/**
 * One chat: opens at the newest message, follows new ones while the reader is at the bottom,
 * loads older ones when scrolled to the top and keeps the reader's place while they appear.
 * `onRead` is called when inbound messages are on screen, so the chat is marked read.
 */
export function Conversation({ id, chat, title, onRead }: { id: string; chat: string; title: string; onRead: (chat: string) => void }) {
  const history = useHistory(id, chat);
  const [replyTo, setReplyTo] = useState<Message>();
  const list = useRef<HTMLOListElement>(null);
  // How far from the bottom the reader was just before this render, and the oldest message then shown.
  const fromBottom = useRef<number | undefined>(undefined);
  const oldestShown = useRef<string | undefined>(undefined);
  const messages = history.messages;
  const byMessageId = useMemo(() => new Map(messages?.map((m) => [m.messageId, m])), [messages]);

  useLayoutEffect(() => {
    const el = list.current;
    if (!el || !messages) return;
    const before = fromBottom.current;
    if (before === undefined || before < EDGE_PX) el.scrollTop = el.scrollHeight;
    else if (oldestShown.current !== messages[0]?.id) el.scrollTop = el.scrollHeight - el.clientHeight - before;
    oldestShown.current = messages[0]?.id;
  }, [messages]);

  const newestInbound = messages?.findLast((m) => !m.fromMe)?.id;
  useEffect(() => {
    if (newestInbound) onRead(chat);
  }, [newestInbound, chat]);

  const onScroll = () => {
    const el = list.current;
    if (el && el.scrollTop < EDGE_PX && history.hasOlder && !history.loadingOlder) void history.loadOlder();
  };
  // The reader's place as the DOM has it just before this render commits: a page of older
  // messages then goes in above it without moving what the reader looks at.
  if (list.current) fromBottom.current = list.current.scrollHeight - list.current.clientHeight - list.current.scrollTop;

  return (
    <Section title={title} actions={
        <>
          <PeerTyping id={id} chat={chat} />
          <BlockToggle id={id} chat={chat} />
        </>
      }>
      {messages ? (
        <ol class="messages" aria-label="Messages" aria-live="polite" ref={list} onScroll={onScroll} data-testid="messages">
          {history.hasOlder && (
            <li class="older">
              <button type="button" class="link" disabled={history.loadingOlder} onClick={() => void history.loadOlder()}>
                {history.loadingOlder ? 'Loading older messages…' : 'Load older messages'}
              </button>
            </li>
          )}
          {messages.length === 0 && <li class="muted">No messages in this chat yet.</li>}
          {messages.map((m) => (
            <Bubble
              key={m.id}
              id={id}
              message={m}
              quoted={m.quotedMessageId ? byMessageId.get(m.quotedMessageId) : undefined}
              menu={!m.deletedAt && <MessageMenu id={id} message={m} onReply={setReplyTo} onChanged={history.refresh} />}
            />
          ))}
        </ol>
      ) : (
        <Loading error={history.error} loading />
      )}
      {messages && <ErrorBox error={history.error} />}
      <Composer id={id} chat={chat} onSent={history.refresh} replyTo={replyTo} onCancelReply={() => setReplyTo(undefined)} />
    </Section>
  );
}
