// The books a fault scenario keeps: every change it sent, which were acked, and, at the end, what the
// vault shows for each account. The vault is the judge: a change counts as applied once when its
// account's credential holds its password with its capture time as passwordSetAt, and the version moved
// by no more than the changes sent for that account (coalescing may skip older pending ones by design).

export interface SentChange {
  account: string;
  password: string;
  eventIdHex: string;
  capturedAt: number;
}

/** What the vault holds for one account; undefined when it has no credential for it. */
export interface VaultView {
  version: number;
  passwordSetAt: number;
  password: string;
}

export interface Tally {
  sent: number;
  acked: number;
  exactly_once: number;
  lost: number;
  applied_twice: number;
  /** Accounts whose check failed, with why (the first few), for the scenario's detail. */
  problems: string[];
}

export class Ledger {
  private readonly changes: SentChange[] = [];
  private readonly ackedIds = new Set<string>();
  /** The credential's version before the scenario's first change (0 when it did not exist). */
  private readonly baseVersion = new Map<string, number>();

  /** The account's version before the scenario touched it (call before sending; absent = created by a capture). */
  base(account: string, version: number): void {
    this.baseVersion.set(account, version);
  }

  sent(change: SentChange): void {
    this.changes.push(change);
  }

  acked(eventIdHex: string): void {
    this.ackedIds.add(eventIdHex);
  }

  get sentCount(): number {
    return this.changes.length;
  }

  get ackedCount(): number {
    return this.ackedIds.size;
  }

  /** The accounts the scenario sent changes for. */
  accounts(): string[] {
    return [...new Set(this.changes.map((c) => c.account))];
  }

  /**
   * Judge every acked change by the vault's view of its account. The newest acked change of an account
   * (by capture time, then by send order) must be what the vault holds; the version may have moved by at
   * most the number of changes sent for the account (acked or not: an unacked one the capture re-sent
   * may land too).
   */
  async settle(read: (account: string) => Promise<VaultView | undefined>): Promise<Tally> {
    const byAccount = new Map<string, SentChange[]>();
    for (const c of this.changes) {
      const list = byAccount.get(c.account) ?? [];
      list.push(c);
      byAccount.set(c.account, list);
    }
    const tally: Tally = { sent: this.changes.length, acked: this.ackedIds.size, exactly_once: 0, lost: 0, applied_twice: 0, problems: [] };
    const problem = (msg: string) => { if (tally.problems.length < 10) tally.problems.push(msg); };
    for (const [account, list] of byAccount) {
      const acked = list.filter((c) => this.ackedIds.has(c.eventIdHex));
      if (acked.length === 0) continue;
      // Newest by capture time; on a tie, the later send (sort is stable).
      const newest = [...acked].sort((a, b) => a.capturedAt - b.capturedAt).at(-1)!;
      const view = await read(account);
      const base = this.baseVersion.get(account) ?? 0;
      if (!view) {
        tally.lost += acked.length;
        problem(`${account}: no credential in the vault`);
        continue;
      }
      // Each acked change of the account lands in exactly one of the three counts.
      let once = acked.length;
      const steps = view.version - base;
      if (steps > list.length) {
        const twice = Math.min(steps - list.length, once);
        tally.applied_twice += twice;
        once -= twice;
        problem(`${account}: version moved by ${steps} for ${list.length} changes sent`);
      }
      // A newer change than the newest acked one may have landed (sent, not acked, re-sent): that is
      // not a loss as long as it is one of this account's changes.
      const holder = list.find((c) => c.password === view.password && c.capturedAt === view.passwordSetAt);
      if (!holder || holder.capturedAt < newest.capturedAt) {
        if (once > 0) { tally.lost += 1; once -= 1; } // (when all were counted doubled, it stays there)
        problem(`${account}: the vault holds ${holder ? 'an older change' : 'none of the changes sent'} (passwordSetAt ${view.passwordSetAt}, newest acked ${newest.capturedAt})`);
      }
      tally.exactly_once += once;
    }
    return tally;
  }
}
