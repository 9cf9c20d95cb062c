"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerSetup = registerSetup;
const config_1 = require("../../config/config");
const enrol_1 = require("../../setup/enrol");
const errors_1 = require("../errors");
const hub_trust_1 = require("../../setup/hub-trust");
const options_1 = require("../options");
const prompt_1 = require("../prompt");
/**
 * `pwbridge setup --hub URL`: enrol this machine with a hub (src/setup/enrol.ts). A user who holds Setup
 * AD Sync logs in (name and password from stdin or the terminal, never arguments) and picks the client.
 * The agent token goes to `<data dir>/keys/agent.token` (0600 on Linux; on Windows DPAPI-protected, never
 * in clear), and config.json gets `hub`, `client` and `machine`, so `pwbridge run` uses the hub from its
 * next start.
 */
function registerSetup(program) {
    program
        .command('setup')
        .description('enrol this machine with a hub: log in (name and password on stdin or at the prompt), pick the client, store the agent token')
        .requiredOption('--hub <url>', 'the hub, https://HOST:PORT')
        .option('--client <name>', 'the client this machine serves (default: choose from the hub\'s list)')
        .option('--ca <file>', 'trust the hub\'s certificate through this CA certificate (PEM); the host name is checked')
        .option('--insecure-fingerprint <sha256>', 'trust the hub\'s self-signed certificate with this SHA-256 fingerprint (pwbridge hub prints it); pinned from now on')
        .action(async (o, cmd) => {
        const dataDir = (0, options_1.dataDirOf)(cmd);
        (0, config_1.loadConfig)(dataDir); // a bad config.json is refused before anyone logs in
        const { url, fingerprint, caFile } = (0, hub_trust_1.hubTrust)(o);
        const clientWanted = o.client === undefined ? undefined : (0, options_1.requireName)('--client', o.client);
        const { user, password } = await readLogin();
        await (0, enrol_1.enrolMachine)({
            dataDir, url, fingerprint, caFile, user, password,
            chooseClient: (names) => chooseClient(names, clientWanted),
            out: (line) => process.stdout.write(`${line}\n`),
        });
        process.stdout.write('pwbridge run uses the hub from its next start (restart the service if it ran without a hub); '
            + 'a service already using this hub picks the new token up at its next request\n');
    });
}
/**
 * The hub user's name and password: two lines on stdin (name, then password), or asked at the terminal
 * with the password not echoed. Never from arguments or the environment.
 */
async function readLogin() {
    if (process.stdin.isTTY) {
        const name = (await (0, prompt_1.promptLine)('hub user name: ', false)).toString('utf8').trim();
        const typed = await (0, prompt_1.promptLine)('password: ', true);
        const all = Buffer.concat([Buffer.from(`${name}\n`), typed, Buffer.from('\n')]);
        typed.fill(0);
        return (0, hub_trust_1.parseLogin)(all, 'setup');
    }
    const chunks = [];
    for await (const chunk of process.stdin)
        chunks.push(chunk);
    const all = Buffer.concat(chunks);
    for (const c of chunks)
        c.fill(0);
    return (0, hub_trust_1.parseLogin)(all, 'setup (stdin, or a terminal to be asked)');
}
async function chooseClient(names, wanted) {
    if (names.length === 0)
        throw new errors_1.UsageError('the hub has no client yet; add one there first');
    if (wanted !== undefined) {
        const found = names.find((n) => n.toLowerCase() === wanted.toLowerCase());
        if (!found)
            throw new errors_1.UsageError(`--client: the hub has no client "${wanted}"; it has: ${names.map((n) => `"${n}"`).join(', ')}`);
        return found;
    }
    if (!process.stdin.isTTY) {
        throw new errors_1.UsageError(`--client: name the client this machine serves; the hub has: ${names.map((n) => `"${n}"`).join(', ')}`);
    }
    return names[await (0, prompt_1.promptChoice)('client for this machine', names)];
}
//# sourceMappingURL=setup.js.map