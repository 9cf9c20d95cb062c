import type { Command } from 'commander';
import { dataPaths, ensureDataDir } from '../../config/paths';
import { DEFAULT_DB_CONNECTIONS, ensureFirstAdmin, startHub } from '../../hub/server';
import { loadMetricsToken, type MetricsAccess } from '../../hub/metrics-route';
import { createLogger } from '../../log/logger';
import { DEFAULT_HISTORY_KEEP, MAX_HISTORY_KEEP } from '../../vault/password-history';
import { describePostgresUrl } from '../../vault/postgres-open';
import { UsageError } from '../errors';
import { dataDirOf, requireName } from '../options';
import { readPasswordFromStdin } from '../stdin';

const DEFAULT_LISTEN = '0.0.0.0:8443';

/** `pwbridge hub`: the vault served over HTTPS to many machines, until SIGINT/SIGTERM. */
export function registerHub(program: Command): void {
  program
    .command('hub')
    .description('serve the vault to many machines over HTTPS (agents enrol with pwbridge setup)')
    .option('--db <url>', 'PostgreSQL URL (postgres://user@host/db); default: SQLite in the data dir')
    .option('--listen <host:port>', `address and port to listen on (default ${DEFAULT_LISTEN})`)
    .option('--cert <file>', 'your own TLS certificate (PEM); default: a self-signed one made on first start')
    .option('--key <file>', 'the private key of --cert (PEM, mode 0600)')
    .option('--admin <name>', 'name of the first admin, made when the hub has no user yet', 'admin')
    .option('--metrics-token-file <file>', 'file (mode 0600) holding the token Prometheus sends as Bearer to read /metrics')
    .option('--metrics-public', 'let anyone who reaches the port read /metrics (default: the scrape token or a user login)')
    .option('--db-connections <n>', `PostgreSQL connections per pool, two pools per hub process (default ${DEFAULT_DB_CONNECTIONS})`)
    .option('--password-history <n>', `earlier passwords the vault keeps per credential, 0 to ${MAX_HISTORY_KEEP} (default ${DEFAULT_HISTORY_KEEP}); give every hub process the same`)
    .option('--admin-password-stdin', 'read the first admin\'s password from stdin (otherwise one is generated and printed once)', false)
    .option('--require-mfa', 'admins must have a TOTP second factor: one without may log in only to enrol it (docs/hub-users.md)', false)
    .action(async (o: { db?: string; listen?: string; cert?: string; key?: string; admin: string; adminPasswordStdin: boolean; metricsTokenFile?: string; metricsPublic?: boolean; dbConnections?: string; passwordHistory?: string; requireMfa: boolean }, cmd: Command) => {
      const dataDir = dataDirOf(cmd);
      const { host, port } = parseListen(o.listen ?? DEFAULT_LISTEN);
      if (o.db !== undefined) checkDbUrl(o.db);
      if ((o.cert === undefined) !== (o.key === undefined)) throw new UsageError('--cert and --key go together: give both, or neither for a self-signed certificate');
      const adminName = requireName('--admin', o.admin);
      const metrics = metricsAccess(o.metricsPublic === true, o.metricsTokenFile);
      const dbConnections = o.dbConnections === undefined ? undefined : parseDbConnections(o.dbConnections);
      const historyKeep = o.passwordHistory === undefined ? undefined : parsePasswordHistory(o.passwordHistory);
      const adminPassword = o.adminPasswordStdin ? await readPasswordFromStdin('hub --admin-password-stdin') : undefined;
      if (adminPassword && adminPassword.length < 12) {
        adminPassword.fill(0);
        throw new UsageError('--admin-password-stdin: the password must be at least 12 bytes');
      }
      const paths = dataPaths(dataDir);
      ensureDataDir(paths);
      const logger = createLogger({ level: 'info', file: `${paths.logDir}/hub.log`, stdout: process.stdout.isTTY === true });
      let hub;
      try {
        hub = await startHub({
          dataDir, db: o.db, host, port, logger, metrics, dbConnections, historyKeep, requireMfa: o.requireMfa,
          cert: o.cert ? { certFile: o.cert, keyFile: o.key! } : undefined,
        });
      } catch (err) {
        adminPassword?.fill(0);
        throw err;
      }
      const h = hub;
      try {
        const admin = await ensureFirstAdmin(h.store, adminName, adminPassword);
        if (admin.generated) {
          // Printed once, to this terminal only: it is stored nowhere but as a scrypt hash.
          process.stdout.write(Buffer.concat([Buffer.from(`first admin "${adminName}" created; its password, shown only this once: `), admin.generated, Buffer.from('\n')]));
          admin.generated.fill(0);
        } else if (admin.created) {
          process.stdout.write(`first admin "${adminName}" created with the password from stdin\n`);
        } else if (adminPassword) {
          process.stderr.write('pwbridge: the hub already has users; the password on stdin was not used\n');
        }
      } finally {
        adminPassword?.fill(0);
      }
      const where = o.db ? describePostgresUrl(o.db) : paths.vaultDb;
      logger.info({ url: h.url, database: where, fingerprint: h.certificate.fingerprint }, 'hub started');
      process.stderr.write(`pwbridge: hub listening on ${h.url} (database ${where}); certificate ${h.certificate.source}\n`
        + `pwbridge: certificate SHA-256 fingerprint ${h.certificate.fingerprint}\n`
        + `pwbridge: enrol a machine with: pwbridge setup --hub ${h.url} --insecure-fingerprint ${h.certificate.fingerprint}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await h.close();
      logger.info('hub stopped');
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
    });
}

/** Who may read GET /metrics (src/hub/metrics-route.ts); checked before anything starts. */
export function metricsAccess(isPublic: boolean, tokenFile: string | undefined): MetricsAccess {
  if (isPublic && tokenFile !== undefined) throw new UsageError('--metrics-public and --metrics-token-file exclude each other: a public endpoint needs no token');
  if (tokenFile === undefined) return { public: isPublic };
  try {
    return { public: false, tokenHash: loadMetricsToken(tokenFile) };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--listen: "${value}" is not HOST:PORT (e.g. 0.0.0.0:8443, 127.0.0.1:8443, [::]:8443)`);
  return { host: m[1] ?? m[2], port };
}

/**
 * A database URL on the command line is visible to every user (ps): it may say where, never a password.
 * Checked by its text, since libpq-style URLs (`postgres://user@/db?host=/run/postgresql`) are not all
 * WHATWG URLs.
 */
export function checkDbUrl(value: string): void {
  const m = /^(postgres(?:ql)?):\/\/([^/?#]*)(.*)$/.exec(value);
  if (!m) throw new UsageError('--db: use a postgres:// or postgresql:// URL (postgres://USER@HOST[:PORT]/DATABASE)');
  const userinfo = m[2].includes('@') ? m[2].slice(0, m[2].lastIndexOf('@')) : '';
  if (userinfo.includes(':') || /[?&]password=/i.test(m[3])) {
    throw new UsageError('--db: the URL holds a password, and arguments are visible to every user of this machine; '
      + 'put the password in ~/.pgpass (mode 0600, or PGPASSFILE), or use peer or certificate authentication');
  }
}

/** --db-connections: a whole number 1–1000 (the same bounds openHubDatabase holds). */
export function parseDbConnections(raw: string): number {
  const n = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 1000)) throw new UsageError(`--db-connections must be a whole number from 1 to 1000, not ${JSON.stringify(raw)}`);
  return n;
}

/** --password-history: a whole number 0–MAX_HISTORY_KEEP (the vault's own bounds). */
export function parsePasswordHistory(raw: string): number {
  const n = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 0 && n <= MAX_HISTORY_KEEP)) {
    throw new UsageError(`--password-history must be a whole number from 0 to ${MAX_HISTORY_KEEP}, not ${JSON.stringify(raw)}`);
  }
  return n;
}
