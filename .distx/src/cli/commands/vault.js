"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerVault = registerVault;
const commander_1 = require("commander");
const types_1 = require("../../domain/types");
const open_1 = require("../../service/open");
const errors_1 = require("../errors");
const options_1 = require("../options");
const stdin_1 = require("../stdin");
/** `pwbridge vault …`: the embedded vault's clients and credentials. Passwords only ever come from stdin. */
function registerVault(program) {
    const vault = program.command('vault').description('manage the embedded vault');
    const client = vault.command('client').description('clients (organisations)');
    const cred = vault.command('cred').description('credentials of a client');
    client
        .command('add <name>')
        .description('add a client')
        .option('--windows-sync', 'Windows Sync on for this client', types_1.CLIENT_DEFAULTS.windowsSync)
        .option('--two-way-sync', 'local password changes go to the vault', types_1.CLIENT_DEFAULTS.twoWaySync)
        .option('--auto-create', 'unknown accounts become credentials (Auto Create Users as Passwords)', types_1.CLIENT_DEFAULTS.autoCreate)
        .addOption(new commander_1.Option('--default-mode <mode>', 'mode of auto-created credentials: report|change').default(types_1.CLIENT_DEFAULTS.defaultMode))
        .option('--agents-write-shared', 'a captured change may set a shared credential (a bare user, on every machine)', types_1.CLIENT_DEFAULTS.agentsWriteShared)
        .action(async (name, o, cmd) => {
        const c = {
            name: (0, options_1.requireName)('NAME', name),
            windowsSync: o.windowsSync,
            twoWaySync: o.twoWaySync,
            autoCreate: o.autoCreate,
            defaultMode: (0, options_1.parseMode)('--default-mode', o.defaultMode),
            agentsWriteShared: o.agentsWriteShared,
        };
        await withVault(cmd, async (v) => {
            if (await v.getClient(c.name))
                throw new errors_1.UsageError(`client "${c.name}" already exists`);
            await v.addClient(c);
            process.stdout.write(`client "${c.name}" added\n`);
        });
    });
    client
        .command('list')
        .option('--json', 'one JSON object per line', false)
        .action(async (o, cmd) => {
        await withVault(cmd, async (v) => {
            const clients = await v.listClients();
            if (o.json)
                return (0, options_1.printJsonLines)(clients);
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
        .action(async (name, o, cmd) => {
        const clientName = (0, options_1.requireName)('NAME', name);
        const onOffOption = (flag, v) => (v === undefined ? undefined : (0, options_1.parseOnOff)(flag, v));
        const change = {
            windowsSync: onOffOption('--windows-sync', o.windowsSync),
            twoWaySync: onOffOption('--two-way-sync', o.twoWaySync),
            autoCreate: onOffOption('--auto-create', o.autoCreate),
            defaultMode: o.defaultMode === undefined ? undefined : (0, options_1.parseMode)('--default-mode', o.defaultMode),
            agentsWriteShared: onOffOption('--agents-write-shared', o.agentsWriteShared),
        };
        if (Object.values(change).every((v) => v === undefined)) {
            throw new errors_1.UsageError('vault client set: nothing to change; give --windows-sync, --two-way-sync, --auto-create, --default-mode or --agents-write-shared');
        }
        await withVault(cmd, async (v) => {
            await requireClient(v, clientName);
            process.stdout.write(`${formatClient(await v.updateClient(clientName, change))}\n`);
        });
    });
    client
        .command('delete <name>')
        .description('delete a client that has no credentials and no machines')
        .action(async (name, _o, cmd) => {
        const clientName = (0, options_1.requireName)('NAME', name);
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
        .addOption(new commander_1.Option('--sync <on|off>', 'the credential\'s Windows Sync switch').default('on'))
        .action(async (o, cmd) => {
        const clientName = (0, options_1.requireName)('--client', o.client);
        const username = (0, options_1.requireName)('--user', o.user);
        const mode = (0, options_1.parseMode)('--mode', o.mode);
        const windowsSync = (0, options_1.parseOnOff)('--sync', o.sync);
        await withVault(cmd, async (v) => {
            await requireClient(v, clientName);
            if (await v.findCredential(clientName, username))
                throw new errors_1.UsageError(`credential "${username}" already exists in client "${clientName}"; use vault cred set`);
            const password = await (0, stdin_1.readPasswordFromStdin)('vault cred add');
            try {
                const c = await v.addCredential({ client: clientName, username, password, windowsSync, mode });
                process.stdout.write(`credential ${c.id} "${c.username}" added to "${clientName}" (version ${c.version})\n`);
            }
            finally {
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
        .action(async (o, cmd) => {
        const clientName = (0, options_1.requireName)('--client', o.client);
        const username = (0, options_1.requireName)('--user', o.user);
        const mode = o.mode === undefined ? undefined : (0, options_1.parseMode)('--mode', o.mode);
        const windowsSync = o.sync === undefined ? undefined : (0, options_1.parseOnOff)('--sync', o.sync);
        if (mode === undefined && windowsSync === undefined && !o.passwordStdin) {
            throw new errors_1.UsageError('vault cred set: nothing to change; give --mode, --sync or --password-stdin');
        }
        await withVault(cmd, async (v) => {
            await requireClient(v, clientName);
            if (!(await v.findCredential(clientName, username)))
                throw new errors_1.UsageError(`credential "${username}" does not exist in client "${clientName}"`);
            const password = o.passwordStdin ? await (0, stdin_1.readPasswordFromStdin)('vault cred set') : undefined;
            try {
                const c = await v.updateCredential(clientName, username, { mode, windowsSync, password });
                process.stdout.write(`credential ${c.id} "${c.username}": mode=${c.mode} sync=${onOff(c.windowsSync)} version=${c.version}\n`);
            }
            finally {
                password?.fill(0);
            }
        });
    });
    cred
        .command('list')
        .requiredOption('--client <name>')
        .option('--json', 'one JSON object per line', false)
        .action(async (o, cmd) => {
        const clientName = (0, options_1.requireName)('--client', o.client);
        await withVault(cmd, async (v) => {
            await requireClient(v, clientName);
            const creds = await v.listCredentials(clientName);
            if (o.json)
                return (0, options_1.printJsonLines)(creds);
            for (const c of creds)
                process.stdout.write(`${formatCredential(c)}\n`);
        });
    });
}
function formatClient(c) {
    return `${c.name}  windows-sync=${onOff(c.windowsSync)} two-way-sync=${onOff(c.twoWaySync)} auto-create=${onOff(c.autoCreate)} `
        + `default-mode=${c.defaultMode} agents-write-shared=${onOff(c.agentsWriteShared)}`;
}
function formatCredential(c) {
    const flags = c.flags.length ? c.flags.join(',') : '-';
    return `${String(c.id).padStart(5)}  ${c.username}  mode=${c.mode} sync=${onOff(c.windowsSync)} version=${c.version} flags=${flags}`;
}
const onOff = (b) => (b ? 'on' : 'off');
async function requireClient(v, name) {
    if (!(await v.getClient(name)))
        throw new errors_1.UsageError(`client "${name}" does not exist; add it with: pwbridge vault client add "${name}"`);
}
async function withVault(cmd, fn) {
    const v = await (0, open_1.openVaultAt)((0, options_1.dataDirOf)(cmd));
    try {
        return await fn(v);
    }
    finally {
        await v.close();
    }
}
//# sourceMappingURL=vault.js.map