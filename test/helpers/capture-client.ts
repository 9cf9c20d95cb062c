// A reference capture client over a Unix socket: the thin socket half of src/protocol/client-session.ts.
// Tests use it to drive a bridge the way the PAM module / LSA filter will, plus raw-byte injection to
// drive it the way an attacker would.
import * as net from 'node:net';
import { ClientSession, type ChangeInput, type ClientSessionOptions } from '../../src/protocol/client-session';
import type { Refusal } from '../../src/protocol/errors';
import type { AckBody, ChangeBody, HeartbeatBody, HelloAckBody } from '../../src/protocol/messages';

export interface CaptureClientOptions extends Omit<ClientSessionOptions, 'machine'> {
  machine?: string;
  /** Give up on the handshake after this long (ms). */
  timeoutMs?: number;
}

export interface Sent {
  eventIdHex: string;
  /** The CHANGE frame as written: record it to replay it later. */
  frame: Buffer;
  body: ChangeBody;
  acked: Promise<AckBody>;
}

type Waiter = { resolve: (a: AckBody) => void; reject: (e: Error) => void };

export class CaptureClient {
  /** Every frame this client wrote, raw injections included, in order. */
  readonly sent: Buffer[] = [];
  /** Set when the client refused something the bridge sent (e.g. a HELLO_ACK with a bad tag). */
  refusal?: Refusal;
  /** The bridge's HELLO_ACK, once the handshake is done. */
  helloAck?: HelloAckBody;
  /** Resolves when the connection is gone, for whatever reason. */
  readonly closed: Promise<void>;
  private readonly waiters = new Map<string, Waiter[]>();
  private isClosed = false;

  private constructor(private readonly socket: net.Socket, readonly session: ClientSession) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Connect and handshake. Rejects if the peer cannot prove it knows the install secret. */
  static connect(socketPath: string, opts: CaptureClientOptions): Promise<CaptureClient> {
    const session = new ClientSession({ ...opts, machine: opts.machine ?? 'testhost' });
    const socket = net.connect(socketPath);
    const client = new CaptureClient(socket, session);
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (why: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail('handshake timed out'), opts.timeoutMs ?? 5000);
      socket.on('error', (e) => fail(`connection failed: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      socket.on('close', () => {
        client.onClose();
        fail(client.refusal ? `bridge refused: ${client.refusal.reason}: ${client.refusal.detail}` : 'connection closed during the handshake');
      });
      socket.on('data', (chunk: Buffer) => {
        for (const ev of session.feed(chunk)) {
          if (ev.kind === 'challenge') client.write(ev.reply);
          else if (ev.kind === 'ready' && !settled) {
            client.helloAck = ev.helloAck;
            settled = true;
            clearTimeout(timer);
            resolve(client);
          } else if (ev.kind === 'ack') client.onAck(ev.eventIdHex, ev.ack);
          else if (ev.kind === 'refused') {
            client.refusal = { reason: ev.reason, detail: ev.detail };
            fail(`bridge refused: ${ev.reason}: ${ev.detail}`);
            client.destroy();
          }
        }
      });
    });
  }

  /** Seal and send one CHANGE; `acked` resolves on the ACK with this event id. Pipelining is fine. */
  send(input: ChangeInput): Sent {
    const c = this.session.change(input);
    return { eventIdHex: c.eventIdHex, frame: c.frame, body: c.body, acked: this.sendFrame(c.eventIdHex, c.frame) };
  }

  /** Re-send an event as the capture's spool would: same id and sealed bytes, new seq and tag. */
  resend(body: ChangeBody): Sent {
    const frame = this.session.changeFromSealed(body);
    const hex = body.eventId.toString('hex');
    return { eventIdHex: hex, frame, body, acked: this.sendFrame(hex, frame) };
  }

  heartbeat(hb: HeartbeatBody): void {
    this.write(this.session.heartbeat(hb));
  }

  /** Write arbitrary bytes (a recorded frame, garbage, half a frame). The session's seq is untouched. */
  sendRaw(bytes: Buffer): void {
    this.write(bytes);
  }

  /** Half-close: the bridge sees end of stream (a partial frame sent before is then 'truncated'). */
  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
    this.session.close();
  }

  private sendFrame(hex: string, frame: Buffer): Promise<AckBody> {
    const acked = new Promise<AckBody>((resolve, reject) => {
      if (this.isClosed) return reject(new Error('connection is closed'));
      const q = this.waiters.get(hex) ?? [];
      q.push({ resolve, reject });
      this.waiters.set(hex, q);
    });
    acked.catch(() => undefined); // a test that does not await every send must not crash the run
    this.write(frame);
    return acked;
  }

  private write(b: Buffer): void {
    this.sent.push(b);
    if (!this.isClosed) this.socket.write(b);
  }

  private onAck(hex: string, ack: AckBody): void {
    const q = this.waiters.get(hex);
    const w = q?.shift();
    if (q && q.length === 0) this.waiters.delete(hex);
    w?.resolve(ack);
  }

  private onClose(): void {
    this.isClosed = true;
    const why = this.refusal ? `${this.refusal.reason}: ${this.refusal.detail}` : 'connection closed before the ACK';
    for (const q of this.waiters.values()) for (const w of q) w.reject(new Error(why));
    this.waiters.clear();
    this.session.close();
  }
}
