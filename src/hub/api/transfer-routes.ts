/**
 * Import and export in the dashboard, the same files as `pwbridge vault import` / `vault export`
 * (src/vault/transfer/: one CSV parser, one plan, one sealed-file format):
 *
 * - POST /api/dashboard/import `{ file, passphrase?, dryRun }` (operators and admins): the file is a CSV
 *   (client, username, password, windows sync, mode; Passportal's column names too) or an encrypted export
 *   (then with its passphrase). A dry run answers what would be created, updated, left unchanged and
 *   refused (each refusal with its line, field and reason, never a cell's text), and changes nothing. The
 *   real run refuses the whole file while any row is refused, and otherwise applies every row in one
 *   transaction (src/vault/batch-import.ts): all rows or none.
 * - POST /api/dashboard/export `{ passwords, passphrase? }`: every credential of every client. Without
 *   passwords for any user (a viewer already lists all of it). With passwords only for an admin whose
 *   session re-entered its password in the last 5 minutes (the reveal's step-up), and sealed with a
 *   passphrase (scrypt + AES-256-GCM, the CLI's format): an export is every password at once, the most the
 *   hub can hand out, so it takes more than revealing one (operator + step-up), and it is never in the clear.
 *
 * The file and the passphrase are `bytes` fields, so the request's copies are wiped (src/hub/schema.ts);
 * neither is logged or put in an event. Every import (dry runs too: a dry run tells whether a password in
 * the file is the vault's) and every export is recorded, an export before its file leaves.
 */
import { atLeast, describePrincipal } from '../access';
import { record, refuse, type ApiContext, type Route } from './context';
import { HttpError } from '../http-error';
import { VaultConflictError, VaultNotFoundError, VaultPolicyError } from '../../ports/vault.port';
import { VaultInputError } from '../../vault/errors';
import { arr, bool, bytes, integer, obj, oneOf, str } from '../schema';
import { steppedUpUntil, STEP_UP_MS } from '../step-up';
import { STEP_UP_PATH } from './reveal-routes';
import { CsvSyntaxError, parseCsv, type CsvRecord } from '../../vault/transfer/csv';
import { exportCsv } from '../../vault/transfer/export';
import { applyPlan, ImportRolledBackError, ImportStoppedError, planImport, refusalsOf, wipePlan, type Plan, type Step } from '../../vault/transfer/plan';
import { ImportFileError } from '../../vault/transfer/rows';
import { isSealed, openAsync, sealAsync, SealedFileError } from '../../vault/transfer/sealed-file';

export const IMPORT_PATH = '/api/dashboard/import';
export const EXPORT_PATH = '/api/dashboard/export';

/** The largest file an import takes (CSV or encrypted export), in bytes. */
export const MAX_IMPORT_FILE_BYTES = 8 * 1024 * 1024;
/** Rows per import: each is looked up in the vault before the first write, and all go in one transaction. */
export const MAX_IMPORT_ROWS = 10_000;
/** The import's request body: the file in base64, and room for the rest. */
export const MAX_IMPORT_BODY_BYTES = Math.ceil(MAX_IMPORT_FILE_BYTES / 3) * 4 + 64 * 1024;
/** scrypt memory an uploaded export may ask for: twice what pwbridge writes (N=32768, r=8: 32 MiB). */
const MAX_SCRYPT_BYTES = 64 * 1024 * 1024;
/** The CLI's rule for a passphrase (src/cli/commands/vault-transfer.ts), and a bound. */
const MIN_PASSPHRASE = 8;
const MAX_PASSPHRASE = 1024;
/** Refusals quoted in the message of a refused real import (the dry run lists them all). */
const REFUSALS_IN_MESSAGE = 20;

const ACTIONS = ['create', 'update', 'unchanged', 'refused'] as const;

/** One row of the plan as the API answers it: names and options, never a password. */
interface PlanRow {
  line: number;
  action: (typeof ACTIONS)[number];
  client?: string;
  username?: string;
  mode?: string;
  windowsSync?: boolean;
  changes?: string[];
  field?: string;
  why?: string;
}

const rowSchema = obj({
  line: integer, action: oneOf(ACTIONS), client: str, username: str, mode: str, windowsSync: bool, changes: arr(str, 3), field: str, why: str,
}, ['client', 'username', 'mode', 'windowsSync', 'changes', 'field', 'why']);
const countsSchema = obj({ create: integer, update: integer, unchanged: integer, refused: integer });

function rowOf(s: Step): PlanRow {
  switch (s.kind) {
    case 'refused': return { line: s.refusal.line, action: 'refused', ...(s.refusal.field ? { field: s.refusal.field } : {}), why: s.refusal.why };
    case 'create': return { line: s.row.line, action: 'create', client: s.row.client, username: s.row.username, mode: s.mode, windowsSync: s.windowsSync };
    case 'update': return { line: s.row.line, action: 'update', client: s.row.client, username: s.row.username, changes: [...s.changes] };
    case 'unchanged': return { line: s.row.line, action: 'unchanged', client: s.row.client, username: s.row.username };
  }
}

