// A minimal bridge for socket tests: ServerSession per connection, acks changes in memory (stored, or
// duplicate for a known event id). `manualAcks` holds ACKs back so tests can release them in any order.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Refusal } from '../../src/protocol/errors';
import { ServerSession, type ChangeMessage } from '../../src/protocol/server-session';
import type { HelloBody } from '../../src/protocol/messages';

export class FakeBridge {
  readonly changes: ChangeMessage[] = [];
  readonly hellos: HelloBody[] = [];
  readonly refusals: Refusal[] = [];
  readonly stored = new Set<string>();
  private readonly held: Array<() => void> = [];
  private refusalWaiters: Array<(r: Refusal) => void> = [];

  private constructor(readonly server: net.Server, readonly socketPath: string, private readonly dir: string,
    private readonly secret: Buffer, private readonly manualAcks: boolean) {}

  static async start(secret: Buffer, opts: { manualAcks?: boolean } = {}): Promise<FakeBridge> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwb-proto-'));
    const socketPath = path.join(dir, 'capture.sock');
    const server = net.createServer();
    const bridge = new FakeBridge(server, socketPath, dir, secret, opts.manualAcks ?? false);
    server.on('connection', (s) => bridge.serve(s));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return bridge;
  }

  /** The next refusal logged by any connection. */
  nextRefusal(): Promise<Refusal> {
    return new Promise((resolve) => this.refusalWaiters.push(resolve));
  }

  /** Release held ACKs (manualAcks), in reverse order to prove clients match by event id. */
  releaseAcks(): number {
    const n = this.held.length;
    for (const send of this.held.splice(0).reverse()) send();
    return n;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private serve(sock: net.Socket): void {
    const session = new ServerSession({ secret: this.secret });
    const refused = (r: Refusal): void => {
      this.refusals.push(r);
      for (const w of this.refusalWaiters.splice(0)) w(r);
      sock.destroy();
    };
    sock.on('error', () => undefined);
    sock.write(session.start());
    sock.on('data', (chunk: Buffer) => {
      for (const ev of session.feed(chunk)) {
        if (ev.kind === 'hello') {
          this.hellos.push(ev.hello);
          sock.write(ev.reply);
        } else if (ev.kind === 'change') {
          this.changes.push(ev.change);
          const status = this.stored.has(ev.change.eventIdHex) ? 'duplicate' : 'stored';
          this.stored.add(ev.change.eventIdHex);
          const send = (): void => {
            const f = session.ack(ev.change.eventId, status);
            if (f && !sock.destroyed) sock.write(f);
          };
          if (this.manualAcks) this.held.push(send);
          else send();
        } else if (ev.kind === 'change-refused') sock.write(ev.reply);
        else if (ev.kind === 'refused') refused(ev);
      }
    });
    sock.on('end', () => {
      const ev = session.end();
      if (ev?.kind === 'refused') refused(ev);
      sock.end();
    });
  }
}
