// The bridge side of one capture connection as a pure state machine: bytes/frames in, events and frames
// to send out. No sockets, no clock or randomness of its own (both injectable), so every path is testable.
//
// Frames this returns (CHALLENGE from start(), replies, ACKs from ack()) carry consecutive seq numbers
// in the order they are returned: the caller must write them to the connection in that order.
import { randomBytes } from 'node:crypto';
import {
  AckStatus, MAX_PASSWORD_BYTES, MessageType, NONCE_BYTES, Reason,
  messageTypeName, packVersion, type AckStatusName, type ReasonName,
} from './constants';
import { ProtocolError, type Refusal } from './errors';
import { FrameReader, encodeFrame, type Frame } from './frame';
import { helloKey, sessionKeys, verifyTag, wipeSessionKeys, type SessionKeys } from './keys';
import {
  decodeChange, decodeHeartbeat, decodeHello, encodeAck, encodeChallenge, encodeHelloAck, sealedCtLen,
  type ChangeBody, type HeartbeatBody, type HelloBody,
} from './messages';

export interface ServerSessionOptions {
  /** The install secret S. Not copied and not wiped by the session: the bridge owns it. */
  secret: Buffer;
  now?: () => number;
  random?: (n: number) => Buffer;
  /** Sent in HELLO_ACK. */
  bridgeVersion?: number;
}

export interface ChangeMessage extends ChangeBody {
  /** 32 hex chars: the journal key and trace id. */
  eventIdHex: string;
  /** The account's UTF-8 bytes as on the wire (part of the seal's AAD). */
  accountBytes: Buffer;
  /** From this connection's HELLO. */
  machine: string;
  receivedAt: number;
}

export type ServerEvent =
  | { kind: 'hello'; hello: HelloBody; reply: Buffer }
  | { kind: 'change'; change: ChangeMessage }
  /** A valid, tagged CHANGE the bridge will never accept: `reply` is its ACK (refused); the session lives on. */
  | { kind: 'change-refused'; eventId: Buffer; eventIdHex: string; reason: ReasonName; detail: string; reply: Buffer }
  | { kind: 'heartbeat'; heartbeat: HeartbeatBody }
  /** The session is dead: log reason + detail, close the connection. */
  | ({ kind: 'refused' } & Refusal);

export type ServerState = 'new' | 'await-hello' | 'established' | 'dead';

export class ServerSession {
  private readonly secret: Buffer;
  private readonly now: () => number;
  private readonly random: (n: number) => Buffer;
  private readonly bridgeVersion: number;
  private readonly reader = new FrameReader();
  private nb?: Buffer;
  private keys?: SessionKeys;
  private sendSeq = 0n;
  private recvSeq = 0n;
  private _state: ServerState = 'new';
  private _hello?: HelloBody;
  private _refusal?: Refusal;

  constructor(opts: ServerSessionOptions) {
    this.secret = opts.secret;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? randomBytes;
    this.bridgeVersion = opts.bridgeVersion ?? packVersion(0, 1, 0);
  }

  get state(): ServerState {
    return this._state;
  }
  /** The capture's HELLO, once received. */
  get hello(): HelloBody | undefined {
    return this._hello;
  }
  get refusal(): Refusal | undefined {
    return this._refusal;
  }

  /** The CHALLENGE to send on connect, with a fresh nb. */
  start(): Buffer {
    if (this._state !== 'new') throw new Error('ServerSession.start() called twice');
    this.nb = this.random(NONCE_BYTES);
    if (this.nb.length !== NONCE_BYTES) throw new Error(`random() returned ${this.nb.length} bytes, wanted ${NONCE_BYTES}`);
    this._state = 'await-hello';
    return encodeFrame(MessageType.CHALLENGE, ++this.sendSeq, encodeChallenge({ nb: this.nb }));
  }

  /** Bytes from the connection, in any chunking. Stops at the first refusal. */
  feed(chunk: Buffer): ServerEvent[] {
    const out: ServerEvent[] = [];
    for (const r of this.reader.feed(chunk)) {
      if (this._state === 'dead') break;
      out.push(r.kind === 'frame' ? this.receive(r.frame) : this.refuse(r.reason, r.detail));
    }
    return out;
  }

  /**
   * The capture closed its side. A partial frame in the reader is a 'truncated' refusal; a clean end
   * leaves the session able to ack what it already received (call close() when the socket is gone).
   */
  end(): ServerEvent | undefined {
    const r = this._state === 'dead' ? undefined : this.reader.end();
    return r ? this.refuse(r.reason, r.detail) : undefined;
  }

