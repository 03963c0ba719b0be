/** Response shapes from the API specification, as far as the dashboard reads them. */
export interface User {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role?: string;
  active?: boolean;
  apiKey?: string;
  createdAt?: string;
}

export interface ConnectionStatus {
  ready: boolean;
  status: string;
  hasQr: boolean;
  /** Why the connection last closed, until it shows a QR code or connects again. */
  lastDisconnect?: { reason: string; message?: string };
}

export interface Instance {
  id: string;
  name: string;
  description: string | null;
  userId: string;
  engine: string;
  status: string;
  webhookUrl: string | null;
  webhookEnabled: boolean;
  createdAt: string;
  updatedAt: string;
  connectionStatus: ConnectionStatus;
}

export interface WebhookSettings {
  notifyReceived: boolean;
  notifySent: boolean;
  notifyDelivery: boolean;
  notifyRead: boolean;
  maxRetries: number;
  retryInterval: number;
  secret: string | null;
  headers: Record<string, string>;
}

export interface InstanceDetail extends Instance {
  phone?: string | null;
  lastActivity?: string | null;
  webhookSettings: WebhookSettings;
}

export interface Message {
  id: string;
  remoteJid: string;
  fromMe: boolean;
  messageType: string;
  content: string | null;
  messageId: string;
  hasMedia: boolean;
  caption: string | null;
  fileName: string | null;
  mimeType: string | null;
  status: string;
  /** When WhatsApp says it was sent; the order of the chat. */
  timestamp: string;
  createdAt: string;
}

export interface Contact {
  id: string;
  name: string | null;
  number: string;
  remoteJid: string;
  pushName: string | null;
  isGroup: boolean;
  lastActivity: string | null;
}

export interface Pagination {
  total: number;
  limit: number;
  skip: number;
  hasMore: boolean;
}

export interface Usage {
  messagesSent: number;
  messagesReceived: number;
  mediaSent: number;
  mediaReceived: number;
  totalMediaSize: number;
  apiCalls: number;
  webhookSent: number;
}

export interface DailyStat {
  date: string;
  messagesSent: number;
  messagesReceived: number;
  mediaSent: number;
  mediaReceived: number;
}

export interface Delivery {
  id: string;
  eventId: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed' | 'skipped';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}
