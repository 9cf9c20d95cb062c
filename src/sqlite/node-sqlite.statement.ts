/**
 * A node:sqlite statement held to the seam's rules (database.ts), for the node:sqlite driver: values
 * checked against the statement's parameters before they are bound, BLOBs as Buffers over node:sqlite's
 * own Uint8Array (no copy), rows as plain objects (node:sqlite's have a null prototype), and SQLite
 * result code names in `err.code`.
 */
import type { RunResult, SqliteStatement } from './database';
import type { StatementParameters } from './parameters';
import { resultCodeName } from './result-codes';

/** The part of node:sqlite's StatementSync used here (typed by hand: @types/node 20 has no node:sqlite). */
export interface StatementSync {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  setReturnArrays(enabled: boolean): void;
  /** A getter in current releases, a method in the first ones. */
  readonly sourceSQL: string | (() => string);
}

type Shape = 'object' | 'array' | 'first';

export class NodeSqliteStatement implements SqliteStatement {
  private shape: Shape = 'object';

  constructor(private readonly st: StatementSync, private readonly params: StatementParameters) {}

  // try/catch written out in these three, not wrapped in a closure: they are the hot path.
  run(...params: unknown[]): RunResult {
    const args = this.bind(params);
    try {
      return this.st.run(...args);
    } catch (err) {
      throw translateError(err);
    }
  }

  get(...params: unknown[]): unknown {
    const args = this.bind(params);
    let row: unknown;
    try {
      row = this.st.get(...args);
    } catch (err) {
      throw translateError(err);
    }
    return row === undefined ? undefined : this.toRow(row);
  }

  all(...params: unknown[]): unknown[] {
    const args = this.bind(params);
    let rows: unknown[];
    try {
      rows = this.st.all(...args);
    } catch (err) {
      throw translateError(err);
    }
    for (let i = 0; i < rows.length; i++) rows[i] = this.toRow(rows[i]);
    return rows;
  }

  raw(): SqliteStatement {
    this.shape = 'array';
    this.st.setReturnArrays(true);
    return this;
  }

  pluck(): SqliteStatement {
    this.shape = 'first';
    this.st.setReturnArrays(true);
    return this;
  }

  private toRow(row: unknown): unknown {
    if (this.shape === 'first') return value((row as unknown[])[0]);
    if (this.shape === 'array') {
      const a = row as unknown[];
      for (let i = 0; i < a.length; i++) a[i] = value(a[i]);
      return a;
    }
    const out: Record<string, unknown> = {};
    const r = row as Record<string, unknown>;
    for (const k in r) out[k] = value(r[k]);
    return out;
  }

  /**
   * The values as node:sqlite should get them, held to better-sqlite3's rules: positional values match
   * the `?`s in number; named ones come in one plain object (the first argument) that holds every name,
   * and its other keys are ignored; undefined is NULL.
   */
  private bind(params: unknown[]): unknown[] {
    const { anonymous, named } = this.params;
    const bag = params.length > 0 && isPlainObject(params[0]) ? params[0] as Record<string, unknown> : undefined;
    const first = bag ? 1 : 0;
    const positional = params.length - first;
    if (positional !== anonymous) {
      throw new RangeError(`Too ${positional < anonymous ? 'few' : 'many'} parameter values were provided`);
    }
    if (named.length > 0 && !bag) throw new TypeError('Missing named parameters');
    let out = params;
    if (bag) {
      out = params.slice(named.length > 0 ? 0 : 1);
      if (named.length > 0) {
        const values: Record<string, unknown> = {};
        for (const name of named) {
          if (!(name in bag)) throw new RangeError(`Missing named parameter "${name}"`);
          values[name] = bag[name] === undefined ? null : bag[name];
        }
        out[0] = values;
      }
    }
    for (let i = out.length - positional; i < out.length; i++) {
      if (out[i] === undefined) {
        if (out === params) out = params.slice();
        out[i] = null;
      }
    }
    return out;
  }
}

/** A BLOB as a Buffer over node:sqlite's own Uint8Array (its memory is not shared with anything else). */
function value(v: unknown): unknown {
  return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
}

function isPlainObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** node:sqlite says ERR_SQLITE_ERROR and the number; give `code` the name better-sqlite3 gives it. */
export function translateError(err: unknown): unknown {
  const e = err as { code?: unknown; errcode?: unknown } | null;
  if (e && e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') e.code = resultCodeName(e.errcode);
  return err;
}