function countsOf(plan: Plan): Record<Step['kind'], number> {
  const n = (k: Step['kind']) => plan.steps.filter((s) => s.kind === k).length;
  return { create: n('create'), update: n('update'), unchanged: n('unchanged'), refused: n('refused') };
}

const describeCounts = (c: Record<Step['kind'], number>, dry: boolean): string => (dry
  ? `${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.refused} refused`
  : `${c.create} created, ${c.update} updated, ${c.unchanged} unchanged`);

const isVaultRefusal = (e: unknown): boolean =>
  e instanceof VaultInputError || e instanceof VaultNotFoundError || e instanceof VaultPolicyError || e instanceof VaultConflictError;

/** The CSV records of the uploaded file: an encrypted export opened with its passphrase first. */
async function recordsOf(file: Buffer, passphrase: Buffer | undefined): Promise<CsvRecord[]> {
  if (file.length > MAX_IMPORT_FILE_BYTES) {
    throw new HttpError(413, 'too-large', `the import file is ${file.length} bytes; the hub imports files of at most ${MAX_IMPORT_FILE_BYTES} bytes (8 MiB): split it`);
  }
  let csv = file;
  if (!isSealed(file) && passphrase) throw new HttpError(400, 'bad-request', 'passphrase goes only with an encrypted export; this file is not one');
  if (isSealed(file)) {
    if (!passphrase) throw new HttpError(400, 'passphrase-required', 'the file is an encrypted pwbridge export: give its passphrase');
    try {
      csv = await openAsync(file, passphrase, MAX_SCRYPT_BYTES);
    } catch (e) {
      if (e instanceof SealedFileError) throw new HttpError(400, 'bad-file', `the encrypted export does not open: ${e.message}`);
      throw e;
    }
  }
  try {
    return parseCsv(csv.toString('utf8'));
  } catch (e) {
    // The line and the field (column), never the text: it may be a password.
    if (e instanceof CsvSyntaxError) throw new HttpError(400, 'bad-csv', `the file is not valid CSV: ${e.message}`, { line: e.line, field: e.field });
    throw e;
  } finally {
    if (csv !== file) csv.fill(0);
  }
}

async function importFile(ctx: ApiContext, a: { file: Buffer; passphrase?: Buffer; dryRun: boolean }): Promise<unknown> {
  const p = ctx.principal;
  if (p?.kind !== 'user' || !atLeast(p.user.role, 'operator')) await refuse(ctx, `import credentials${a.dryRun ? ' (dry run)' : ''}`);
  const by = describePrincipal(ctx.principal);
  const records = await recordsOf(a.file, a.passphrase);
  const rows = records.length - 1;
  if (rows > MAX_IMPORT_ROWS) {
    throw new HttpError(413, 'too-large', `the import file has ${rows} rows; the hub imports at most ${MAX_IMPORT_ROWS} rows per file: split it`);
  }
  let plan: Plan | undefined;
  try {
    try {
      plan = await planImport(ctx.vault, records);
    } catch (e) {
      if (e instanceof ImportFileError) throw new HttpError(400, 'bad-csv', `the file cannot be imported: ${e.message}`, { line: e.line });
      throw e;
    }
    if (plan.steps.length === 0) throw new HttpError(400, 'bad-csv', 'the file has no rows after the header');
    const counts = countsOf(plan);
    const what = `a file of ${plan.steps.length} row(s) (${a.file.length} bytes${isSealed(a.file) ? ', an encrypted export' : ''})`;
    const answer = { dryRun: a.dryRun, counts, ignoredColumns: plan.ignoredColumns, rows: plan.steps.map(rowOf) };
    if (a.dryRun) {
      await record(ctx, { kind: 'vault-imported', outcome: 'info', reason: `dry run by ${by} of ${what}: ${describeCounts(counts, true)}; nothing was changed` });
      return { ...answer, applied: false };
    }
    const refused = refusalsOf(plan);
    if (refused.length) {
      await record(ctx, { kind: 'vault-imported', outcome: 'refused', reason: `import by ${by} of ${what} refused: ${refused.length} row(s) refused (first on line ${refused[0].line}); nothing was imported` });
      const listed = refused.slice(0, REFUSALS_IN_MESSAGE).map((r) => `line ${r.line}: ${r.field ? `${r.field} ` : ''}${r.why}`);
      throw new HttpError(400, 'import-refused', `${refused.length} row(s) refused, nothing was imported (a dry run lists them all): ${listed.join('; ')}${refused.length > listed.length ? '; …' : ''}`,
        { refused: refused.length });
    }
    try {
      await applyPlan(ctx.vault, plan, () => undefined);
    } catch (e) {
      if (!(e instanceof ImportRolledBackError || e instanceof ImportStoppedError)) throw e;
      // The vault's own refusal (the vault changed since the plan: a credential created or deleted
      // meanwhile) names what, and is the caller's to fix; a database failure is the hub's (500/503), and
      // its message (which may name hosts) stays in the log.
      if (!isVaultRefusal(e.reason)) {
        await record(ctx, { kind: 'vault-imported', outcome: 'refused', reason: `import by ${by} of ${what}: the database failed at line ${e.line}; nothing was imported (the hub's log has the detail)` });
        throw e.reason;
      }
      await record(ctx, { kind: 'vault-imported', outcome: 'refused', reason: `import by ${by} of ${what}: ${e.message}` });
      throw new HttpError(409, 'import-rolled-back', `the vault refused the import: ${e.message}; run the dry run again`, { line: e.line });
    }
    await record(ctx, { kind: 'vault-imported', outcome: 'ok', reason: `import by ${by} of ${what}: ${describeCounts(counts, false)}` });
    return { ...answer, applied: true };
  } finally {
    if (plan) wipePlan(plan);
  }
}

