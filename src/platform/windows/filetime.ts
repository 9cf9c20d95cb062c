// Time on Windows: FILETIME (100 ns ticks since 1601-01-01 UTC) and NetAPI's password age (whole seconds
// since the password was set, computed by netapi32 against the clock at the moment of the call).
//
// Password age is what reconcile's "did the local password change?" rests on, and it is noisy: the same
// password read twice gives a last-set time one second apart, depending on where in the second each call
// fell. A fingerprint that flickered would make reconcile verify again, and on Windows every failed
// verification is a failed logon. So last-set times go through a LastSetStabilizer, which keeps the value
// it saw before while a new reading stays within a small tolerance of it.

/** 100 ns ticks from 1601-01-01 to 1970-01-01. */
export const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;
const TICKS_PER_MS = 10_000n;

export function filetimeToMs(ft: bigint): number {
  return Number((ft - FILETIME_UNIX_EPOCH) / TICKS_PER_MS);
}

export function msToFiletime(ms: number): bigint {
  return BigInt(Math.floor(ms)) * TICKS_PER_MS + FILETIME_UNIX_EPOCH;
}

export function splitFiletime(ft: bigint): { low: number; high: number } {
  return { low: Number(ft & 0xffff_ffffn), high: Number((ft >> 32n) & 0xffff_ffffn) };
}

export function joinFiletime(low: number, high: number): bigint {
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

/** When the password was set (whole seconds since 1970), from its age as NetAPI reported it at `nowMs`. */
export function lastSetFromAge(nowMs: number, passwordAgeSec: number): number {
  return Math.floor(nowMs / 1000) - passwordAgeSec;
}

/** Where the stabilizer keeps what it saw, so a restart (or `reconcile --once`) sees the same values. */
export interface LastSetStore {
  load(): Record<string, number> | undefined;
  save(values: Record<string, number>): void;
}

/** Within this many seconds of the value seen before, a reading is the same password-set moment. */
export const LAST_SET_TOLERANCE_SEC = 2;

export class LastSetStabilizer {
  private values?: Map<string, number>;
  private dirty = false;

  constructor(private readonly store?: LastSetStore, private readonly toleranceSec = LAST_SET_TOLERANCE_SEC) {}

  /** The stable last-set second for the account with this RID, given this reading. */
  stabilize(rid: number, readingSec: number): number {
    const values = this.load();
    const key = String(rid);
    const known = values.get(key);
    if (known !== undefined && Math.abs(readingSec - known) <= this.toleranceSec) return known;
    values.set(key, readingSec);
    this.dirty = true;
    return readingSec;
  }

  /** Save what changed (once per listing, not once per account). */
  commit(): void {
    if (!this.dirty || !this.store || !this.values) return;
    this.store.save(Object.fromEntries(this.values));
    this.dirty = false;
  }

  private load(): Map<string, number> {
    if (!this.values) {
      const raw = this.store?.load();
      this.values = new Map(Object.entries(raw ?? {}).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)));
    }
    return this.values;
  }
}
