import { useState } from 'preact/hooks';
import { ContactForm } from './contact-form.js';
import { LocationForm } from './location-form.js';
import type { PanelProps } from './panel.js';
import { PollForm } from './poll-form.js';
import { VoiceNote } from './voice-note.js';

const TOOLS = [
  { key: 'location', label: '📍 Location', Panel: LocationForm },
  { key: 'contact', label: '👤 Contact', Panel: ContactForm },
  { key: 'poll', label: '📊 Poll', Panel: PollForm },
  { key: 'voice', label: '🎤 Voice note', Panel: VoiceNote },
] as const;

/**
 * The kinds of message beyond text and files, one open at a time under the composer. Each is a
 * toggle button, so the keyboard reaches every panel the same way as the text box.
 */
export function ComposerTools(props: PanelProps) {
  const [open, setOpen] = useState<string>();
  const tool = TOOLS.find((t) => t.key === open);
  const onSent = async () => {
    setOpen(undefined);
    await props.onSent();
  };
  return (
    <div class="composer-tools">
      <div class="actions" role="group" aria-label="Send something else">
        {TOOLS.map((t) => (
          <button key={t.key} type="button" class="secondary" aria-expanded={open === t.key} onClick={() => setOpen(open === t.key ? undefined : t.key)}>
            {t.label}
          </button>
        ))}
      </div>
      {tool && (
        <div class="composer-panel">
          <tool.Panel key={`${props.chat}-${tool.key}`} {...props} onSent={onSent} />
        </div>
      )}
    </div>
  );
}
