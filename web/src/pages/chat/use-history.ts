import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, type ApiError, enc } from '../../api.js';
import { toApiError } from '../../hooks.js';
import { usePolling } from '../../polling.js';
import type { ChatHistory } from '../../types.js';

export type Message = ChatHistory['messages'][number];

const PAGE = 50;
/** Often enough to watch ticks turn blue, cheap enough for one open chat. */
const POLL_MS = 1500;
/**
 * How many pages a poll reads back to reach what is already shown. Past that (a chat left open
 * through a flood) the view starts again from the newest pages, and older ones load by scroll.
 */
const CATCH_UP_PAGES = 10;

export interface History {
  /** Oldest first, in the server's order (newest first) reversed: never re-sorted by time. */
  messages: Message[] | undefined;
  error: ApiError | undefined;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder: () => Promise<void>;
  refresh: () => Promise<void>;
}

/** Newest-first lists joined: the first copy of a message wins, so a fresh page updates its ticks. */
function join(newer: Message[], older: Message[]): Message[] {
  const seen = new Set<string>();
  const out: Message[] = [];
  for (const m of [...newer, ...older]) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    out.push(m);
  }
  return out;
}

/**
 * A chat's messages: the newest page, polled, joined with older pages loaded on demand. Older
 * pages are asked from `skip = what is loaded`; messages that arrived meanwhile only shift the
 * page onto ones already held, which the join drops, so nothing is skipped. A poll that finds
 * none of the shown messages on the newest page (more than a page arrived since the last one)
 * reads further pages until it meets them, so the view never holds a gap.
 */
export function useHistory(id: string, chat: string): History {
  const url = `/api/instances/${enc(id)}/chats/${enc(chat)}/messages`;
  const [loaded, setLoaded] = useState<Message[]>();
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<ApiError>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const held = useRef<Message[]>([]);

  const apply = (next: Message[], latestTotal: number) => {
    held.current = next;
    setLoaded(next);
    setTotal(latestTotal);
  };

  const refresh = useCallback(async (): Promise<boolean> => {
    try {
      const shown = new Set(held.current.map((m) => m.id));
      let newest: Message[] = [];
      let total = 0;
      for (let pages = 1; ; pages++) {
        const page = await api.get<ChatHistory>(`${url}?limit=${PAGE}&skip=${newest.length}`);
        newest = newest.concat(page.messages);
        total = page.pagination.total;
        const met = shown.size === 0 || page.messages.length < PAGE || page.messages.some((m) => shown.has(m.id));
        if (met) {
          apply(join(newest, held.current), total);
          break;
        }
        if (pages === CATCH_UP_PAGES) {
          apply(join(newest, []), total);
          break;
        }
      }
      setError(undefined);
      return true;
    } catch (e) {
      setError(toApiError(e));
      return false;
    }
  }, [url]);

  const loadOlder = useCallback(async () => {
    setLoadingOlder(true);
    try {
      const page = await api.get<ChatHistory>(`${url}?limit=${PAGE}&skip=${held.current.length}`);
      apply(join(held.current, page.messages), page.pagination.total);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setLoadingOlder(false);
    }
  }, [url]);

  useEffect(() => {
    held.current = [];
    setLoaded(undefined);
    void refresh();
  }, [url]);
  usePolling(refresh, POLL_MS, [url]);
  const messages = useMemo(() => loaded && [...loaded].reverse(), [loaded]);

  return {
    messages,
    error,
    hasOlder: loaded !== undefined && loaded.length < total,
    loadingOlder,
    loadOlder,
    refresh: async () => void (await refresh()),
  };
}
