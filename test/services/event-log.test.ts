import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventLog } from '../../src/services/event-log.js';
import { GroupCommit } from '../../src/store/group-commit.js';
import type { EventRecord } from '../../src/store/store.js';
import { instanceRecord, messageRecord, NOW, userRecord } from '../support/records.js';
import { storeFactories } from '../support/stores.js';

for (const factory of storeFactories()) {
  describe(`event log group commit (${factory.name})`, () => {
    let opened: Awaited<ReturnType<typeof factory.open>>;
    let log: EventLog;
    let heard: EventRecord[];
    const instances = ['a', 'b', 'c'].map((name) => instanceRecord('owner', { id: `${factory.name}-${name}-${Date.now()}` }));

    beforeEach(async () => {
      opened = await factory.open();
      await opened.store.users.insert(userRecord({ id: 'owner' }));
      for (const i of instances) await opened.store.instances.insert(i);
      log = new EventLog(new GroupCommit(opened.store), () => NOW);
      heard = [];
      log.subscribe((event) => heard.push(event));
    });
    afterEach(() => opened.dispose());

    it('starts a group at the end of the turn, or at once for a record made with now', async () => {
      const groups = vi.spyOn(opened.store, 'transactionGroup');
      const later = log.append(instances[0].id, 'connected', {});
      expect(groups).not.toHaveBeenCalled();
      await later;
      expect(groups).toHaveBeenCalledTimes(1);
      const now = log.record(instances[1].id, (_tx, emit) => emit('disconnected', { reason: 'logout' }), { now: true });
      expect(groups).toHaveBeenCalledTimes(2);
      await now;
    });

    it('drains: records queued and not awaited are committed once drain resolves', async () => {
      const commits = new GroupCommit(opened.store);
      const queued = new EventLog(commits, () => NOW);
      for (const i of instances) void queued.append(i.id, 'connected', { at: 'shutdown' });
      await commits.drain();
      for (const i of instances) {
        const stored = (await opened.store.events.list({ instanceId: i.id, since: 0, limit: 10 })).items;
        expect(stored.map((e) => e.data.at)).toEqual(['shutdown']);
      }
    });

    it('commits concurrent records together and a failing one alone', async () => {
      const groups = vi.spyOn(opened.store, 'transactionGroup');
      const records = Array.from({ length: 30 }, (_, n) => {
        const instanceId = instances[n % 3].id;
        return log.record(instanceId, async (tx, emit) => {
          await tx.messages.insert(messageRecord(instanceId, { messageId: `m${n}` }));
          await emit('message_received', { n });
          if (n === 7) throw new Error('record 7 fails');
          return n;
        });
      });
      const settled = await Promise.allSettled(records);
      // Made in one turn of the event loop: one transaction for all thirty.
      expect(groups).toHaveBeenCalledTimes(1);
      expect(settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason.message)).toEqual(['record 7 fails']);
      expect(await opened.store.messages.findByMessageId(instances[1].id, 'm7')).toBeUndefined();
      // Listeners hear only what committed, each instance's events in the order of their stored
      // timestamps, which never repeat. (Callers that need their own order, like the messaging
      // service, run one record per instance at a time.)
      expect(heard.map((e) => e.data.n).sort((x, y) => Number(x) - Number(y))).toEqual([...Array(30).keys()].filter((n) => n !== 7));
      for (const i of instances) {
        const mine = heard.filter((e) => e.instanceId === i.id);
        const stored = (await opened.store.events.list({ instanceId: i.id, since: 0, limit: 100 })).items;
        expect(stored.map((e) => e.ts)).toEqual(mine.map((e) => e.ts));
        expect(new Set(stored.map((e) => e.ts)).size).toBe(stored.length);
      }
    });
  });
}
