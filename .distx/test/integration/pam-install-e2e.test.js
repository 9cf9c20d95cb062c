"use strict";
// The "done when", on this machine as root: `pwbridge install` into the real /etc/pam.d and PAM
// module folder, a real `passwd` for a throwaway user, the new password in the vault and the change in
// `pwbridge events`, then `pwbridge uninstall` leaves /etc/pam.d byte for byte as it was.
//
// It changes the machine's real password stack for the length of the test (an `optional` line, so a
// failure cannot break logins), and skips itself where pwbridge is really installed.
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const open_1 = require("../../src/service/open");
const cli_1 = require("../cli/cli");
const pam_1 = require("../helpers/pam");
const tmp_1 = require("../helpers/tmp");
const users_1 = require("../platform/users");
const PAM_DIR = '/etc/pam.d';
const UNIT = '/etc/systemd/system/pwbridge.service';
/** Every file under /etc/pam.d with its mode and owner: what "as it was" means. */
function snapshot(dir) {
    const h = (0, node_crypto_1.createHash)('sha256');
    for (const name of fs.readdirSync(dir).sort()) {
        const p = path.join(dir, name);
        const st = fs.lstatSync(p);
        h.update(`${name} ${st.mode} ${st.uid} ${st.gid}\n`);
        if (st.isFile())
            h.update(fs.readFileSync(p));
    }
    return h.digest('hex');
}
function securityDir() {
    const d = ['/lib/x86_64-linux-gnu/security', '/lib/security', '/usr/lib/x86_64-linux-gnu/security'].find((x) => fs.existsSync(path.join(x, 'pam_unix.so')));
    node_assert_1.strict.ok(d, 'pam_unix.so not found');
    return d;
}
async function until(what, probe, ms = 15_000) {
    const end = Date.now() + ms;
    for (;;) {
        const v = await probe();
        if (v !== undefined)
            return v;
        if (Date.now() > end)
            throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}
describe('pwbridge install → passwd → vault → uninstall, on the real PAM stack (root)', function () {
    this.timeout(120_000);
    let tmp;
    let user;
    let installed = false;
    before(function () {
        if (!users_1.isRoot || !fs.existsSync(path.join(PAM_DIR, 'common-password')))
            this.skip();
        // A machine where pwbridge is installed for real is not a test bench.
        if (fs.readFileSync(path.join(PAM_DIR, 'common-password'), 'utf8').includes('pam_pwbridge') || fs.existsSync(UNIT))
            this.skip();
        (0, pam_1.requireModule)();
    });
    after(async () => {
        if (installed && tmp)
            await (0, cli_1.runCli)(['uninstall'], { dataDir: tmp.dir, timeoutMs: 60_000 }); // a failed test must not leave the line behind
        (0, users_1.removeUser)(user);
        tmp?.cleanup();
    });
    it('captures a real passwd, shows it in events, and uninstall restores /etc/pam.d exactly', async () => {
        const before = snapshot(PAM_DIR);
        tmp = (0, tmp_1.makeTempDir)();
        const dataDir = path.join(tmp.dir, 'data');
        const inst = await (0, cli_1.runCli)(['install'], { dataDir, timeoutMs: 60_000 });
        installed = true;
        node_assert_1.strict.equal(inst.code, 0, inst.stdout + inst.stderr);
        node_assert_1.strict.match(inst.stdout, /active/i, 'install reports the filter state as active once the module is in the stack');
        node_assert_1.strict.ok(fs.existsSync(path.join(securityDir(), 'pam_pwbridge.so')));
        node_assert_1.strict.match(fs.readFileSync(path.join(PAM_DIR, 'common-password'), 'utf8'), new RegExp(`^password\\s+optional\\s+pam_pwbridge\\.so dir=${dataDir}$`, 'm'));
        // The user's side: passwd, exactly as an administrator types it (it reads the new password twice).
        user = (0, users_1.createUser)();
        const passwd = (0, node_child_process_1.spawnSync)('/usr/bin/passwd', [user], { input: 'Installed-Pass-1\nInstalled-Pass-1\n', encoding: 'utf8' });
        node_assert_1.strict.equal(passwd.status, 0, passwd.stderr);
        const vault = await (0, open_1.openVaultAt)(dataDir);
        try {
            const cred = await until('the credential', async () => (await vault.listCredentials('local')).find((c) => c.username.endsWith(`\\${user}`)));
            node_assert_1.strict.equal((await vault.readPassword(cred.id)).toString(), 'Installed-Pass-1');
        }
        finally {
            await vault.close();
        }
        const events = await (0, cli_1.runCli)(['events', '--limit', '50'], { dataDir });
        node_assert_1.strict.equal(events.code, 0, events.stderr);
        node_assert_1.strict.match(events.stdout, new RegExp(`credential-created\\s+ok\\s+${user}`));
        node_assert_1.strict.ok(!events.stdout.includes('Installed-Pass-1'));
        const un = await (0, cli_1.runCli)(['uninstall'], { dataDir, timeoutMs: 60_000 });
        installed = un.code !== 0;
        node_assert_1.strict.equal(un.code, 0, un.stdout + un.stderr);
        node_assert_1.strict.equal(snapshot(PAM_DIR), before, '/etc/pam.d is exactly as it was');
        node_assert_1.strict.ok(!fs.existsSync(path.join(securityDir(), 'pam_pwbridge.so')), 'the module is gone');
        node_assert_1.strict.ok(!fs.existsSync(UNIT), 'the unit is gone');
        // The service is stopped: the socket no longer answers, and a passwd now changes nothing in the vault.
        const again = (0, node_child_process_1.spawnSync)('/usr/bin/passwd', [user], { input: 'After-Uninstall-2\nAfter-Uninstall-2\n', encoding: 'utf8' });
        node_assert_1.strict.equal(again.status, 0, again.stderr);
        node_assert_1.strict.equal((0, node_child_process_1.execFileSync)('/usr/bin/find', [dataDir, '-name', '*.chg'], { encoding: 'utf8' }).trim(), '', 'nothing spooled: the module is out of the stack');
    });
});
//# sourceMappingURL=pam-install-e2e.test.js.map