  receive(frame: Frame): ServerEvent {
    if (this._state === 'new') throw new Error('ServerSession.receive() before start()');
    if (this._state === 'dead') return { kind: 'refused', ...this._refusal! };
    try {
      return this._state === 'await-hello' ? this.onHello(frame) : this.onEstablished(frame);
    } catch (e) {
      if (e instanceof ProtocolError) return this.refuse(e.reason, e.detail);
      throw e;
    }
  }

  /**
   * The ACK for an event (send it only once the event is durable, or refused). Returns undefined when the
   * session is dead: the capture will re-send on its next connection, so there is nothing to do.
   */
  ack(eventId: Buffer | string, status: AckStatusName, reason?: ReasonName): Buffer | undefined {
    if (this._state !== 'established' || !this.keys) return undefined;
    if ((status === 'refused') !== (reason !== undefined)) throw new Error('ack: a reason goes with status refused, and only with it');
    const id = typeof eventId === 'string' ? Buffer.from(eventId, 'hex') : eventId;
    const body = encodeAck({ eventId: id, status: AckStatus[status], reason: reason ? Reason[reason] : 0 });
    return encodeFrame(MessageType.ACK, ++this.sendSeq, body, this.keys.b2c);
  }

  /** Wipe the session keys (also done on refusal). */
  close(): void {
    if (this.keys) wipeSessionKeys(this.keys);
    this.keys = undefined;
    if (this._state !== 'dead') {
      this._state = 'dead';
      this._refusal ??= { reason: 'unexpected', detail: 'session closed' };
    }
  }

  private onHello(f: Frame): ServerEvent {
    if (f.type !== MessageType.HELLO) throw new ProtocolError('unexpected', `${messageTypeName(f.type)} before HELLO`);
    const kHello = helloKey(this.secret, this.nb!);
    const ok = verifyTag(kHello, f.signed, f.tag);
    kHello.fill(0);
    if (!ok) throw new ProtocolError('bad-tag', 'HELLO tag does not verify (wrong install secret, or replayed from another connection)');
    this.checkSeq(f);
    const hello = decodeHello(f.body);
    this.keys = sessionKeys(this.secret, this.nb!, hello.nc);
    this._hello = hello;
    this._state = 'established';
    const reply = encodeFrame(MessageType.HELLO_ACK, ++this.sendSeq, encodeHelloAck({ bridgeVersion: this.bridgeVersion }), this.keys.b2c);
    return { kind: 'hello', hello, reply };
  }

  private onEstablished(f: Frame): ServerEvent {
    const name = messageTypeName(f.type);
    if (f.type === MessageType.HELLO) throw new ProtocolError('unexpected', 'second HELLO on one connection');
    if (f.type !== MessageType.CHANGE && f.type !== MessageType.HEARTBEAT) {
      throw new ProtocolError('unexpected', `${name} is a bridge-to-capture message`);
    }
    // Tag before seq: a frame from another connection is 'bad-tag', one replayed on this one 'replayed'.
    if (!verifyTag(this.keys!.c2b, f.signed, f.tag)) throw new ProtocolError('bad-tag', `${name} tag does not verify`);
    this.checkSeq(f);
    if (f.type === MessageType.HEARTBEAT) return { kind: 'heartbeat', heartbeat: decodeHeartbeat(f.body) };
    const c = decodeChange(f.body);
    const eventIdHex = c.eventId.toString('hex');
    const ctLen = sealedCtLen(c.sealed);
    if (ctLen > MAX_PASSWORD_BYTES) {
      // Closing would make the capture re-send this event forever; a refused ACK makes it drop it.
      const detail = `sealed password of ${ctLen} bytes exceeds ${MAX_PASSWORD_BYTES}`;
      return { kind: 'change-refused', eventId: c.eventId, eventIdHex, reason: 'password-too-long', detail, reply: this.ack(c.eventId, 'refused', 'password-too-long')! };
    }
    return { kind: 'change', change: { ...c, eventIdHex, machine: this._hello!.machine, receivedAt: this.now() } };
  }

  private checkSeq(f: Frame): void {
    if (f.seq !== this.recvSeq + 1n) {
      throw new ProtocolError('replayed', `${messageTypeName(f.type)} seq ${f.seq}, expected ${this.recvSeq + 1n}`);
    }
    this.recvSeq = f.seq;
  }

  private refuse(reason: ReasonName, detail: string): ServerEvent {
    this._refusal = { reason, detail };
    this._state = 'dead';
    if (this.keys) wipeSessionKeys(this.keys);
    this.keys = undefined;
    return { kind: 'refused', reason, detail };
  }
}

