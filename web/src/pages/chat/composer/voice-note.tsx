import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../../api.js';
import { ErrorBox } from '../../../components.js';
import { useAction } from '../../../hooks.js';
import type { Sent } from '../../../types.js';
import { type PanelProps, sendUrl } from './panel.js';

/** Whether this browser can record from a microphone at all (an insecure origin cannot). */
const canRecord = () => typeof MediaRecorder !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';

/**
 * A voice note recorded here or picked from the disk, sent with `kind: voice`. The server sends
 * Ogg/Opus as it is and converts other audio with ffmpeg; without ffmpeg it answers 415 with
 * the fix, which shows here as it came.
 */
export function VoiceNote({ id, chat, quotedMessageId, onSent }: PanelProps) {
  const [note, setNote] = useState<File>();
  const picker = useRef<HTMLInputElement>(null);
  const { busy, error, run } = useAction();
  const recorder = useRecorder(setNote);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!note) return;
    const body = new FormData();
    body.set('phone', chat);
    body.set('kind', 'voice');
    if (quotedMessageId) body.set('quotedMessageId', quotedMessageId);
    body.set('file', note);
    if (await run(() => api.post<Sent>(sendUrl(id, 'send-file'), body))) await onSent();
  };

  return (
    <form class="panel-form" onSubmit={submit} aria-label="Send a voice note">
      {canRecord() && (
        <div class="actions">
          {recorder.recording ? (
            <button type="button" class="danger" onClick={recorder.stop}>
              ⏹ Stop recording
            </button>
          ) : (
            <button type="button" class="secondary" onClick={() => void recorder.start()}>
              🎙 Record
            </button>
          )}
          {recorder.recording && (
            <span role="status" class="muted">
              Recording…
            </span>
          )}
        </div>
      )}
      <div class="field">
        <label for="f-voice-file">{canRecord() ? 'Or pick an audio file' : 'Pick an audio file'}</label>
        <input id="f-voice-file" name="voice-file" type="file" accept="audio/*" ref={picker} onChange={(e) => setNote(e.currentTarget.files?.[0])} />
        <small class="muted">Ogg/Opus is sent as it is; other audio needs ffmpeg on the server.</small>
      </div>
      {note && (
        <p class="small" data-testid="voice-ready">
          Ready: {note.name}
        </p>
      )}
      <button type="submit" disabled={busy || !note || recorder.recording}>
        Send voice note
      </button>
      <ErrorBox error={recorder.error ?? error} />
    </form>
  );
}

/** The microphone while recording; stopping hands the recording over as a file. */
function useRecorder(onRecorded: (file: File) => void) {
  const [active, setActive] = useState<MediaRecorder>();
  const { error, run } = useAction();

  // Leaving the panel mid-recording must let go of the microphone.
  useEffect(() => () => active?.stream.getTracks().forEach((t) => t.stop()), [active]);

  const start = () =>
    run(async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const media = new MediaRecorder(stream);
      const chunks: Blob[] = [];
      media.ondataavailable = (e) => chunks.push(e.data);
      media.onstop = () => {
        stream.getTracks().forEach((t) => t.stop());
        const type = media.mimeType || 'audio/webm';
        onRecorded(new File(chunks, `voice-note.${type.includes('ogg') ? 'ogg' : 'webm'}`, { type }));
        setActive(undefined);
      };
      media.start();
      setActive(media);
    });

  return { recording: active !== undefined, error, start, stop: () => active?.stop() };
}
