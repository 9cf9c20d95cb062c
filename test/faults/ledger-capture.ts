// A capture that keeps the books: it speaks the real protocol (test/helpers/capture-client.ts) to the
// service's socket, and every change it sends goes into a Ledger, acked or not. It behaves as the PAM
// module and LSA filter do where a fault touches them: a change the service did not ack is kept (sealed,
// same event id) and sent again later; a connection the service dropped is made again.
import { performance } from 'node:perf_hooks';
import { AckStatus, Encoding } from '../../src/protocol/constants';
import type { ChangeBody } from '../../src/protocol/messages';
import { CaptureClient } from '../helpers/capture-client';
import { Ledger } from './ledger';

export interface CaptureIdentity { secret: Buffer; bridgePub: Buffer; bootId: Buffer; machine: string }

export class LedgerCapture {
  readonly ledger = new Ledger();
  /** Ack latency of each acked send (ms, from the write to the ACK). */
  readonly ackMs: number[] = [];
  /** Refused by the service (ACK status refused): never acceptable, never re-sent. */
  refused = 0;
  /** Sends that got no ack (connection lost, service gone): kept for resendUnacked(). */
  private readonly unacked = new Map<string, ChangeBody>();
  private readonly acked: string[] = [];
  private client?: CaptureClient;
  private connecting?: Promise<CaptureClient>;
  private readonly lastCapturedAt = new Map<string, number>();
  private inFlight = 0;

  constructor(private readonly socketPath: string, private readonly id: CaptureIdentity) {}

  /** A live connection, made again if the service dropped the last one. Rejects when it cannot connect. */
  async connection(timeoutMs = 5000): Promise<CaptureClient> {
    if (this.client && this.client.session.state === 'ready') return this.client;
    // One connection at a time: sends that arrive while it is being made wait for it (a capture holds one
    // connection; a burst of them would meet the service's per-uid cap and be closed as pending).
    this.connecting ??= (async () => {
      this.client?.destroy();
      this.client = await CaptureClient.connect(this.socketPath, { ...this.id, timeoutMs });
      return this.client;
    })().finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  /**
   * Send one change of `account`; resolves true when acked (stored or duplicate), false otherwise. Its
   * capture time is strictly after the account's last one, so "newest" is never a tie.
   */
  async send(account: string, password: string): Promise<boolean> {
    const client = await this.connection();
    const capturedAt = this.nextCapturedAt(account);
    const s = client.send({ account, encoding: Encoding.raw, password: Buffer.from(password), capturedAt });
    this.ledger.sent({ account, password, eventIdHex: s.eventIdHex, capturedAt });
    return this.await(s.eventIdHex, s.body, s.acked);
  }

  /** A capture time for the account's next change: now, or just after its last one (never a tie). */
  nextCapturedAt(account: string): number {
    const at = Math.max(Date.now(), (this.lastCapturedAt.get(account) ?? 0) + 1);
    this.lastCapturedAt.set(account, at);
    return at;
  }

  /** Event ids the service acked to this capture (stored or duplicate), in ack order. */
  ackedIds(): string[] {
    return [...this.acked];
  }

  /** Changes sent but not acked so far. */
  get unackedCount(): number {
    return this.unacked.size;
  }

  get pending(): number {
    return this.inFlight;
  }

  /**
   * Send every unacked change again (same id, same sealed bytes), as a capture's queue or spool does:
   * `window` at a time, as a capture's bounded queue would, not thousands at once on one connection.
   */
  async resendUnacked(window = 500): Promise<{ acked: number; failed: number }> {
    const bodies = [...this.unacked.values()];
    let acked = 0;
    for (let i = 0; i < bodies.length; i += window) {
      const client = await this.connection();
      const results = await Promise.all(bodies.slice(i, i + window).map((b) => {
        const s = client.resend(b);
        return this.await(s.eventIdHex, b, s.acked);
      }));
      acked += results.filter(Boolean).length;
    }
    return { acked, failed: bodies.length - acked };
  }

  destroy(): void {
    this.client?.destroy();
    this.client = undefined;
  }

  private async await(hex: string, body: ChangeBody, acked: Promise<{ status: number }>): Promise<boolean> {
    const t0 = performance.now();
    this.inFlight++;
    try {
      const ack = await acked;
      if (ack.status === AckStatus.refused) {
        this.refused++;
        this.unacked.delete(hex);
        return false;
      }
      this.ackMs.push(performance.now() - t0);
      this.ledger.acked(hex);
      this.acked.push(hex);
      this.unacked.delete(hex);
      return true;
    } catch {
      this.unacked.set(hex, body);
      return false;
    } finally {
      this.inFlight--;
    }
  }
}
