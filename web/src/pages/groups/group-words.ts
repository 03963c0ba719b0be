import type { GroupSummary } from '../../types.js';

/** A group's settings in a line: who may send and edit, and disappearing messages. */
export function settingsInWords(g: GroupSummary): string {
  const words = [g.announce ? 'only admins send' : 'everyone sends', g.restrict ? 'only admins edit info' : 'everyone edits info'];
  if (g.ephemeralSeconds > 0) words.push(`messages disappear after ${ephemeralWords(g.ephemeralSeconds)}`);
  return words.join(' · ');
}

/** WhatsApp's choices for disappearing messages (the API's `ephemeralSeconds`). */
export const EPHEMERAL_CHOICES = [
  { seconds: 0, label: 'Off' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 604_800, label: '7 days' },
  { seconds: 7_776_000, label: '90 days' },
] as const;

const ephemeralWords = (seconds: number) => EPHEMERAL_CHOICES.find((c) => c.seconds === seconds)?.label ?? `${seconds} s`;
