// The capture side of one connection, socket-free: the TypeScript twin of what the C captures do. Used by
// the reference test client, the bench, and (later) `pwbridge selftest`. It refuses to build a CHANGE
// until the bridge's HELLO_ACK proved that the peer knows the install secret.
import { randomBytes } from 'node:crypto';
import {
  CaptureKind, ID_BYTES, MessageType, NONCE_BYTES, messageTypeName, packVersion,
  type CaptureKindCode, type EncodingCode, type MessageTypeCode,
} from './constants';
import { nameBytes } from './body-cursor';
import { ProtocolError, type Refusal } from './errors';
import { FrameReader, encodeFrame, type Frame } from './frame';
import { helloKey, sessionKeys, verifyTag, wipeSessionKeys, type SessionKeys } from './keys';
import {
  decodeAck, decodeChallenge, decodeHelloAck, encodeChange, encodeHeartbeat, encodeHello,
  type AckBody, type ChangeBody, type HeartbeatBody, type HelloAckBody,
} from './messages';
import { Sealer } from './seal';

export interface ClientSessionOptions {
  secret: Buffer;
  /** bridge.pub: the 65-byte point passwords are sealed to. */
  bridgePub: Buffer;
  machine: string;
  kind?: CaptureKindCode;
  captureVersion?: number;
  bootId?: Buffer;
  sessionId?: Buffer;
  random?: (n: number) => Buffer;
  now?: () => number;
  /** Fixed ephemeral key, for test vectors only. */
  ephemeralPrivateKey?: Buffer;
}

export interface ChangeInput {
  /** Kept across re-sends; a fresh random id when absent. */
  eventId?: Buffer;
  capturedAt?: number;
  /** 0xFFFFFFFF = unknown (the default). */
  accountId?: number;
  account: string;
  encoding: EncodingCode;
  /** Not kept and not wiped here: the caller owns it. */
  password: Buffer;
  /** Fixed iv, for test vectors only. */
  iv?: Buffer;
}

export type ClientEvent =
  /** `reply` is the HELLO to send. */
  | { kind: 'challenge'; reply: Buffer }
  /** The bridge proved it knows S: CHANGEs may be sent now. */
  | { kind: 'ready'; helloAck: HelloAckBody }
  | { kind: 'ack'; ack: AckBody; eventIdHex: string }
  | ({ kind: 'refused' } & Refusal);

export type ClientState = 'await-challenge' | 'await-hello-ack' | 'ready' | 'dead';

export class ClientSession {
  private readonly opts: ClientSessionOptions;
  private readonly random: (n: number) => Buffer;
  private readonly now: () => number;
  private readonly sealer: Sealer;
  private readonly reader = new FrameReader();
  private keys?: SessionKeys;
  private sendSeq = 0n;
  private recvSeq = 0n;
  private _state: ClientState = 'await-challenge';
  private _refusal?: Refusal;

  constructor(opts: ClientSessionOptions) {
    this.opts = opts;
    this.random = opts.random ?? randomBytes;
    this.now = opts.now ?? Date.now;
    this.sealer = new Sealer(opts.bridgePub, opts.ephemeralPrivateKey);
  }

  get state(): ClientState {
    return this._state;
  }
  get refusal(): Refusal | undefined {
    return this._refusal;
  }
  /** This session's ephemeral public key (every CHANGE carries it). */
  get epk(): Buffer {
    return this.sealer.epk;
  }

  feed(chunk: Buffer): ClientEvent[] {
    const out: ClientEvent[] = [];
    for (const r of this.reader.feed(chunk)) {
      if (this._state === 'dead') break;
      out.push(r.kind === 'frame' ? this.receive(r.frame) : this.refuse(r.reason, r.detail));
    }
    return out;
  }

  end(): ClientEvent | undefined {
    const r = this._state === 'dead' ? undefined : this.reader.end();
    return r ? this.refuse(r.reason, r.detail) : undefined;
  }

  receive(f: Frame): ClientEvent {
    if (this._state === 'dead') return { kind: 'refused', ...this._refusal! };
    try {
      switch (this._state) {
        case 'await-challenge': return this.onChallenge(f);
        case 'await-hello-ack': return this.onHelloAck(f);
        default: return this.onAck(f);
      }
    } catch (e) {
      if (e instanceof ProtocolError) return this.refuse(e.reason, e.detail);
      throw e;
    }
  }

