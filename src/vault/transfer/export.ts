/** The export CSV: every credential of every client, in the columns import reads. */
import type { VaultPort } from '../../ports/vault.port';
import { csvField } from './csv';
import { COLUMNS } from './rows';

/**
 * The file's bytes; with passwords false the password column is empty. The caller wipes the result.
 * A field that a spreadsheet would run as a formula (= + - @) is written as is: import must read back
 * exactly what the vault holds, and a password may start with any of them.
 */
export async function exportCsv(vault: VaultPort, passwords: boolean): Promise<{ csv: Buffer; count: number }> {
  const parts: Buffer[] = [Buffer.from(`${COLUMNS.join(',')}\r\n`)];
  let count = 0;
  try {
    for (const client of await vault.listClients()) {
      for (const c of await vault.listCredentials(client.name)) {
        const pw = passwords ? await vault.readPassword(c.id) : Buffer.alloc(0);
        const text = pw.toString('utf8');
        pw.fill(0);
        parts.push(Buffer.from(`${csvField(client.name)},${csvField(c.username)},${text === '' ? '' : `"${text.replace(/"/g, '""')}"`},${c.windowsSync ? 'on' : 'off'},${c.mode}\r\n`));
        count++;
      }
    }
    return { csv: Buffer.concat(parts), count };
  } finally {
    for (const p of parts) p.fill(0);
  }
}
