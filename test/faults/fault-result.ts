// One line of `npm run faults`: what a scenario sent, what came back acked, and what the vault shows.
// The counts come from the vault itself (each credential's version, password and passwordSetAt), never
// from event-log rows, which are written a tick after the vault and can be lost by the crash a scenario
// injects.

export interface FaultResult {
  scenario: string;
  /** Changes the scenario's captures sent. */
  sent: number;
  /** Of those, acked by the service (durable in its journal). */
  acked: number;
  /** Acked changes the vault shows applied once (or superseded by a newer acked change of the account). */
  exactly_once: number;
  /** Acked changes the vault does not show. */
  lost: number;
  /** Acked changes the vault applied more than once (a version step too many). */
  applied_twice: number;
  /** Seconds from the end of the fault until the service (or hub) delivered again; 0 when it never stopped. */
  recover_s: number;
  /** Whether the service kept serving through the fault (a probe capture acked, or the API answered). */
  served_throughout: boolean;
  /** Anything else the scenario measured (counts, p99s, RSS), free-form but JSON. */
  detail?: Record<string, unknown>;
}

/** A fault scenario: real processes, one fault, one result. */
export interface FaultScenario {
  /** The name `npm run faults -- NAME` selects (sigkill, vault-down, …). */
  name: string;
  /** One sentence for the README's table: what is done to what. */
  fault: string;
  /** Short enough (and with what it needs present) to run in .ci/run's test suite. */
  ci: boolean;
  /** Why it cannot run here now (a missing package, not root), or undefined when it can. */
  missing?(): string | undefined;
  run(progress: (msg: string) => void): Promise<FaultResult>;
}

/** A result is a pass when nothing acked was lost or doubled and the service served throughout. */
export function faultPassed(r: FaultResult): boolean {
  return r.lost === 0 && r.applied_twice === 0 && r.exactly_once === r.acked && r.served_throughout;
}
