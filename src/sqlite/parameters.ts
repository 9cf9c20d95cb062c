/**
 * The parameters of one SQL statement, read from its text: how many anonymous `?` and which named ones
 * (`@name`, `:name`, `$name`). node:sqlite does not expose SQLite's parameter count, and it binds NULL to a
 * parameter it was given no value for; better-sqlite3 refuses. The node:sqlite driver checks each call
 * against this so a missing value is a RangeError on both drivers, never a silent NULL in a row.
 *
 * Literals, quoted identifiers and comments are skipped the way SQLite's tokenizer skips them, so a `?` or
 * `@x` inside them is not a parameter.
 */
export interface StatementParameters {
  /** Anonymous `?` parameters, in order. */
  anonymous: number;
  /** Named parameters without their prefix, each once, in order of first use. */
  named: string[];
}

const NAME_CHAR = /[A-Za-z0-9_\u0080-\uffff]/;

export function statementParameters(sql: string): StatementParameters {
  let anonymous = 0;
  const named: string[] = [];
  let i = 0;
  const n = sql.length;
  /** Index just after the closing `close`, where a doubled closer is an escaped one ('it''s'). */
  const skipQuoted = (close: string, doubled: boolean): number => {
    let j = i + 1;
    for (;;) {
      const k = sql.indexOf(close, j);
      if (k < 0) return n;
      if (doubled && sql[k + 1] === close) { j = k + 2; continue; }
      return k + 1;
    }
  };
  while (i < n) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(c, true);
    } else if (c === '[') {
      i = skipQuoted(']', false);
    } else if (c === '-' && sql[i + 1] === '-') {
      const k = sql.indexOf('\n', i);
      i = k < 0 ? n : k + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const k = sql.indexOf('*/', i + 2);
      i = k < 0 ? n : k + 2;
    } else if (c === '?') {
      if (/[0-9]/.test(sql[i + 1] ?? '')) {
        throw new RangeError(`numbered parameters (?NNN) are not supported here: use ? or a named parameter in ${sql.slice(0, 80)}`);
      }
      anonymous++;
      i++;
    } else if ((c === '@' || c === ':' || c === '$') && !(c === '$' && i > 0 && NAME_CHAR.test(sql[i - 1]))) {
      // ($ may also sit inside an identifier, a$b, where it starts nothing.)
      let j = i + 1;
      while (j < n && NAME_CHAR.test(sql[j])) j++;
      if (j > i + 1) {
        const name = sql.slice(i + 1, j);
        if (!named.includes(name)) named.push(name);
      }
      i = j;
    } else {
      i++;
    }
  }
  return { anonymous, named };
}
