import { enc } from '../../../api.js';

/** What every composer panel (location, contact, poll, voice note) is given. */
export interface PanelProps {
  id: string;
  chat: string;
  /** The message the send replies to, when a reply was chosen. */
  quotedMessageId: string | undefined;
  /** Called once the API took the message: the panel closes and the history refreshes. */
  onSent: () => Promise<void>;
}

export const sendUrl = (id: string, route: string) => `/api/whatsapp/${enc(id)}/${route}`;

/** The reply field only when there is one: the API refuses an empty quotedMessageId. */
export const replyOf = (quotedMessageId: string | undefined) => (quotedMessageId ? { quotedMessageId } : {});
