import type { Static } from '@sinclair/typebox';
import { type ErrorDetail, ValidationError } from '../core/errors.js';
import type { InstancePatch, NewInstance, WebhookSettingsInput } from '../services/instances.service.js';
import type { CreateInstanceBody, UpdateInstanceBody, WebhookSettingsBody } from './schemas/instances.js';

type WebhookFields = Static<typeof WebhookSettingsBody>;
type WithWebhook = Omit<WebhookFields, 'secret'> & { webhookSettings?: WebhookFields };

const SETTINGS = ['notifyReceived', 'notifySent', 'notifyDelivery', 'notifyRead', 'maxRetries', 'retryInterval', 'headers', 'events'] as const;

/**
 * The webhook fields of a create or update body, wherever they came (top level or
 * `webhookSettings`) and under whichever of the spec's names (`webhookSecret` or `secret`).
 * The same field given twice is refused rather than one of them silently winning.
 */
function webhookInput(body: WithWebhook): Pick<InstancePatch, 'webhookUrl' | 'webhookEnabled' | 'webhookSettings'> {
  const nested: WebhookFields = body.webhookSettings ?? {};
  const twice: ErrorDetail[] = [];
  const pick = <K extends keyof WebhookFields>(names: readonly K[], nestedNames: readonly K[] = names): WebhookFields[K] | undefined => {
    const given = [
      ...names.filter((n) => (body as WebhookFields)[n] !== undefined).map((n) => ({ field: n as string, value: (body as WebhookFields)[n] })),
      ...nestedNames.filter((n) => nested[n] !== undefined).map((n) => ({ field: `webhookSettings.${n}`, value: nested[n] })),
    ];
    for (const extra of given.slice(1)) twice.push({ field: extra.field, message: `is also given as ${given[0].field}; give it once` });
    return given[0]?.value;
  };

  const settings: WebhookSettingsInput = {};
  for (const name of SETTINGS) {
    const value = pick([name]);
    if (value !== undefined) Object.assign(settings, { [name]: value });
  }
  const secret = pick(['webhookSecret'], ['webhookSecret', 'secret']);
  if (secret !== undefined) settings.secret = secret;
  const webhookUrl = pick(['webhookUrl']);
  const webhookEnabled = pick(['webhookEnabled']);
  if (twice.length) throw new ValidationError(`Invalid request: ${twice.map((d) => `body.${d.field} ${d.message}`).join('; ')}`, twice);
  return { webhookUrl, webhookEnabled, webhookSettings: Object.keys(settings).length ? settings : undefined };
}

export function newInstanceInput(body: Static<typeof CreateInstanceBody>): NewInstance {
  return { name: body.name, description: body.description, engine: body.engine, ...webhookInput(body) };
}

export function instancePatchInput(body: Static<typeof UpdateInstanceBody>): InstancePatch {
  return { name: body.name, description: body.description, ...webhookInput(body) };
}
