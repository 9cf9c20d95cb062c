"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startHubProcess = startHubProcess;
exports.loginToken = loginToken;
// `pwbridge hub` as a real child process, the way the end-to-end tests start it: on 127.0.0.1 with a port
// of the OS's choosing and the first admin's password on stdin. Its URL and certificate fingerprint are
// read from what it prints, as an administrator would read them.
const node_assert_1 = require("node:assert");
const hub_client_1 = require("../../src/vault/hub-client");
const cli_1 = require("../cli/cli");
/** Start the hub on `dataDir` (`extraArgs`: `--db URL`, …) and wait until it listens. */
async function startHubProcess(dataDir, adminPassword, extraArgs = [], waitMs = 15_000) {
    const live = (0, cli_1.startCli)(['hub', '--listen', '127.0.0.1:0', '--admin-password-stdin', ...extraArgs], dataDir);
    live.child.stdin.end(`${adminPassword}\n`);
    await live.waitFor('the hub to listen', (_out, err) => /certificate SHA-256 fingerprint/.test(err), waitMs);
    const url = /hub listening on (https:\/\/127\.0\.0\.1:\d+) /.exec(live.stderr())[1];
    const fingerprint = /certificate SHA-256 fingerprint ([0-9A-F:]{95})/.exec(live.stderr())[1];
    return { live, url, fingerprint };
}
/** Log a hub user in and return the session's bearer token. */
async function loginToken(hub, user, password) {
    const anon = new hub_client_1.HubClient({ url: hub.url, fingerprint: hub.fingerprint });
    try {
        const login = await anon.request('POST', '/api/login', { user, password: Buffer.from(password).toString('base64'), bearer: true });
        node_assert_1.strict.equal(login.status, 200, JSON.stringify(login.body));
        return login.body.token;
    }
    finally {
        anon.close();
    }
}
//# sourceMappingURL=hub-process.js.map