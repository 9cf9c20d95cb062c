/**
 * The import file's rows: which column is which (ours, or the names Passportal's password import template
 * uses), and each row checked on its own, before any lookup in the vault. A refusal names the line and the
 * field and quotes no cell: when columns are swapped or shifted, any cell may be a password.
 */
import type { Mode } from '../../domain/types';
import type { CsvRecord } from './csv';

export type Field = 'client' | 'username' | 'password' | 'windows sync' | 'mode';

/** Our header, in the order export writes it. */
export const COLUMNS: readonly Field[] = ['client', 'username', 'password', 'windows sync', 'mode'];

/**
 * Header names accepted for each field, compared lower-cased with runs of space, `_` and `-` as one space.
 * "client name" is Passportal's (its Passwords Import Template, N-able Passportal user guide "Importing
 * Passwords by CSV"); "username" and "password" are the same there. Passportal has no windows sync or mode.
 */
const ALIASES: Readonly<Record<string, Field>> = {
  'client': 'client', 'client name': 'client',
  'username': 'username', 'user name': 'username', 'user': 'username',
  'password': 'password',
  'windows sync': 'windows sync', 'windowssync': 'windows sync', 'sync': 'windows sync',
  'mode': 'mode',
};

export interface Header {
  index: Partial<Record<Field, number>>;
  /** Columns that are not ours (e.g. Passportal's Description, Notes, TOTP Secret): never read. */
  ignored: string[];
  /** Fields in the header line: every row must have as many. */
  width: number;
}

export interface Refusal { line: number; field?: Field; why: string }

export class ImportFileError extends Error {
  constructor(readonly line: number, problem: string) {
    super(`line ${line}: ${problem}`);
    this.name = 'ImportFileError';
  }
}

export function readHeader(rec: CsvRecord): Header {
  const index: Partial<Record<Field, number>> = {};
  const ignored: string[] = [];
  rec.fields.forEach((name, i) => {
    const key = name.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
    const field = ALIASES[key] ?? ALIASES[key.replace(/ /g, '')];
    if (!field) { ignored.push(name.trim()); return; }
    if (index[field] !== undefined) throw new ImportFileError(rec.line, `the header names the ${field} column twice`);
    index[field] = i;
  });
  const missing = (['client', 'username', 'password'] as Field[]).filter((f) => index[f] === undefined);
  if (missing.length) {
    throw new ImportFileError(rec.line, `the header has no ${missing.join(', ')} column; the first line must name the columns: ${COLUMNS.join(',')}`);
  }
  return { index, ignored, width: rec.fields.length };
}

/** A row that passed its own checks. Absent windowsSync/mode: a new credential gets the default, an existing one keeps its own. */
export interface ImportRow {
  line: number;
  client: string;
  username: string;
  /** UTF-8; the caller wipes it. */
  password: Buffer;
  windowsSync?: boolean;
  mode?: Mode;
}

const MAX_NAME = 256;
const MAX_PASSWORD_BYTES = 1024;

/** The row, or why not. */
export function readRow(rec: CsvRecord, h: Header): ImportRow | Refusal {
  // A row of another width has its fields shifted (an unquoted comma in a password): none of them can be trusted or shown.
  if (rec.fields.length !== h.width) return { line: rec.line, why: `has ${rec.fields.length} fields, the header has ${h.width} (a comma in a field that is not quoted?)` };
  const get = (f: Field) => (h.index[f] === undefined ? '' : rec.fields[h.index[f] as number]);
  const refuse = (field: Field, why: string): Refusal => ({ line: rec.line, field, why });

  const client = get('client').trim();
  const clientProblem = nameProblem(client);
  if (clientProblem) return refuse('client', clientProblem);

  const username = get('username').trim();
  const userProblem = nameProblem(username) ?? usernameShapeProblem(username);
  if (userProblem) return refuse('username', userProblem);

  const syncText = get('windows sync').trim().toLowerCase();
  let windowsSync: boolean | undefined;
  if (syncText !== '') {
    if (['on', 'yes', 'true', '1'].includes(syncText)) windowsSync = true;
    else if (['off', 'no', 'false', '0'].includes(syncText)) windowsSync = false;
    else return refuse('windows sync', 'is not on or off');
  }

  const modeText = get('mode').trim().toLowerCase();
  let mode: Mode | undefined;
  if (modeText !== '') {
    if (modeText === 'report' || modeText === 'change') mode = modeText;
    else return refuse('mode', 'is not a mode; use report or change');
  }

  // The password is never trimmed, shown or quoted: only what is wrong with it is said.
  const text = get('password');
  if (text === '') return refuse('password', 'is empty');
  if (/[\r\n]/.test(text)) return refuse('password', 'holds a line break (most likely a broken row)');
  const password = Buffer.from(text, 'utf8');
  if (password.length > MAX_PASSWORD_BYTES) {
    password.fill(0);
    return refuse('password', `is longer than ${MAX_PASSWORD_BYTES} bytes`);
  }
  return { line: rec.line, client, username, password, windowsSync, mode };
}

export function isRefusal(r: ImportRow | Refusal): r is Refusal {
  return 'why' in r;
}

function nameProblem(v: string): string | undefined {
  if (v === '') return 'is empty';
  if (v.length > MAX_NAME) return `is longer than ${MAX_NAME} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(v)) return 'has a control character';
  return undefined;
}

/** `MACHINE\user` or `user`: one backslash at most, with a name on each side. */
function usernameShapeProblem(v: string): string | undefined {
  const parts = v.split('\\');
  if (parts.length > 2 || parts.some((p) => p.trim() === '')) {
    return 'is not MACHINE\\user or user';
  }
  return undefined;
}
