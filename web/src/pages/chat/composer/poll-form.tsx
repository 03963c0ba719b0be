import { useState } from 'preact/hooks';
import { api } from '../../../api.js';
import { Check, ErrorBox } from '../../../components.js';
import { useAction } from '../../../hooks.js';
import type { PollToSend, Sent } from '../../../types.js';
import { type PanelProps, replyOf, sendUrl } from './panel.js';

/** WhatsApp's bounds on a poll's options, as the API checks them. */
const MIN_OPTIONS = 2;
const MAX_OPTIONS = 12;

/** A question with 2 to 12 different options; the votes show as a tally on the sent poll. */
export function PollForm({ id, chat, quotedMessageId, onSent }: PanelProps) {
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState(['', '']);
  const [multiple, setMultiple] = useState(false);
  const { busy, error, run } = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    const body: PollToSend = { phone: chat, question: question.trim(), options: options.map((o) => o.trim()), multipleAnswers: multiple, ...replyOf(quotedMessageId) };
    if (await run(() => api.post<Sent>(sendUrl(id, 'send-poll'), body))) await onSent();
  };

  return (
    <form class="panel-form" onSubmit={submit} aria-label="Send a poll">
      <div class="field">
        <label for="f-poll-question">Question</label>
        <input id="f-poll-question" name="poll-question" required maxLength={255} value={question} onInput={(e) => setQuestion(e.currentTarget.value)} />
      </div>
      {options.map((option, i) => (
        <div class="option-row" key={i}>
          <div class="field grow">
            <label for={`f-poll-option-${i}`}>Option {i + 1}</label>
            <input
              id={`f-poll-option-${i}`}
              name={`poll-option-${i}`}
              required
              maxLength={100}
              value={option}
              onInput={(e) => {
                const value = e.currentTarget.value;
                setOptions(options.map((o, j) => (j === i ? value : o)));
              }}
            />
          </div>
          {options.length > MIN_OPTIONS && (
            <button type="button" class="link" onClick={() => setOptions(options.filter((_, j) => j !== i))}>
              Remove option {i + 1}
            </button>
          )}
        </div>
      ))}
      <Check label="Allow several answers" name="multipleAnswers" checked={multiple} onChange={setMultiple} />
      <div class="actions">
        <button type="button" class="secondary" disabled={options.length >= MAX_OPTIONS} onClick={() => setOptions([...options, ''])}>
          Add an option
        </button>
        <button type="submit" disabled={busy}>
          Send poll
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}
