import { enc } from '../../api.js';
import { Link } from '../../components.js';
import { formatDate, formatPhone } from '../../format.js';
import { writerOf } from './author.js';
import type { Message } from './use-history.js';

/** The number part of a JID (or a plain number), for matching a mention written as `@digits`. */
const digitsOf = (jid: string) => jid.split('@')[0].split(':')[0].replace(/\D/g, '');

/** What a quoted message says in a line: its text, or the name of its kind when it has none. */
export function snippetOf(m: Message): string {
  if (m.deletedAt) return 'This message was deleted';
  if (m.messageType === 'location') return `📍 ${m.content ?? 'Location'}`;
  if (m.messageType === 'poll') return `Poll: ${m.content ?? ''}`;
  if (m.messageType === 'contact') return `👤 ${m.content ?? 'Contact'}`;
  if (m.messageType === 'voice') return '🎤 Voice message';
  return m.content ?? m.caption ?? m.messageType;
}

/**
 * The message replied to, as far as it is loaded (an older one is named without its text).
 * A loaded one is a button that brings it into view, as WhatsApp's quotes do.
 */
export function Quote({ quoted }: { quoted: Message | undefined }) {
  if (!quoted) {
    return (
      <blockquote class="quote" data-testid="quote">
        <span class="quote-text muted">a message</span>
      </blockquote>
    );
  }
  const show = (event: MouseEvent) => {
    const list = (event.currentTarget as HTMLElement).closest('[data-testid="messages"]');
    list?.querySelector(`[data-message-id="${CSS.escape(quoted.messageId)}"]`)?.scrollIntoView({ block: 'center' });
  };
  return (
    <button type="button" class="quote" data-testid="quote" onClick={show} title="Show the message replied to">
      <span class="quote-who small">{quoted.fromMe ? 'You' : writerOf(quoted)}</span>
      <span class="quote-text">{snippetOf(quoted)}</span>
    </button>
  );
}

/** The text with each mentioned number (`@447…`) marked, as WhatsApp writes mentions in the text. */
export function MessageText({ text, mentions }: { text: string; mentions: string[] | undefined }) {
  const wanted = new Set((mentions ?? []).map(digitsOf));
  if (wanted.size === 0) return <div class="text">{text}</div>;
  const parts = text.split(/(@\d{5,15})/);
  return (
    <div class="text">
      {parts.map((part, i) =>
        i % 2 === 1 && wanted.has(part.slice(1)) ? (
          <mark key={i} class="mention" data-testid="mention">
            {part}
          </mark>
        ) : (
          part
        ),
      )}
    </div>
  );
}

export function Location({ location }: { location: NonNullable<Message['location']> }) {
  const { latitude: lat, longitude: lon } = location;
  const map = `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
  return (
    <div class="location" data-testid="location">
      <div class="strong">📍 {location.name ?? 'Location'}</div>
      {location.address && <div class="small">{location.address}</div>}
      <div class="small muted">
        {lat.toFixed(5)}, {lon.toFixed(5)}
      </div>
      <a href={map} target="_blank" rel="noopener noreferrer">
        Open in a map
      </a>
    </div>
  );
}

export function ContactCards({ id, contacts }: { id: string; contacts: NonNullable<Message['contacts']> }) {
  return (
    <ul class="cards">
      {contacts.map((c, i) => (
        <li key={i} class="card-contact" data-testid="contact-card">
          <div class="strong">👤 {c.name}</div>
          {c.phone ? (
            <>
              <div class="small">{formatPhone(c.phone)}</div>
              <Link href={`/instances/${enc(id)}/chat?chat=${enc(c.phone.replace(/\D/g, ''))}`} aria-label={`Chat with ${c.name}`}>
                Chat
              </Link>
            </>
          ) : (
            <div class="small muted">No phone number on the card</div>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The poll and its tally as the newest poll of the history reports it. */
export function Poll({ poll }: { poll: NonNullable<Message['poll']> }) {
  const counts = poll.options.map((o) => poll.votes[o]?.length ?? 0);
  const voters = new Set(Object.values(poll.votes).flat()).size;
  const most = Math.max(1, ...counts);
  return (
    <div class="poll" data-testid="poll">
      <div class="strong">📊 {poll.question}</div>
      <div class="small muted">
        {poll.multipleAnswers ? 'Several answers allowed' : 'One answer'} · {voters} {voters === 1 ? 'voter' : 'voters'}
      </div>
      <ul class="poll-options">
        {poll.options.map((option, i) => (
          <li key={option} data-testid="poll-option" data-option={option} title={(poll.votes[option] ?? []).map(formatPhone).join(', ')}>
            <span class="poll-line">
              <span>{option}</span>
              <span class="poll-count" data-testid="poll-count">
                {counts[i]}
              </span>
            </span>
            <span class="poll-bar">
              <span style={{ width: `${(counts[i] / most) * 100}%` }} />
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** One chip per emoji with how many sent it; who sent it shows on hover and to screen readers. */
export function Reactions({ reactions }: { reactions: NonNullable<Message['reactions']> }) {
  const byEmoji = new Map<string, string[]>();
  for (const r of reactions) {
    if (!r.emoji) continue;
    byEmoji.set(r.emoji, [...(byEmoji.get(r.emoji) ?? []), formatPhone(r.from)]);
  }
  if (byEmoji.size === 0) return null;
  return (
    <ul class="reactions" aria-label="Reactions">
      {[...byEmoji].map(([emoji, who]) => (
        <li key={emoji} data-testid="reaction" data-emoji={emoji} title={who.join(', ')} aria-label={`${emoji} ${who.length}: ${who.join(', ')}`}>
          {emoji} <span class="reaction-count">{who.length}</span>
        </li>
      ))}
    </ul>
  );
}

/** The "edited" mark; opening it lists the texts before each edit. */
export function Edited({ editedAt, edits }: { editedAt: string; edits: string[] | undefined }) {
  return (
    <details class="edited" data-testid="edited">
      <summary title={`Edited ${formatDate(editedAt)}`}>edited</summary>
      {edits && edits.length > 0 && (
        <ol class="edits small">
          {edits.map((text, i) => (
            <li key={i}>{text}</li>
          ))}
        </ol>
      )}
    </details>
  );
}
