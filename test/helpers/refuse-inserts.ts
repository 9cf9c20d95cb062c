// Make the hub's database itself refuse one kind of insert: a real failure of the store (a trigger on
// SQLite, a trigger and its function on PostgreSQL), not a mock. The tests use it to show what the hub
// does when the event store or a write fails half way. Returns the undo.
import type { Engine, TestHub } from './hub';

export interface RefusedInsert {
  table: 'events' | 'credentials';
  /** The column whose value picks the rows refused, and that value (a test's literal, never user input). */
  column: string;
  value: string;
  /** The database's error message (tests look for it in the log, or make sure the caller never sees it). */
  message: string;
}

export async function refuseInserts(t: TestHub, engine: Engine, r: RefusedInsert): Promise<() => Promise<void>> {
  const sql = t.hub.store.sql;
  const name = `test_refuse_${r.table}`;
  if (engine === 'sqlite') {
    await sql.run(`CREATE TRIGGER ${name} BEFORE INSERT ON ${r.table} WHEN NEW.${r.column} = '${r.value}'
      BEGIN SELECT RAISE(ABORT, '${r.message}'); END`);
    return async () => { await sql.run(`DROP TRIGGER ${name}`); };
  }
  await sql.run(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN RAISE EXCEPTION '${r.message}'; END $f$`);
  await sql.run(`CREATE TRIGGER ${name} BEFORE INSERT ON ${r.table} FOR EACH ROW WHEN (NEW.${r.column} = '${r.value}') EXECUTE FUNCTION ${name}()`);
  return async () => {
    await sql.run(`DROP TRIGGER ${name} ON ${r.table}`);
    await sql.run(`DROP FUNCTION ${name}()`);
  };
}
