/**
 * The hub's clock as this machine sees it. Which of a captured change and a vault write came first is
 * decided by comparing a capture time (this machine's clock) with the credential's passwordSetAt (the
 * hub's clock for a write made there). A machine whose clock is minutes off would otherwise either flag
 * false conflicts (clock behind: every recent vault write looks newer than the capture) or overwrite a
 * later vault write with an older local password (clock ahead: the capture looks newer than it is).
 *
 * The rule: every hub answer carries the hub's time in ms (X-Pwbridge-Time, stamped as the answer is
 * sent); the offset is that time minus this machine's time when the answer arrived (low by the answer's
 * transit, milliseconds). HttpVault moves times onto the hub's clock as they leave (capturedAt) and back
 * onto this machine's as they arrive (a credential's passwordSetAt, updatedAt), so the pipeline compares
 * times of one clock, and the vault stores every passwordSetAt on the hub's.
 *
 * The offset moves only when a sample differs from it by more than TOLERANCE_MS: it stays put under the
 * samples' jitter, so a retry of a write that did land (answer lost) reads back exactly the capture time
 * it sent (passwordSetAt == capturedAt: not a conflict, the vault answers "already applied"). Skews
 * within the tolerance are left as they are (a race that close is not decidable by clocks anyway).
 */

/** The response header with the hub's time (ms since the epoch) when it sent the answer. */
export const HUB_TIME_HEADER = 'X-Pwbridge-Time';
export const CLOCK_TOLERANCE_MS = 1000;

export class HubClock {
  private offset = 0;

  constructor(private readonly now: () => number = Date.now, private readonly toleranceMs = CLOCK_TOLERANCE_MS) {}

  /** Hub time minus this machine's time, as last adopted (0 until a sample is more than the tolerance off). */
  get offsetMs(): number {
    return this.offset;
  }

  /** An answer's header value, read when the answer arrived. Anything but a plain integer is ignored. */
  observe(header: string | string[] | undefined): void {
    if (typeof header !== 'string' || !/^\d{1,16}$/.test(header)) return;
    const sample = Number(header) - this.now();
    if (Math.abs(sample - this.offset) > this.toleranceMs) this.offset = sample;
  }

  /** A time of this machine's clock, on the hub's. */
  toHub(local: number): number {
    return local + this.offset;
  }

  /** A time of the hub's clock, on this machine's. */
  toLocal(hub: number): number {
    return hub - this.offset;
  }
}
