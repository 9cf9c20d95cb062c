/**
 * A PostgreSQL query as a named prepared statement: each connection parses and plans a text on its first
 * use only, not on every call. The hub's store (src/hub/sql.ts) and PostgresVault's agent-path statements
 * run through here; parsing and planning them each time was a large share of PostgreSQL's CPU in the
 * 1,000-agent bench. Texts are constants with $n parameters, but a few embed a number (a LIMIT): names
 * stop at MAX_NAMED so that no caller can make a connection hold statements without end; texts past it
 * run unnamed. Texts without parameters stay on the simple protocol (one may hold several statements,
 * which a prepared one cannot). One name per text in the process: pg refuses a name reused for another
 * text on a connection.
 */
const MAX_NAMED = 256;
const statementNames = new Map<string, string>();

function statementName(text: string, values: unknown[]): string | undefined {
  if (values.length === 0) return undefined;
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED) {
    name = `pwb_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/** `text` and `values` as pg's query config, named when it may be (see above). */
export function namedQuery(text: string, values: unknown[]): { name?: string; text: string; values: unknown[] } {
  return { name: statementName(text, values), text, values };
}
