import { Command, Option } from 'commander';
import type { Client, Credential } from '../../domain/types';
import { openVaultAt } from '../../service/open';
import { UsageError } from '../errors';
import { dataDirOf, parseMode, parseOnOff, printJsonLines, requireName } from '../options';
import { readPasswordFromStdin } from '../stdin';

/** `pwbridge vault …`: the embedded vault's clients and credentials. Passwords only ever come from stdin. */
export function registerVault(program: Command): void {
  const vault = program.command('vault').description('manage the embedded vault');
  const client = vault.command('client').description('clients (organisations)');
  const cred = vault.command('cred').description('credentials of a client');

  client
    .command('add <name>')
    .description('add a client')
    .option('--windows-sync', 'Windows Sync on for this client', false)
    .option('--two-way-sync', 'local password changes go to the vault', false)
    .option('--auto-create', 'unknown accounts become credentials (Auto Create Users as Passwords)', false)
    .addOption(new Option('--default-mode <mode>', 'mode of auto-created credentials: report|change').default('report'))
    .action(async (name: string, o: { windowsSync: boolean; twoWaySync: boolean; autoCreate: boolean; defaultMode: string }, cmd: Command) => {
      const c: Client = {
        name: requireName('NAME', name),
        windowsSync: o.windowsSync,
        twoWaySync: o.twoWaySync,
        autoCreate: o.autoCreate,
        defaultMode: parseMode('--default-mode', o.defaultMode),
      };
      await withVault(cmd, async (v) => {
        if (await v.getClient(c.name)) throw new UsageError(`client "${c.name}" already exists`);
        await v.addClient(c);
        process.stdout.write(`client "${c.name}" added\n`);
      });
    });

  client
    .command('list')
    .option('--json', 'one JSON object per line', false)
    .action(async (o: { json: boolean }, cmd: Command) => {
      await withVault(cmd, async (v) => {
        const clients = await v.listClients();
        if (o.json) return printJsonLines(clients);
        for (const c of clients) {
          process.stdout.write(`${c.name}  windows-sync=${onOff(c.windowsSync)} two-way-sync=${onOff(c.twoWaySync)} auto-create=${onOff(c.autoCreate)} default-mode=${c.defaultMode}\n`);
        }
      });
    });

  cred
    .command('add')
    .description('add a credential; the password is read from stdin')
    .requiredOption('--client <name>')
    .requiredOption('--user <user>', 'MACHINE\\user for one machine, or user for every machine of the client')
    .requiredOption('--mode <mode>', 'report|change')
    .addOption(new Option('--sync <on|off>', 'the credential\'s Windows Sync switch').default('on'))
    .action(async (o: { client: string; user: string; mode: string; sync: string }, cmd: Command) => {
      const clientName = requireName('--client', o.client);
      const username = requireName('--user', o.user);
      const mode = parseMode('--mode', o.mode);
      const windowsSync = parseOnOff('--sync', o.sync);
      await withVault(cmd, async (v) => {
        await requireClient(v, clientName);
        if (await v.findCredential(clientName, username)) throw new UsageError(`credential "${username}" already exists in client "${clientName}"; use vault cred set`);
        const password = await readPasswordFromStdin('vault cred add');
        try {
          const c = await v.addCredential({ client: clientName, username, password, windowsSync, mode });
          process.stdout.write(`credential ${c.id} "${c.username}" added to "${clientName}" (version ${c.version})\n`);
        } finally {
          password.fill(0);
        }
      });
    });

  cred
    .command('set')
    .description('change a credential\'s mode, sync switch or (with --password-stdin) password')
    .requiredOption('--client <name>')
    .requiredOption('--user <user>')
    .option('--mode <mode>', 'report|change')
    .option('--sync <on|off>')
    .option('--password-stdin', 'read a new password from stdin', false)
    .action(async (o: { client: string; user: string; mode?: string; sync?: string; passwordStdin: boolean }, cmd: Command) => {
      const clientName = requireName('--client', o.client);
      const username = requireName('--user', o.user);
      const mode = o.mode === undefined ? undefined : parseMode('--mode', o.mode);
      const windowsSync = o.sync === undefined ? undefined : parseOnOff('--sync', o.sync);
      if (mode === undefined && windowsSync === undefined && !o.passwordStdin) {
        throw new UsageError('vault cred set: nothing to change; give --mode, --sync or --password-stdin');
      }
      await withVault(cmd, async (v) => {
        await requireClient(v, clientName);
        if (!(await v.findCredential(clientName, username))) throw new UsageError(`credential "${username}" does not exist in client "${clientName}"`);
        const password = o.passwordStdin ? await readPasswordFromStdin('vault cred set') : undefined;
        try {
          const c = await v.updateCredential(clientName, username, { mode, windowsSync, password });
          process.stdout.write(`credential ${c.id} "${c.username}": mode=${c.mode} sync=${onOff(c.windowsSync)} version=${c.version}\n`);
        } finally {
          password?.fill(0);
        }
      });
    });

  cred
    .command('list')
    .requiredOption('--client <name>')
    .option('--json', 'one JSON object per line', false)
    .action(async (o: { client: string; json: boolean }, cmd: Command) => {
      const clientName = requireName('--client', o.client);
      await withVault(cmd, async (v) => {
        await requireClient(v, clientName);
        const creds = await v.listCredentials(clientName);
        if (o.json) return printJsonLines(creds);
        for (const c of creds) process.stdout.write(`${formatCredential(c)}\n`);
      });
    });
}

function formatCredential(c: Credential): string {
  const flags = c.flags.length ? c.flags.join(',') : '-';
  return `${String(c.id).padStart(5)}  ${c.username}  mode=${c.mode} sync=${onOff(c.windowsSync)} version=${c.version} flags=${flags}`;
}

const onOff = (b: boolean) => (b ? 'on' : 'off');

async function requireClient(v: Awaited<ReturnType<typeof openVaultAt>>, name: string): Promise<void> {
  if (!(await v.getClient(name))) throw new UsageError(`client "${name}" does not exist; add it with: pwbridge vault client add "${name}"`);
}

async function withVault<T>(cmd: Command, fn: (v: Awaited<ReturnType<typeof openVaultAt>>) => Promise<T>): Promise<T> {
  const v = await openVaultAt(dataDirOf(cmd));
  try {
    return await fn(v);
  } finally {
    await v.close();
  }
}
