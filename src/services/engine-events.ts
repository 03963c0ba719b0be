import type { InstanceRecord } from '../store/store.js';
import type { GroupEvents } from './group-events.js';
import type { MessagingService } from './messaging.service.js';
import type { ConsumedEngineEvent, EngineEventConsumer } from './sessions.js';

/** Hands each engine event to the service that owns it: groups, or messages and contacts. */
export class EngineEventRouter implements EngineEventConsumer {
  constructor(
    private readonly messaging: MessagingService,
    private readonly groups: GroupEvents,
  ) {}

  onEngineEvent(instance: InstanceRecord, event: ConsumedEngineEvent): Promise<void> {
    if (event.type === 'group') return this.groups.onEvent(instance, event.event);
    return this.messaging.onEngineEvent(instance, event);
  }
}