/** An admin's session stepped up within STEP_UP_MS, or a 403 saying which is missing (the role's refusal recorded). */
async function mayExportPasswords(ctx: ApiContext): Promise<void> {
  const p = ctx.principal;
  if (p?.kind !== 'user' || p.user.role !== 'admin') {
    await refuse(ctx, 'export passwords (only an admin may, after re-entering their password)');
  }
  const u = p as Extract<typeof p, { kind: 'user' }>;
  const until = await steppedUpUntil(ctx.store.sql, u.tokenHash);
  if (until === undefined || until <= ctx.now()) {
    throw new HttpError(403, 'step-up-required',
      `exporting passwords needs your own password re-entered within the last ${STEP_UP_MS / 60_000} minutes (POST ${STEP_UP_PATH}); this session has not`);
  }
}

function fileName(now: number, sealed: boolean): string {
  const stamp = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return `pwbridge-vault-${stamp}${sealed ? '.sealed' : '.csv'}`;
}

async function exportFile(ctx: ApiContext, a: { passwords: boolean; passphrase?: Buffer }): Promise<unknown> {
  if (a.passwords) {
    await mayExportPasswords(ctx);
    if (!a.passphrase) throw new HttpError(400, 'bad-request', 'passphrase is required with passwords: passwords are never exported in the clear');
    if (a.passphrase.length < MIN_PASSPHRASE || a.passphrase.length > MAX_PASSPHRASE) {
      throw new HttpError(400, 'bad-request', `passphrase must be ${MIN_PASSPHRASE} to ${MAX_PASSPHRASE} bytes`);
    }
  } else {
    if (ctx.principal?.kind !== 'user') await refuse(ctx, 'export the vault (a user\'s export)');
    if (a.passphrase) throw new HttpError(400, 'bad-request', 'passphrase goes only with passwords: an export without passwords is not encrypted');
  }
  const { csv, count } = await exportCsv(ctx.vault, a.passwords);
  let file: Buffer;
  try {
    file = a.passwords ? await sealAsync(csv, a.passphrase!) : Buffer.from(csv);
  } finally {
    csv.fill(0);
  }
  const name = fileName(ctx.now(), a.passwords);
  // Stored before the file leaves: if the event cannot be stored, the request fails and nothing is sent.
  await record(ctx, {
    kind: 'vault-exported', outcome: 'ok',
    reason: `${count} credential(s) exported by ${describePrincipal(ctx.principal)} from ${ctx.address}, ${a.passwords ? 'with passwords, encrypted with a passphrase' : 'without passwords'} (${name})`,
  });
  try {
    return { file: file.toString('base64'), name, count, encrypted: a.passwords };
  } finally {
    file.fill(0);
  }
}

export const transferRoutes: Route[] = [
  {
    method: 'POST', path: IMPORT_PATH,
    summary: 'Import credentials from a CSV file or an encrypted export: a dry run says what would change; the real run applies all rows or none',
    body: obj({ file: bytes, passphrase: bytes, dryRun: bool }, ['passphrase']),
    bodyLimit: { bytes: MAX_IMPORT_BODY_BYTES, message: `the import is larger than the hub takes: files of at most ${MAX_IMPORT_FILE_BYTES} bytes (8 MiB), sent as base64 in a body of at most ${MAX_IMPORT_BODY_BYTES} bytes` },
    response: obj({ dryRun: bool, applied: bool, counts: countsSchema, ignoredColumns: arr(str, 1000), rows: arr(rowSchema, MAX_IMPORT_ROWS) }),
    handle: importFile,
  },
  {
    method: 'POST', path: EXPORT_PATH,
    summary: 'Export every credential as a file: without passwords, or (an admin after a step-up) with them, encrypted with a passphrase',
    body: obj({ passwords: bool, passphrase: bytes }, ['passphrase']),
    response: obj({ file: str, name: str, count: integer, encrypted: bool }),
    handle: exportFile,
  },
];
