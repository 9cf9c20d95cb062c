/**
 * Which webhook URLs the hub sends alerts to: https anywhere; plain http only to this host's loopback
 * (a receiver beside the hub, a test), or anywhere when an admin ticks "allow plain http" (recorded in the
 * settings event). An alert names machines and accounts, and over plain http anyone on the path reads it;
 * the signature still tells a receiver it is genuine. No credentials in the URL: they would be shown in
 * the dashboard and the settings event.
 */
import * as net from 'node:net';
import { VaultInputError } from '../vault/errors';

const MAX_URL = 2000;

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  return h === '::1';
}

/** The URL as the hub will use it, or a refusal that says what is wrong. */
export function checkWebhookUrl(text: string, allowHttp: boolean): string {
  if (text.length > MAX_URL) throw new VaultInputError(`url must be at most ${MAX_URL} characters`);
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new VaultInputError(`url "${text}" is not a URL (https://host/path)`);
  }
  if (u.username || u.password) throw new VaultInputError('url must not carry a user name or password (the signature authenticates the hub)');
  if (u.protocol === 'https:') return u.toString();
  if (u.protocol !== 'http:') throw new VaultInputError(`url must be https:// (got ${u.protocol})`);
  if (allowHttp || isLoopbackHost(u.hostname)) return u.toString();
  throw new VaultInputError(`url must be https:// unless it is this host's loopback (127.0.0.1, ::1, localhost); tick allowHttp to send alerts over plain http to ${u.hostname}`);
}
