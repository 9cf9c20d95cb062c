/**
 * The push-down cursor: what an agent's reconcile depends on, as one opaque string. The client's sync
 * options and, for each credential that reaches the agent's machine (its own `MACHINE\user` or a shared
 * bare `user`), its id, version, mode and Windows Sync. Flags are left out: reconcile sets them, and they
 * must not wake it. And the conflict choices made for the machine and not yet carried out (a person chose
 * "keep the vault's" or "take the machine's" on the dashboard): its reconcile pass carries them out. A pure function of the database's rows, so every hub process computes the same cursor.
 */
import { createHash } from 'node:crypto';
import { foldName } from '../domain/fold-name';
import { machineOf } from './access';

export interface ChangeState {
  client: { windowsSync: number; twoWaySync: number; autoCreate: number; defaultMode: string };
  /** In id order. `machineKey`: the folded machine of a `MACHINE\user`, null for a shared one. */
  credentials: Array<{ id: number; machineKey: string | null; version: number; mode: string; windowsSync: number }>;
  /** Conflict choices not yet carried out, by credential id then machine key; absent: none. */
  resolutions?: Array<{ credentialId: number; machineKey: string; choice: string }>;
}

/** The state's rows as ChangeState credentials (the machine folded once per row, not once per waiter). */
export function toChangeCredential(r: { id: number; username: string; version: number; mode: string; windows_sync: number }): ChangeState['credentials'][number] {
  const m = machineOf(r.username);
  return { id: r.id, machineKey: m === undefined ? null : foldName(m), version: r.version, mode: r.mode, windowsSync: r.windows_sync };
}

/** `undefined` state: the client does not exist. */
export function cursorFor(state: ChangeState | undefined, machine: string): string {
  if (!state) return 'none';
  const mine = foldName(machine);
  const c = state.client;
  const h = createHash('sha256');
  h.update(`${c.windowsSync}|${c.twoWaySync}|${c.autoCreate}|${c.defaultMode}\n`);
  for (const r of state.credentials) {
    if (r.machineKey === null || r.machineKey === mine) h.update(`${r.id}|${r.version}|${r.mode}|${r.windowsSync}\n`);
  }
  for (const k of state.resolutions ?? []) if (k.machineKey === mine) h.update(`resolve|${k.credentialId}|${k.choice}\n`);
  return h.digest('base64url').slice(0, 22);
}
