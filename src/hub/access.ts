/**
 * Who is calling, and what they may touch.
 *
 * Users have a role: viewer (reads clients, credentials without passwords, events), operator (all vault
 * operations, password reads included), admin (operator plus users). The permission setup-ad-sync is
 * needed on top to enrol an agent. An agent's token is scoped to one client and one machine: it sees
 * its client, and of its credentials only those that apply to its machine (`MACHINE\user` of its own
 * machine, or a bare `user` shared by every machine); it creates and edits only its own machine's
 * `MACHINE\user` (a shared credential is the operators' to create or switch, as it reaches every
 * machine); it records only its own machine, and its own machine's events.
 */
import { foldName } from '../domain/fold-name';
import type { HubAgent, HubUser, Role } from './store';

export type Principal =
  | { kind: 'user'; user: HubUser; tokenHash: string }
  | { kind: 'agent'; agent: HubAgent };

export function describePrincipal(p: Principal | undefined): string {
  if (!p) return 'anonymous';
  return p.kind === 'user' ? `user "${p.user.name}" (${p.user.role})` : `agent "${p.agent.machine}" (client "${p.agent.client}")`;
}

/** The machine a `MACHINE\user` credential belongs to; undefined for a bare (shared) username. */
export function machineOf(username: string): string | undefined {
  const i = username.indexOf('\\');
  return i < 0 ? undefined : username.slice(0, i);
}

export const sameName = (a: string, b: string): boolean => foldName(a) === foldName(b);

/** The credential is the agent's own machine's `MACHINE\user`. */
export function ownMachineCredential(agent: HubAgent, client: string, username: string): boolean {
  const m = machineOf(username);
  return sameName(client, agent.client) && m !== undefined && sameName(m, agent.machine);
}

/** The credential reaches the agent's machine: its own `MACHINE\user`, or a shared `user` of its client. */
export function appliesToAgent(agent: HubAgent, client: string, username: string): boolean {
  const m = machineOf(username);
  return sameName(client, agent.client) && (m === undefined || sameName(m, agent.machine));
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
export const atLeast = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];

/** Event kinds only the hub writes; an agent appending one is refused (it would forge the audit trail). */
export const HUB_EVENT_KINDS: ReadonlySet<string> = new Set([
  'password-read', 'access-refused', 'login', 'agent-enrolled',
  'user-created', 'user-disabled', 'user-enabled', 'user-changed', 'user-password-set', 'client-changed', 'client-deleted',
  'credential-deleted',
  'capture-time-clamped', 'login-throttle-cleared',
  'step-up', 'password-restored', 'conflict-resolved', 'conflict-flag-cleared',
  'vault-imported', 'vault-exported',
  'enrolment-token-created', 'enrolment-token-revoked', 'enrolment-token-refused',
  'alerts-configured', 'alert-secret-generated', 'alert-test', 'alert-undelivered', 'alert-requeued',
  'rotation', 'rotation-policy-changed',
  'mfa-enabled', 'mfa-reset', 'mfa-required',
]);

/** The machine name the hub's own events carry when a user (not an agent) acted. */
export const HUB_MACHINE = 'hub';

/**
 * Names no machine may be enrolled under: the machine names the hub writes its own events with. An agent
 * reads and appends the events of its own machine name, so one enrolled as "hub" would read the hub's
 * audit trail (logins, password reads, user changes) and could add to it. Compared folded (machines are).
 */
export const RESERVED_MACHINE_NAMES: readonly string[] = [HUB_MACHINE];

/** The reserved name `machine` is (as spelled in the list), or undefined. */
export function reservedMachineName(machine: string): string | undefined {
  return RESERVED_MACHINE_NAMES.find((r) => sameName(r, machine));
}

export function reservedMachineMessage(machine: string, reserved: string): string {
  return `machine name "${machine}" is reserved: the hub records its own events under "${reserved}"; `
    + 'enrol this machine under another name (the "machine" setting of its config.json)';
}
