/**
 * Case folding for names that compare case-insensitively: client names, usernames, journal accounts.
 *
 * Done in TypeScript, stored in a `*_key` column, and compared with `=` — not with SQLite's NOCASE
 * collation, because NOCASE folds only ASCII (`Ä` ≠ `ä`) and does not exist on PostgreSQL, where the
 * hub will reuse the same schema. `toLowerCase()` is locale-independent (Unicode default case mapping),
 * so every process folds a name to the same key.
 */
export function foldName(name: string): string {
  return name.toLowerCase();
}
