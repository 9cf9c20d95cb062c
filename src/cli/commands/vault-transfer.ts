import * as fs from 'node:fs';
import type { Command } from 'commander';
import { openVaultAt } from '../../service/open';
import { CsvSyntaxError, parseCsv } from '../../vault/transfer/csv';
import { exportCsv } from '../../vault/transfer/export';
import { applyPlan, ImportRolledBackError, ImportStoppedError, planImport, refusalsOf, wipePlan, type Plan, type Step } from '../../vault/transfer/plan';
import { ImportFileError, type Refusal } from '../../vault/transfer/rows';
import { isSealed, open, seal, SealedFileError } from '../../vault/transfer/sealed-file';
import { writePrivateFileOnce } from '../../vault/transfer/write-private';
import { UsageError } from '../errors';
import { dataDirOf } from '../options';
import { readOneLinePasswordFromStdin } from '../stdin';

const MAX_FILE = 64 * 1024 * 1024;

/** `pwbridge vault import` and `vault export`: the vault to and from a CSV file, plain or sealed with a passphrase. */
export function registerVaultTransfer(vault: Command): void {
  vault
    .command('import <file>')
    .description('create or update credentials from a CSV file (client,username,password,windows sync,mode); an encrypted export reads its passphrase from stdin')
    .option('--dry-run', 'list what would be created, updated and refused; change nothing', false)
    .action(async (file: string, o: { dryRun: boolean }, cmd: Command) => {
      const csv = await readImportFile(file);
      let records;
      try {
        records = parseCsv(csv.toString('utf8'));
      } catch (e) {
        if (e instanceof CsvSyntaxError) throw new UsageError(`vault import: ${file}: ${e.message}`);
        throw e;
      } finally {
        csv.fill(0);
      }
      const v = await openVaultAt(dataDirOf(cmd));
      let plan: Plan | undefined;
      try {
        try {
          plan = await planImport(v, records);
        } catch (e) {
          if (e instanceof ImportFileError) throw new UsageError(`vault import: ${file}: ${e.message}`);
          throw e;
        }
        if (plan.steps.length === 0) throw new UsageError(`vault import: ${file}: no rows after the header`);
        const refused = refusalsOf(plan);
        if (o.dryRun) {
          if (plan.ignoredColumns.length) process.stdout.write(`columns not read: ${plan.ignoredColumns.map((c) => JSON.stringify(c)).join(', ')}\n`);
          for (const s of plan.steps) process.stdout.write(`${describe(s, true)}\n`);
          process.stdout.write(`dry run: ${summary(plan, true)}; nothing was changed\n`);
          if (refused.length) process.exitCode = 2;
          return;
        }
        if (refused.length) {
          throw new UsageError(`vault import: ${file}: ${refused.length} row(s) refused, nothing was imported:\n${refused.map(describeRefusal).join('\n')}`);
        }
        try {
          await applyPlan(v, plan, (s) => process.stdout.write(`${describe(s, false)}\n`));
        } catch (e) {
          // Exit 1 (the vault refused, not the file): the message says which rows went in, or that none did.
          if (e instanceof ImportStoppedError || e instanceof ImportRolledBackError) throw new Error(`vault import: ${file}: ${e.message}`);
          throw e;
        }
        process.stdout.write(`imported: ${summary(plan, false)}\n`);
      } finally {
        if (plan) wipePlan(plan);
        await v.close();
      }
    });

  vault
    .command('export <file>')
    .description('write every credential to a new file (0600): a CSV without passwords, or encrypted with a passphrase from stdin')
    .option('--no-passwords', 'leave the password column empty')
    .option('--passphrase-stdin', 'encrypt the file (scrypt + AES-256-GCM) with a passphrase read from stdin', false)
    .action(async (file: string, o: { passwords: boolean; passphraseStdin: boolean }, cmd: Command) => {
      if (!o.passwords && o.passphraseStdin) {
        throw new UsageError('vault export: --no-passwords and --passphrase-stdin do not go together');
      }
      if (o.passwords && !o.passphraseStdin) {
        throw new UsageError('vault export: passwords are never written in the clear; give --passphrase-stdin (encrypted) or --no-passwords');
      }
      if (fs.existsSync(file)) throw new UsageError(`vault export: ${file} exists; remove it or choose another name`);
      const passphrase = o.passphraseStdin ? await readPassphrase('vault export') : undefined;
      const v = await openVaultAt(dataDirOf(cmd));
      try {
        const { csv, count } = await exportCsv(v, passphrase !== undefined);
        const data = passphrase ? seal(csv, passphrase) : csv;
        try {
          writePrivateFileOnce(file, data);
        } finally {
          csv.fill(0);
        }
        process.stdout.write(`exported ${count} credential(s) to ${file} (${passphrase ? 'encrypted' : 'without passwords'})\n`);
      } finally {
        passphrase?.fill(0);
        await v.close();
      }
    });
}

/** The file as CSV bytes: opened with the passphrase from stdin if it is an encrypted export. */
async function readImportFile(file: string): Promise<Buffer> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new UsageError(`vault import: cannot open ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: Buffer;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`vault import: ${file} is not a regular file`);
    // Mode bits say nothing on Windows (the DACL does); there the check is left to the operator.
    if (process.platform !== 'win32' && (st.mode & 0o044) !== 0) {
      throw new UsageError(`vault import: ${file} is readable by ${(st.mode & 0o040) ? 'its group' : 'others'} (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); `
        + `it holds passwords: chmod 600 ${file} first`);
    }
    if (st.size > MAX_FILE) throw new UsageError(`vault import: ${file} is larger than ${MAX_FILE} bytes`);
    data = fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (!isSealed(data)) return data;
  const passphrase = await readPassphrase('vault import');
  try {
    return open(data, passphrase);
  } catch (e) {
    if (e instanceof SealedFileError) throw new UsageError(`vault import: ${file}: ${e.message}`);
    throw e;
  } finally {
    passphrase.fill(0);
  }
}

async function readPassphrase(what: string): Promise<Buffer> {
  const p = await readOneLinePasswordFromStdin(`${what}: passphrase`);
  if (p.length < 8) {
    p.fill(0);
    throw new UsageError(`${what}: the passphrase is shorter than 8 bytes`);
  }
  return p;
}

function describe(s: Step, dry: boolean): string {
  if (s.kind === 'refused') return describeRefusal(s.refusal);
  const who = `"${s.row.client}" "${s.row.username}"`;
  switch (s.kind) {
    case 'create': return `line ${s.row.line}: ${dry ? 'create' : 'created'} ${who} (mode ${s.mode}, windows sync ${s.windowsSync ? 'on' : 'off'})`;
    case 'update': return `line ${s.row.line}: ${dry ? 'update' : 'updated'} ${who}: ${s.changes.join(', ')}`;
    case 'unchanged': return `line ${s.row.line}: unchanged ${who}`;
  }
}

function describeRefusal(r: Refusal): string {
  return `line ${r.line}: refused: ${r.field ? `${r.field} ` : ''}${r.why}`;
}

function summary(plan: Plan, dry: boolean): string {
  const n = (k: Step['kind']) => plan.steps.filter((s) => s.kind === k).length;
  return dry
    ? `${n('create')} to create, ${n('update')} to update, ${n('unchanged')} unchanged, ${n('refused')} refused`
    : `${n('create')} created, ${n('update')} updated, ${n('unchanged')} unchanged`;
}