  /** Seal `password` and frame it as the next CHANGE. Throws unless the bridge has proved itself. */
  change(input: ChangeInput): { eventId: Buffer; eventIdHex: string; frame: Buffer; body: ChangeBody } {
    this.requireReady('CHANGE');
    const eventId = input.eventId ?? this.random(ID_BYTES);
    const accountBytes = nameBytes(input.account, 'account');
    const sealed = this.sealer.seal(input.password, eventId, accountBytes, input.encoding, input.iv);
    const body: ChangeBody = {
      eventId,
      capturedAt: input.capturedAt ?? this.now(),
      accountId: input.accountId ?? 0xffffffff,
      account: input.account,
      encoding: input.encoding,
      sealed,
    };
    return { eventId, eventIdHex: eventId.toString('hex'), frame: this.changeFromSealed(body), body };
  }

  /** Frame an already sealed event (a re-send from the queue or spool: same id, same sealed bytes). */
  changeFromSealed(body: ChangeBody): Buffer {
    this.requireReady('CHANGE');
    return encodeFrame(MessageType.CHANGE, ++this.sendSeq, encodeChange(body), this.keys!.c2b);
  }

  heartbeat(hb: HeartbeatBody): Buffer {
    this.requireReady('HEARTBEAT');
    return encodeFrame(MessageType.HEARTBEAT, ++this.sendSeq, encodeHeartbeat(hb), this.keys!.c2b);
  }

  /** Wipe the session keys and the ephemeral key. */
  close(): void {
    if (this.keys) wipeSessionKeys(this.keys);
    this.keys = undefined;
    this.sealer.close();
    if (this._state !== 'dead') {
      this._state = 'dead';
      this._refusal = { reason: 'unexpected', detail: 'session closed' };
    }
  }

  private requireReady(what: string): void {
    if (this._state !== 'ready' || !this.keys) {
      throw new Error(`cannot send ${what}: the bridge has not proved it knows the install secret (state ${this._state})`);
    }
  }

  private expect(f: Frame, type: MessageTypeCode): void {
    if (f.type !== type) {
      throw new ProtocolError('unexpected', `${messageTypeName(f.type)} while waiting for ${messageTypeName(type)}`);
    }
  }

  private checkTagAndSeq(f: Frame, key: Buffer, failure: string): void {
    if (!verifyTag(key, f.signed, f.tag)) throw new ProtocolError('bad-tag', failure);
    if (f.seq !== this.recvSeq + 1n) {
      throw new ProtocolError('replayed', `${messageTypeName(f.type)} seq ${f.seq}, expected ${this.recvSeq + 1n}`);
    }
    this.recvSeq = f.seq;
  }

  private onChallenge(f: Frame): ClientEvent {
    this.expect(f, MessageType.CHALLENGE);
    if (f.seq !== 1n) throw new ProtocolError('replayed', `CHALLENGE seq ${f.seq}, expected 1`);
    this.recvSeq = 1n;
    const { nb } = decodeChallenge(f.body);
    const nc = this.random(NONCE_BYTES);
    const o = this.opts;
    const body = encodeHello({
      kind: o.kind ?? CaptureKind.reference,
      captureVersion: o.captureVersion ?? packVersion(0, 1, 0),
      bootId: o.bootId ?? Buffer.alloc(ID_BYTES),
      sessionId: o.sessionId ?? this.random(ID_BYTES),
      nc,
      machine: o.machine,
    });
    const kHello = helloKey(o.secret, nb);
    const reply = encodeFrame(MessageType.HELLO, ++this.sendSeq, body, kHello);
    kHello.fill(0);
    this.keys = sessionKeys(o.secret, nb, nc);
    this._state = 'await-hello-ack';
    return { kind: 'challenge', reply };
  }

  private onHelloAck(f: Frame): ClientEvent {
    this.expect(f, MessageType.HELLO_ACK);
    this.checkTagAndSeq(f, this.keys!.b2c, 'HELLO_ACK tag does not verify: the peer does not know the install secret');
    const helloAck = decodeHelloAck(f.body);
    this._state = 'ready';
    return { kind: 'ready', helloAck };
  }

  private onAck(f: Frame): ClientEvent {
    this.expect(f, MessageType.ACK);
    this.checkTagAndSeq(f, this.keys!.b2c, 'ACK tag does not verify');
    const ack = decodeAck(f.body);
    return { kind: 'ack', ack, eventIdHex: ack.eventId.toString('hex') };
  }

  private refuse(reason: Refusal['reason'], detail: string): ClientEvent {
    this._refusal = { reason, detail };
    this._state = 'dead';
    if (this.keys) wipeSessionKeys(this.keys);
    this.keys = undefined;
    return { kind: 'refused', reason, detail };
  }
}

