import type { ContactCard, Location, Poll } from '../engines/engine.js';
import { ValidationError } from '../core/errors.js';
import { normalizeRecipient } from '../core/phone.js';
import type { Store, UserRecord } from '../store/store.js';
import type { InstancesService } from './instances.service.js';
import type { MessagingService } from './messaging.service.js';
import { type ReplyAndMentions, sendOptionsFor, sentDetails } from './send-options.js';
import { type CardInput, vcardOf } from './vcards.js';

export interface SendLocationInput extends ReplyAndMentions, Location {
  phone: string;
}

export interface SendContactInput extends ReplyAndMentions {
  phone: string;
  contacts: CardInput[];
}

export interface SendPollInput extends ReplyAndMentions {
  phone: string;
  question: string;
  options: string[];
  multipleAnswers?: boolean;
}

/**
 * Sending the kinds of message that are not text or media: locations, contact cards and polls.
 * Each counts as one sent message and is stored with the fields received ones have.
 */
export class RichSendService {
  constructor(
    private readonly store: Store,
    private readonly instances: InstancesService,
    private readonly messaging: MessagingService,
  ) {}

  async sendLocation(user: UserRecord, instanceId: string, input: SendLocationInput): Promise<{ id: string }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const to = await this.messaging.recipientOf(instance, input.phone);
    const location: Location = { latitude: input.latitude, longitude: input.longitude };
    if (input.name) location.name = input.name;
    if (input.address) location.address = input.address;
    const options = await sendOptionsFor(this.store, instance, to.jid, input);
    const summary = location.name ?? location.address ?? `${location.latitude},${location.longitude}`;
    return this.messaging.sendRecorded(
      instance,
      Buffer.byteLength(JSON.stringify(location)),
      (session) => session.sendLocation(to.jid, location, options),
      (sent) => ({ ...sent, chatJid: to.jid, type: 'location', text: summary, details: { ...sentDetails(options, to), location } }),
    );
  }

  async sendContacts(user: UserRecord, instanceId: string, input: SendContactInput): Promise<{ id: string }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const to = await this.messaging.recipientOf(instance, input.phone);
    const cards: ContactCard[] = input.contacts.map((card, i) => {
      const phone = normalizeRecipient(card.phone, `contacts[${i}].phone`).number;
      return { name: card.name, phone, vcard: vcardOf({ ...card, phone }) };
    });
    const options = await sendOptionsFor(this.store, instance, to.jid, input);
    return this.messaging.sendRecorded(
      instance,
      cards.reduce((sum, card) => sum + Buffer.byteLength(card.vcard), 0),
      (session) => session.sendContacts(to.jid, cards, options),
      (sent) => ({ ...sent, chatJid: to.jid, type: 'contact', text: cards.map((c) => c.name).join(', '), details: { ...sentDetails(options, to), contacts: cards } }),
    );
  }

  async sendPoll(user: UserRecord, instanceId: string, input: SendPollInput): Promise<{ id: string }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const to = await this.messaging.recipientOf(instance, input.phone);
    const options = input.options.map((o) => o.trim());
    const repeated = options.findIndex((o, i) => options.indexOf(o) !== i);
    if (repeated !== -1) {
      throw new ValidationError(`poll option "${options[repeated]}" is given twice; options must be unique`, [{ field: `options[${repeated}]`, message: 'repeats an earlier option' }]);
    }
    const empty = options.findIndex((o) => o === '');
    if (empty !== -1) throw new ValidationError('poll options must not be blank', [{ field: `options[${empty}]`, message: 'must not be blank' }]);
    if (input.question.trim() === '') throw new ValidationError('question must not be blank', [{ field: 'question', message: 'must not be blank' }]);
    const poll: Poll = { question: input.question, options, multipleAnswers: input.multipleAnswers ?? false };
    const sendOptions = await sendOptionsFor(this.store, instance, to.jid, input);
    return this.messaging.sendRecorded(
      instance,
      Buffer.byteLength(JSON.stringify(poll)),
      (session) => session.sendPoll(to.jid, poll, sendOptions),
      ({ pollSecret, ...sent }) => {
        // Kept with the poll so our peers' votes can be decrypted, after a restart too.
        const details = { ...sentDetails(sendOptions, to), poll, ...(pollSecret ? { pollSecret } : {}) };
        return { ...sent, chatJid: to.jid, type: 'poll', text: poll.question, details };
      },
    );
  }
}
