import { writerOf } from '../author.js';
import { snippetOf } from '../kinds.js';
import type { Message } from '../use-history.js';

/** The message being replied to, above the input, with the way out of replying. */
export function ReplyPreview({ message, onCancel }: { message: Message; onCancel: () => void }) {
  return (
    <div class="reply-preview" data-testid="reply-preview">
      <div class="quote">
        <span class="quote-who small">Replying to {message.fromMe ? 'yourself' : writerOf(message)}</span>
        <span class="quote-text">{snippetOf(message)}</span>
      </div>
      <button type="button" class="secondary" onClick={onCancel} aria-label="Cancel the reply">
        ✕
      </button>
    </div>
  );
}
