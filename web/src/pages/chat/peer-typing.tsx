import type { Static } from '@sinclair/typebox';
import { useState } from 'preact/hooks';
import type { ChatPresenceResponse } from '../../../../src/http/schemas/chat-actions.js';
import { api, enc } from '../../api.js';
import { usePolling } from '../../polling.js';

type ChatPresence = Static<typeof ChatPresenceResponse>;

/**
 * A peer shows typing for a few seconds at a time: polled about that often. Each poll also
 * keeps the server subscribed to the chat's presence.
 */
const POLL_MS = 2000;

const LABELS: Partial<Record<NonNullable<ChatPresence['state']>, string>> = {
  composing: 'typing…',
  recording: 'recording audio…',
};

/** "typing…" or "recording audio…" while the peer of the open chat does, polled only while the tab is visible. */
export function PeerTyping({ id, chat }: { id: string; chat: string }) {
  const [state, setState] = useState<ChatPresence['state']>(null);
  usePolling(
    async () => {
      try {
        setState((await api.get<ChatPresence>(`/api/whatsapp/${enc(id)}/presence/${enc(chat)}`)).state);
        return true;
      } catch {
        // Not connected or unreachable: show nothing rather than a stale "typing…".
        setState(null);
        return false;
      }
    },
    POLL_MS,
    [id, chat],
  );
  const label = state && LABELS[state];
  return label ? (
    <span class="typing" role="status" data-testid="typing">
      {label}
    </span>
  ) : null;
}
