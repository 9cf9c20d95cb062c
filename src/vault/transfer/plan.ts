/**
 * An import as a plan: every row is looked up and judged (create, update, unchanged, refused) before the
 * first write, so a dry run runs the same path as the real one and a file with any refused row changes
 * nothing. Applying writes each row through the vault's normal writes with source `import`, so the history
 * keeps the replaced password and agents take the new one down like any vault change.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Mode } from '../../domain/types';
import type { PasswordSource, VaultPort } from '../../ports/vault.port';
import type { CsvRecord } from './csv';
import { isRefusal, readHeader, readRow, type Field, type ImportRow, type Refusal } from './rows';

export type Step =
  | { kind: 'create'; row: ImportRow; windowsSync: boolean; mode: Mode }
  | { kind: 'update'; row: ImportRow; changes: Array<'password' | Field> }
  | { kind: 'unchanged'; row: ImportRow }
  | { kind: 'refused'; refusal: Refusal };

export interface Plan { steps: Step[]; ignoredColumns: string[] }

const IMPORT: PasswordSource = { kind: 'import' };

export async function planImport(vault: VaultPort, records: CsvRecord[]): Promise<Plan> {
  if (records.length === 0) return { steps: [], ignoredColumns: [] };
  const header = readHeader(records[0]);
  const steps: Step[] = [];
  const seen = new Map<string, number>();
  for (const rec of records.slice(1)) {
    const row = readRow(rec, header);
    if (isRefusal(row)) { steps.push({ kind: 'refused', refusal: row }); continue; }
    const refuse = (field: Field, why: string) => {
      row.password.fill(0);
      steps.push({ kind: 'refused', refusal: { line: row.line, field, why } });
    };
    const client = await vault.getClient(row.client);
    if (!client) { refuse('client', 'names no client of the vault; add the client first'); continue; }
    row.client = client.name;
    const key = `${client.name.toLowerCase()}\u0000${row.username.toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined) { refuse('username', `duplicate: the same client and username are on line ${first}`); continue; }
    seen.set(key, row.line);
    const existing = await vault.findCredential(client.name, row.username);
    if (!existing) {
      steps.push({ kind: 'create', row, windowsSync: row.windowsSync ?? true, mode: row.mode ?? client.defaultMode });
      continue;
    }
    row.username = existing.username;
    const changes: Array<'password' | Field> = [];
    const current = await vault.readPassword(existing.id);
    try {
      if (current.length !== row.password.length || !timingSafeEqual(current, row.password)) changes.push('password');
    } finally {
      current.fill(0);
    }
    if (row.windowsSync !== undefined && row.windowsSync !== existing.windowsSync) changes.push('windows sync');
    if (row.mode !== undefined && row.mode !== existing.mode) changes.push('mode');
    steps.push(changes.length ? { kind: 'update', row, changes } : { kind: 'unchanged', row });
  }
  return { steps, ignoredColumns: header.ignored };
}

export function refusalsOf(plan: Plan): Refusal[] {
  return plan.steps.flatMap((s) => (s.kind === 'refused' ? [s.refusal] : []));
}

/** A write the vault refused while applying: the rows before `line` were applied, this one and those after were not. */
export class ImportStoppedError extends Error {
  constructor(readonly line: number, reason: unknown) {
    super(`stopped at line ${line}: ${(reason as Error)?.message ?? String(reason)}; the rows listed above were imported, line ${line} and the rows after it were not`);
    this.name = 'ImportStoppedError';
  }
}

/**
 * Apply a plan with no refusals, row by row, in file order. The vault has no transaction across calls
 * (the hub's API is one call per write), so a write refused here (the vault changed since the plan, the
 * hub went away) stops the run and says which rows were applied; running the file again finishes it.
 */
export async function applyPlan(vault: VaultPort, plan: Plan, done: (s: Step) => void): Promise<void> {
  if (refusalsOf(plan).length) throw new Error('a plan with refused rows is not applied');
  for (const s of plan.steps) {
    try {
      await applyStep(vault, s);
    } catch (e) {
      throw new ImportStoppedError(s.kind === 'refused' ? s.refusal.line : s.row.line, e);
    }
    done(s);
  }
}

async function applyStep(vault: VaultPort, s: Step): Promise<void> {
  if (s.kind === 'create') {
    const { client, username, password } = s.row;
    await vault.addCredential({ client, username, password, windowsSync: s.windowsSync, mode: s.mode }, undefined, IMPORT);
  } else if (s.kind === 'update') {
    const { client, username, password } = s.row;
    await vault.updateCredential(client, username, {
      password: s.changes.includes('password') ? password : undefined,
      windowsSync: s.changes.includes('windows sync') ? s.row.windowsSync : undefined,
      mode: s.changes.includes('mode') ? s.row.mode : undefined,
    }, IMPORT);
  }
}

export function wipePlan(plan: Plan): void {
  for (const s of plan.steps) if (s.kind !== 'refused') s.row.password.fill(0);
}
