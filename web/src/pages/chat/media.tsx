import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../../api.js';
import { ErrorBox, formatBytes } from '../../components.js';
import { toApiError } from '../../hooks.js';
import type { Message } from './use-history.js';

type Kind = 'image' | 'audio' | 'video' | 'document';

function kindOf(m: Message): Kind {
  const mime = m.mimeType ?? '';
  if (m.messageType === 'image' || m.messageType === 'sticker' || mime.startsWith('image/')) return 'image';
  if (m.messageType === 'audio' || m.messageType === 'voice' || mime.startsWith('audio/')) return 'audio';
  if (m.messageType === 'video' || mime.startsWith('video/')) return 'video';
  return 'document';
}

/**
 * A message's media, fetched with the session (the cookie cannot go with a plain <img src>
 * to the API without its custom header) and shown from a blob: URL, which the CSP allows for
 * images and media only. Pictures, audio and video load at once; a document only when asked.
 */
export function Media({ message }: { message: Message }) {
  const kind = kindOf(message);
  const name = message.messageType === 'voice' ? 'Voice message' : (message.fileName ?? `${message.messageType}${message.mimeType ? ` (${message.mimeType})` : ''}`);
  if (!message.mediaUrl) return <div class="media muted">📎 {name} (not stored on the server)</div>;
  if (kind === 'document') return <Download url={message.mediaUrl} name={name} size={message.mediaSize} />;
  return <Preview url={message.mediaUrl} kind={kind} name={name} sticker={message.messageType === 'sticker'} />;
}

function useBlobUrl(url: string, wanted: boolean): { src?: string; error?: ApiError } {
  const [state, setState] = useState<{ src?: string; error?: ApiError }>({});
  useEffect(() => {
    if (!wanted) return;
    let src: string | undefined;
    let stopped = false;
    api.blob(url).then(
      (blob) => {
        src = URL.createObjectURL(blob);
        if (stopped) URL.revokeObjectURL(src);
        else setState({ src });
      },
      (e: unknown) => !stopped && setState({ error: toApiError(e) }),
    );
    return () => {
      stopped = true;
      if (src) URL.revokeObjectURL(src);
    };
  }, [url, wanted]);
  return state;
}

function Preview({ url, kind, name, sticker }: { url: string; kind: Exclude<Kind, 'document'>; name: string; sticker: boolean }) {
  const { src, error } = useBlobUrl(url, true);
  if (error) return <ErrorBox error={error} />;
  if (!src) return <div class="media muted">Loading {name}…</div>;
  if (kind === 'image') return <img class={sticker ? 'media sticker' : 'media'} src={src} alt={sticker ? 'Sticker' : name} data-testid="media-image" />;
  if (kind === 'audio') return <audio class="media" src={src} controls aria-label={name} title={name} data-testid="media-audio" />;
  return <video class="media" src={src} controls aria-label={name} data-testid="media-video" />;
}

function Download({ url, name, size }: { url: string; name: string; size: number | null }) {
  const [clicks, setClicks] = useState(0);
  const { src, error } = useBlobUrl(url, clicks > 0);
  useEffect(() => {
    if (!src) return;
    const link = document.createElement('a');
    link.href = src;
    link.download = name;
    link.click();
  }, [src, clicks]);
  return (
    <div class="media">
      <button type="button" class="secondary" onClick={() => setClicks((n) => n + 1)} data-testid="media-download">
        ⬇ Download {name}
        {size !== null ? ` (${formatBytes(size)})` : ''}
      </button>
      <ErrorBox error={error} />
    </div>
  );
}
