import type { Credential } from '../domain/types';
import type { AccountPort, LocalAccount } from '../ports/account.port';
import type { EventSink } from '../ports/event-sink.port';
import type { EchoStore, JournalPort, StateStore } from '../ports/journal.port';
import type { VaultPort } from '../ports/vault.port';

export interface ReconcileDeps {
  vault: VaultPort;
  accounts: AccountPort;
  state: StateStore;
  echo: EchoStore;
  events: EventSink;
  /**
   * Optional: when given, a credential whose account has a captured change still pending is skipped:
   * setting the vault's (older) password would undo the user's change that is about to be pushed.
   */
  journal?: Pick<JournalPort, 'pendingFor'> & Partial<Pick<JournalPort, 'get' | 'conflicted' | 'resendConflicted' | 'dropConflicted'>>;
  /** Wakes the journal processor (a conflicted capture was made pending again); absent, its own poll finds it. */
  wakeJournal?: () => void;
}

export interface ReconcileOptions {
  /** This machine's name (`MACHINE\user` credentials apply here). */
  machine: string;
  client: string;
  /** How long the echo record of a password reconcile set stays valid (the capture reports it within seconds). */
  echoTtlMs: number;
  now(): number;
  /** Accounts never reconciled (as never synced): machine accounts, krbtgt*, the service account, the list. */
  exclusions?: { serviceAccount: string; exclude: readonly string[] };
  /** How long to wait for another process's pass (the service's, a CLI's) to finish. Default 60 s. */
  leaseWaitMs?: number;
}

/**
 * What happened to one credential:
 * unchanged: memo says nothing changed since the last verification, nothing done;
 * matched / flagged / set / failed: the result of this pass's verification (or known mismatch);
 * cleared-only: a memo said match but the mismatch flag was still on (cleared without verifying);
 * no-local-account / sync-off / excluded / shadowed / pending-capture: not checked.
 */
export type ReconcileAction =
  | 'unchanged'
  | 'matched'
  | 'flagged'
  | 'set'
  | 'failed'
  | 'cleared-only'
  | 'no-local-account'
  | 'sync-off'
  | 'excluded'
  | 'shadowed'
  | 'pending-capture';

export interface ReconcileItem {
  credential: number;
  username: string;
  account?: string;
  action: ReconcileAction;
}

/**
 * checked = credentials that apply here and have a local account (unchanged + looked at);
 * unchanged ⊂ checked; matched, flagged, set, failed count this pass's results;
 * cleared counts mismatch flags removed (on a match or after a set), so it overlaps matched/set;
 * skipped = credentials for this machine that were not checked (sync off, shadowed, no local account,
 * pending capture). Other machines' credentials are not counted at all.
 */
export interface ReconcileReport {
  checked: number;
  unchanged: number;
  matched: number;
  flagged: number;
  cleared: number;
  set: number;
  failed: number;
  skipped: number;
  durationMs: number;
  /** Set when the whole pass did nothing (client missing, client windows sync off, vault unreachable). */
  reason?: string;
  items: ReconcileItem[];
}

/** A credential that applies to this machine, with its local account. */
export interface Target {
  credential: Credential;
  account: LocalAccount;
}
