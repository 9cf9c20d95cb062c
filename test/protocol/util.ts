// Shared fixtures for the protocol tests: fixed keys and pure (socket-free) sessions driven to a state.
import { createECDH, randomBytes } from 'node:crypto';
import { strict as assert } from 'node:assert';
import { ClientSession, type ClientEvent } from '../../src/protocol/client-session';
import { ServerSession, type ServerEvent } from '../../src/protocol/server-session';

export const SECRET = Buffer.alloc(32, 0x5a);

export function bridgeKeyPair(): { privateKey: Buffer; publicKey: Buffer } {
  const e = createECDH('prime256v1');
  e.generateKeys();
  return { privateKey: e.getPrivateKey(), publicKey: e.getPublicKey() };
}
export const BRIDGE = bridgeKeyPair();

export function newClient(secret = SECRET, machine = 'testhost'): ClientSession {
  return new ClientSession({ secret, bridgePub: BRIDGE.publicKey, machine });
}

function only<T>(events: T[]): T {
  assert.equal(events.length, 1, `expected one event, got ${events.length}`);
  return events[0];
}
export function one(server: ServerSession, bytes: Buffer): ServerEvent {
  return only(server.feed(bytes));
}
export function oneC(client: ClientSession, bytes: Buffer): ClientEvent {
  return only(client.feed(bytes));
}

/** Server and client after a complete handshake. */
export function established(secret = SECRET): { server: ServerSession; client: ClientSession; helloFrame: Buffer } {
  const server = new ServerSession({ secret });
  const client = newClient(secret);
  const ch = oneC(client, server.start());
  assert.equal(ch.kind, 'challenge');
  const helloFrame = (ch as { reply: Buffer }).reply;
  const h = one(server, helloFrame);
  assert.equal(h.kind, 'hello');
  const ready = oneC(client, (h as { reply: Buffer }).reply);
  assert.equal(ready.kind, 'ready');
  return { server, client, helloFrame };
}

export function change(client: ClientSession, password = Buffer.from('hunter2'), account = 'alice') {
  return client.change({ account, encoding: 1, password, accountId: 1000 });
}

export const rand = randomBytes;
