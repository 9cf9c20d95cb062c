"use strict";
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
// The Windows adapters against the real Windows: SAM, LogonUserW, the lockout policy, the password
// policy, the registry, the kernel's boot time and the Event Log. Runs only on Windows as an elevated
// administrator (the windows-latest CI job, .github/workflows/windows.yml); everywhere else it skips
// itself, and the same code paths run against the fake in the other files here.
//
// It makes one throwaway local account (pwbt_<random>), never touches any other, and deletes it at the end.
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const account_port_1 = require("../../../src/ports/account.port");
const account_lookup_1 = require("../../../src/platform/windows/account-lookup");
const binding_1 = require("../../../src/platform/windows/binding");
const boot_1 = require("../../../src/platform/windows/boot");
const event_sink_1 = require("../../../src/platform/windows/event-sink");
const lockout_1 = require("../../../src/platform/windows/lockout");
const netapi_1 = require("../../../src/platform/windows/netapi");
const places_1 = require("../../../src/platform/windows/places");
const random_password_1 = require("../../../src/platform/windows/random-password");
const registry_1 = require("../../../src/platform/windows/registry");
const sid_1 = require("../../../src/platform/windows/sid");
const structs_1 = require("../../../src/platform/windows/structs");
const utf16_1 = require("../../../src/platform/windows/utf16");
const windows_accounts_1 = require("../../../src/platform/windows/windows.accounts");
const dpapi_token_1 = require("../../../src/platform/windows/dpapi-token");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_child_process_1 = require("node:child_process");
describe('platform/windows on real Windows (skipped elsewhere)', function () {
    this.timeout(60_000);
    let w;
    let net;
    const name = `pwbt_${(0, node_crypto_1.randomBytes)(4).toString('hex')}`;
    const first = Buffer.concat([(0, random_password_1.randomPassword)(20), Buffer.from('-Ü🙂')]);
    before(function () {
        if (process.platform !== 'win32')
            this.skip();
        w = (0, binding_1.loadWin32)();
        net = new netapi_1.NetApi(w);
        const wide = (0, utf16_1.utf8ToWideZ)(first);
        try {
            net.addUser(name, wide, 'pwbridge test account (deleted by the test)', structs_1.UF_SCRIPT | structs_1.UF_NORMAL_ACCOUNT);
        }
        finally {
            wide.fill(0);
        }
    });
    after(function () {
        if (process.platform === 'win32' && net)
            net.deleteUser(name);
        first.fill(0);
    });
    it('lists the account with its RID, and getAccount agrees; the SID ends in the RID', async () => {
        const accounts = new windows_accounts_1.WindowsAccounts({ win32: w });
        const list = await accounts.listAccounts();
        const mine = list.find((a) => a.name.toLowerCase() === name);
        node_assert_1.strict.ok(mine, 'listed');
        const one = await accounts.getAccount(name);
        node_assert_1.strict.equal(one?.id, mine.id);
        node_assert_1.strict.ok(Math.abs((one.passwordLastSet ?? 0) - Date.now()) < 120_000, 'set just now');
        const sid = new account_lookup_1.AccountLookup(w).sidOf(name);
        node_assert_1.strict.ok(sid.sidString.endsWith(`-${mine.id}`), (0, sid_1.sidToString)(sid.sid));
        node_assert_1.strict.ok(new account_lookup_1.AccountLookup(w).administratorsGroup().length > 0);
    });
    it('verifies the right password (non-ASCII, astral) and not a wrong one, within the lockout rule', async function () {
        const accounts = new windows_accounts_1.WindowsAccounts({ win32: w });
        try {
            node_assert_1.strict.equal(await accounts.verifyPassword(name, first), true);
            node_assert_1.strict.equal(await accounts.verifyPassword(name, Buffer.from('definitely-not-it-1A!')), false);
        }
        catch (e) {
            if (e instanceof lockout_1.LockoutRiskError)
                this.skip(); // a policy with threshold ≤ 2 on this machine
            throw e;
        }
        const policy = net.lockoutPolicy();
        node_assert_1.strict.ok(policy.threshold >= 0);
    });
    it('sets a new password (level 1003), which then verifies; the fingerprint changes', async () => {
        const accounts = new windows_accounts_1.WindowsAccounts({ win32: w });
        const before = (await accounts.getAccount(name)).fingerprint;
        await new Promise((r) => setTimeout(r, 2100)); // password age has whole seconds
        const next = Buffer.concat([(0, random_password_1.randomPassword)(24), Buffer.from('-é')]);
        await accounts.setPassword(name, next);
        node_assert_1.strict.notEqual((await accounts.getAccount(name)).fingerprint, before);
        try {
            node_assert_1.strict.equal(await accounts.verifyPassword(name, next), true);
        }
        catch (e) {
            if (!(e instanceof lockout_1.LockoutRiskError))
                throw e;
        }
        next.fill(0);
    });
    it('a password the local policy refuses is PolicyRefusedError (when the machine has a policy)', async function () {
        const accounts = new windows_accounts_1.WindowsAccounts({ win32: w });
        try {
            await accounts.setPassword(name, Buffer.from('a'));
        }
        catch (e) {
            node_assert_1.strict.ok(e instanceof account_port_1.PolicyRefusedError, e.message);
            return;
        }
        this.skip(); // no minimum length or complexity here: "a" was accepted
    });
    it('reads Notification Packages, the boot time and reports an event', () => {
        const reg = new registry_1.Registry(w);
        const v = reg.get(places_1.LSA_KEY, places_1.NOTIFICATION_PACKAGES);
        node_assert_1.strict.ok(v, 'Notification Packages exists');
        node_assert_1.strict.ok(Array.isArray((0, registry_1.decodeList)(v).values));
        const boot = (0, boot_1.bootTimeSeconds)(w);
        node_assert_1.strict.ok(boot > 1_500_000_000 && boot * 1000 < Date.now());
        node_assert_1.strict.match((0, boot_1.bootIdFor)(boot), /^[0-9a-f]{32}$/);
        const sink = new event_sink_1.WindowsEventSink(w, 'test');
        sink.record({ kind: 'selftest', outcome: 'ok', reason: 'pwbridge test suite' });
        sink.flush();
        node_assert_1.strict.equal(sink.failed, 0);
        sink.close();
    });
    it('keeps the agent token DPAPI-protected: never in clear on disk, SYSTEM and Administrators only, read back whole', () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbt-dpapi-'));
        const file = path.join(dir, 'agent.token');
        const token = `pwa_${(0, node_crypto_1.randomBytes)(32).toString('base64url')}`;
        try {
            const store = (0, dpapi_token_1.dpapiTokenStore)();
            store.write(file, token);
            const onDisk = fs.readFileSync(file);
            node_assert_1.strict.ok(onDisk.subarray(0, dpapi_token_1.DPAPI_TOKEN_MAGIC.length).equals(dpapi_token_1.DPAPI_TOKEN_MAGIC));
            node_assert_1.strict.equal(onDisk.indexOf(Buffer.from(token)), -1, 'not in clear (UTF-8)');
            node_assert_1.strict.equal(onDisk.indexOf(Buffer.from(token, 'utf16le')), -1, 'not in clear (UTF-16)');
            node_assert_1.strict.equal(store.read(file), token);
            const acl = (0, node_child_process_1.execFileSync)('icacls', [file], { encoding: 'utf8' });
            node_assert_1.strict.doesNotMatch(acl, /\(I\)/, 'nothing inherited');
            node_assert_1.strict.doesNotMatch(acl, /BUILTIN\\Users|Everyone|Authenticated Users/i, acl);
            fs.writeFileSync(file, `${token}\n`);
            node_assert_1.strict.throws(() => store.read(file), /not DPAPI-protected/);
        }
        finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
//# sourceMappingURL=real-windows.test.js.map