import type { CloseReason, EngineEvent, EngineSession, PeerPresence } from '../engines/engine.js';
import type { InstanceRecord, InstanceStatus } from '../store/store.js';

/** What the API shows of a live connection. */
export interface ConnectionState {
  status: InstanceStatus;
  ready: boolean;
  hasQr: boolean;
  /** Why the connection last closed, until it shows a QR code or connects again. */
  lastDisconnect?: { reason: CloseReason; message?: string };
}

/** How a requested reconnect turned out within the time the caller waited. */
export type ReconnectOutcome =
  | { kind: 'connected' | 'qr' }
  | { kind: 'failed'; status: InstanceStatus; reason: CloseReason; message?: string }
  /** Neither connected nor closed yet when the wait ended. */
  | { kind: 'pending'; status: InstanceStatus };

/**
 * The seam between instance management and whatever runs WhatsApp sessions (the supervisor).
 * Instance and messaging services talk to sessions only through this.
 */
export interface SessionManager {
  /** Starts a session for a new or restored instance. */
  start(instance: InstanceRecord): Promise<void>;
  /** Stops the session and unlinks the device: the instance is being deleted. */
  remove(instanceId: string): Promise<void>;
  /** Current connection state; falls back to the stored status when nothing runs here. */
  state(instance: InstanceRecord): ConnectionState;
  /** The engine session of a connected instance; throws ConflictError when it is not connected. */
  connectedSession(instanceId: string): EngineSession;
  /** The instance's last message traffic: the session's, which the store follows at most a minute behind. */
  lastActivity(instance: InstanceRecord): number | null;
  /** Message traffic the session did not see itself (an API send) moves its last activity too. */
  noteActivity(instanceId: string, at: number): Promise<void>;
}

/** The engine events a consumer gets: everything but the connection's own. */
export type ConsumedEngineEvent = Extract<EngineEvent, { type: 'message' | 'message_update' | 'message_status' | 'contacts' | 'group' }>;

/**
 * Receives the message- and group-related engine events (`message`, `message_status`,
 * `contacts`, `group`) of every session, in the order the engine emitted them, after the
 * supervisor's own bookkeeping.
 */
export interface EngineEventConsumer {
  onEngineEvent(instance: InstanceRecord, event: ConsumedEngineEvent): Promise<void>;
}

/** Receives the peers' presence (typing, online) of every session; it must not wait on I/O. */
export interface PresenceConsumer {
  onPresence(instance: InstanceRecord, presence: PeerPresence): void;
}
