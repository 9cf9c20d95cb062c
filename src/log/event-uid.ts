import { randomUUID } from 'node:crypto';

/**
 * A new event uid: 32 lowercase hex (122 random bits), the shape of the capture's event ids. The vault
 * stores an event with a uid once per machine, which is what makes a repeated delivery harmless.
 */
export function newEventUid(): string {
  return randomUUID().replace(/-/g, '');
}

export function isEventUid(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value);
}
