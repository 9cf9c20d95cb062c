/**
 * A schema migration step and the table that records the steps applied: the same on SQLite (vault.db,
 * state.db, the hub's file) and on PostgreSQL (the hub), so it sits below both engines' openers.
 */

export interface Migration {
  version: number;
  /** What the step does, for the error message when it fails. */
  name: string;
  /** SQL text, run with exec(); may hold several statements. */
  sql: string;
}

/**
 * The table that records which steps a database has (SQLite's vault.db and state.db, and PostgreSQL).
 * The same text runs on both engines.
 */
export const SCHEMA_VERSION_DDL =
  'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)';
