import { useState } from 'preact/hooks';
import { api } from '../../../api.js';
import { ErrorBox } from '../../../components.js';
import { useAction } from '../../../hooks.js';
import type { ContactsToSend, Sent } from '../../../types.js';
import { type PanelProps, replyOf, sendUrl } from './panel.js';

type Card = ContactsToSend['contacts'][number];

/** As many cards as the API takes in one message. */
const MAX_CARDS = 10;
const blank = (): Card => ({ name: '', phone: '', organization: '', email: '' });

/** One to ten contact cards, sent as vCards in one message; optional fields left empty are left out. */
export function ContactForm({ id, chat, quotedMessageId, onSent }: PanelProps) {
  const [cards, setCards] = useState<Card[]>([blank()]);
  const { busy, error, run } = useAction();
  const change = (i: number, field: keyof Card, value: string) => setCards(cards.map((c, j) => (j === i ? { ...c, [field]: value } : c)));

  const submit = async (event: Event) => {
    event.preventDefault();
    const contacts = cards.map(({ name, phone, organization, email }) => ({
      name: name.trim(),
      phone: phone.trim(),
      ...(organization?.trim() ? { organization: organization.trim() } : {}),
      ...(email?.trim() ? { email: email.trim() } : {}),
    }));
    const body: ContactsToSend = { phone: chat, contacts, ...replyOf(quotedMessageId) };
    if (await run(() => api.post<Sent>(sendUrl(id, 'send-contact'), body))) await onSent();
  };

  return (
    <form class="panel-form" onSubmit={submit} aria-label="Send contact cards">
      {cards.map((card, i) => (
        <fieldset key={i} data-testid="card-fields">
          <legend>Card {i + 1}</legend>
          <div class="inline-form">
            <CardField label="Name" name={`card-${i}-name`} required maxLength={256} value={card.name} onInput={(v) => change(i, 'name', v)} />
            <CardField label="Phone" name={`card-${i}-phone`} required maxLength={100} inputMode="tel" value={card.phone} onInput={(v) => change(i, 'phone', v)} />
            <CardField label="Organization (optional)" name={`card-${i}-organization`} maxLength={256} value={card.organization ?? ''} onInput={(v) => change(i, 'organization', v)} />
            <CardField label="Email (optional)" name={`card-${i}-email`} type="email" maxLength={320} value={card.email ?? ''} onInput={(v) => change(i, 'email', v)} />
          </div>
          {cards.length > 1 && (
            <button type="button" class="link" onClick={() => setCards(cards.filter((_, j) => j !== i))}>
              Remove card {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <div class="actions">
        <button type="button" class="secondary" disabled={cards.length >= MAX_CARDS} onClick={() => setCards([...cards, blank()])}>
          Add a card
        </button>
        <button type="submit" disabled={busy}>
          {cards.length === 1 ? 'Send contact' : `Send ${cards.length} contacts`}
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}

function CardField(props: { label: string; name: string; value: string; onInput: (value: string) => void; required?: boolean; maxLength: number; type?: string; inputMode?: 'tel' }) {
  const fieldId = `f-${props.name}`;
  return (
    <div class="field">
      <label for={fieldId}>{props.label}</label>
      <input
        id={fieldId}
        name={props.name}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        required={props.required}
        maxLength={props.maxLength}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </div>
  );
}
