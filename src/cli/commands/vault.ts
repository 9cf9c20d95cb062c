import { Command, Option } from 'commander';
import { CLIENT_DEFAULTS, type Client, type Credential, type NewClient } from '../../domain/types';
import type { ClientChange } from '../../ports/vault.port';
import { openVaultAt } from '../../service/open';
import { UsageError } from '../errors';
import { dataDirOf, parseMode, parseOnOff, printJsonLines, requireName } from '../options';
import { readPasswordFromStdin } from '../stdin';
import { registerVaultTransfer } from './vault-transfer';

/** `pwbridge vault …`: the embedded vault's clients and credentials. Passwords only ever come from stdin. */
export function registerVault(program: Command): void {
  const vault = program.command('vault').description('manage the embedded vault');
  const client = vault.command('client').description('clients (organisations)');
  const cred = vault.command('cred').description('credentials of a client');
  registerVaultTransfer(vault);

  client
    .command('add <name>')
    .description('add a client')
    .option('--windows-sync', 'Windows Sync on for this client', CLIENT_DEFAULTS.windowsSync)
    .option('--two-way-sync', 'local password changes go to the vault', CLIENT_DEFAULTS.twoWaySync)
    .option('--auto-create', 'unknown accounts become credentials (Auto Create Users as Passwords)', CLIENT_DEFAULTS.autoCreate)
    .addOption(new Option('--default-mode <mode>', 'mode of auto-created credentials: report|change').default(CLIENT_DEFAULTS.defaultMode))
    .option('--agents-write-shared', 'a captured change may set a shared credential (a bare user, on every machine)', CLIENT_DEFAULTS.agentsWriteShared)
    .action(async (name: string, o: { windowsSync: boolean; twoWaySync: boolean; autoCreate: boolean; defaultMode: string; agentsWriteShared: boolean }, cmd: Command) => {
      const c: NewClient = {
        name: requireName('NAME', name),
        windowsSync: o.windowsSync,
        twoWaySync: o.twoWaySync,
        autoCreate: o.autoCreate,
        defaultMode: parseMode('--default-mode', o.defaultMode),
        agentsWriteShared: o.agentsWriteShared,
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
          process.stdout.write(`${formatClient(c)}\n`);
        }
      });
    });

  client
    .command('set <name>')
    .description('change a client\'s options (its name stays)')
    .option('--windows-sync <on|off>')
    .option('--two-way-sync <on|off>')
    .option('--auto-create <on|off>')
    .option('--default-mode <mode>', 'report|change')
    .option('--agents-write-shared <on|off>')
    .action(async (name: string, o: { windowsSync?: string; twoWaySync?: string; autoCreate?: string; defaultMode?: string; agentsWriteShared?: string }, cmd: Command) => {
      const clientName = requireName('NAME', name);
      const onOffOption = (flag: string, v: string | undefined) => (v === undefined ? undefined : parseOnOff(flag, v));
      const change: ClientChange = {
        windowsSync: onOffOption('--windows-sync', o.windowsSync),
        twoWaySync: onOffOption('--two-way-sync', o.twoWaySync),
        autoCreate: onOffOption('--auto-create', o.autoCreate),
        defaultMode: o.defaultMode === undefined ? undefined : parseMode('--default-mode', o.defaultMode),
        agentsWriteShared: onOffOption('--agents-write-shared', o.agentsWriteShared),
      };
      if (Object.values(change).every((v) => v === undefined)) {
        throw new UsageError('vault client set: nothing to change; give --windows-sync, --two-way-sync, --auto-create, --default-mode or --agents-write-shared');
      }
      await withVault(cmd, async (v) => {
        await requireClient(v, clientName);
        process.stdout.write(`${formatClient(await v.updateClient(clientName, change))}\n`);
      });
    });

  client
    .command('delete <name>')
    .description('delete a client that has no credentials and no machines')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const clientName = requireName('NAME', name);
      await withVault(cmd, async (v) => {
        await requireClient(v, clientName);
        await v.deleteClient(clientName);
        process.stdout.write(`client "${clientName}" deleted\n`);
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
          const c = await v.addCredential({ client: clientName, username, password, windowsSync, mode }, undefined, { kind: 'cli' });
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
          const c = await v.updateCredential(clientName, username, { mode, windowsSync, password }, { kind: 'cli' });
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

function formatClient(c: Client): string {
  return `${c.name}  windows-sync=${onOff(c.windowsSync)} two-way-sync=${onOff(c.twoWaySync)} auto-create=${onOff(c.autoCreate)} `
    + `default-mode=${c.defaultMode} agents-write-shared=${onOff(c.agentsWriteShared)}`;
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
