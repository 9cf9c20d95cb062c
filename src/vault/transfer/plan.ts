/**
 * An import as a plan: every row is looked up and judged (create, update, unchanged, refused) before the
 * first write, so a dry run runs the same path as the real one and a file with any refused row changes
 * nothing. Applying writes each row through the vault's normal writes with source `import`, so the history
 * keeps the replaced password and agents take the new one down like any vault change.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Mode } from '../../domain/types';
import type { PasswordSource, VaultPort } from '../../ports/vault.port';
import { ImportBatchError, hasBatchImport, type ImportWrite } from '../batch-import';
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
  constructor(readonly line: number, readonly reason: unknown) {
    super(`stopped at line ${line}: ${(reason as Error)?.message ?? String(reason)}; the rows listed above were imported, line ${line} and the rows after it were not`);
    this.name = 'ImportStoppedError';
  }
}

/** A write the vault refused while applying the plan in one transaction: nothing of the file was written. */
export class ImportRolledBackError extends Error {
  constructor(readonly line: number, readonly reason: unknown) {
    super(`line ${line}: ${(reason as Error)?.message ?? String(reason)}; nothing was imported (the file is applied in one transaction, which was rolled back)`);
    this.name = 'ImportRolledBackError';
  }
}

/**
 * Apply a plan with no refusals, in file order. A vault that takes a batch in one transaction (the
 * embedded SQLite vault, the hub's SQLite and PostgreSQL: src/vault/batch-import.ts) applies all rows or
 * none: a write refused there (the vault changed since the plan) rolls the whole file back
 * (ImportRolledBackError). The HTTP vault has no transaction across calls (one call per write), so there
 * a refused write stops the run and says which rows were applied (ImportStoppedError); running the file
 * again finishes it. `done` is called for each applied row, after the commit for a batch.
 */
export async function applyPlan(vault: VaultPort, plan: Plan, done: (s: Step) => void, source: PasswordSource = IMPORT): Promise<void> {
  if (refusalsOf(plan).length) throw new Error('a plan with refused rows is not applied');
  if (hasBatchImport(vault)) {
    const writing = plan.steps.filter((s): s is Extract<Step, { kind: 'create' | 'update' }> => s.kind === 'create' || s.kind === 'update');
    try {
      await vault.importBatch(writing.map(writeOf), source);
    } catch (e) {
      if (e instanceof ImportBatchError) throw new ImportRolledBackError(writing[e.index]?.row.line ?? 0, e.cause);
      throw e;
    }
    for (const s of plan.steps) done(s);
    return;
  }
  for (const s of plan.steps) {
    try {
      const w = s.kind === 'create' || s.kind === 'update' ? writeOf(s) : undefined;
      if (w?.kind === 'create') await vault.addCredential(w.credential, undefined, source);
      else if (w?.kind === 'update') await vault.updateCredential(w.client, w.username, w.change, source);
    } catch (e) {
      throw new ImportStoppedError(s.kind === 'refused' ? s.refusal.line : s.row.line, e);
    }
    done(s);
  }
}

function writeOf(s: Extract<Step, { kind: 'create' | 'update' }>): ImportWrite {
  const { client, username, password } = s.row;
  if (s.kind === 'create') return { kind: 'create', credential: { client, username, password, windowsSync: s.windowsSync, mode: s.mode } };
  return {
    kind: 'update', client, username, change: {
      password: s.changes.includes('password') ? password : undefined,
      windowsSync: s.changes.includes('windows sync') ? s.row.windowsSync : undefined,
      mode: s.changes.includes('mode') ? s.row.mode : undefined,
    },
  };
}

export function wipePlan(plan: Plan): void {
  for (const s of plan.steps) if (s.kind !== 'refused') s.row.password.fill(0);
}
