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
// POST /api/users/<passwd|disable|enable|set>: an admin's changes to users over HTTPS, the same operations
// as `pwbridge hub-user`, against a real hub on both engines.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const cli_1 = require("../cli/cli");
const hub_1 = require("../helpers/hub");
const OP_PW = 'Op-Pw-canary-a81d3e';
const OP_NEW_PW = 'Op-New-canary-5c0f92';
const b64 = (s) => Buffer.from(s).toString('base64');
for (const engine of ['sqlite', 'postgres']) {
    describe(`POST /api/users/<op> (${engine})`, function () {
        this.timeout(60_000);
        let t;
        beforeEach(async () => {
            t = await (0, hub_1.startTestHub)(engine);
            await t.addUser('olivia', 'operator', ['setup-ad-sync'], OP_PW);
        });
        afterEach(async () => {
            await t.close();
        });
        const post = async (path, body, token) => t.client().request('POST', path, body, token ?? await t.token());
        it('an admin sets a password, disables, enables and changes a user; each is an event by that admin', async () => {
            const session = await t.token('olivia', OP_PW);
            const pw = await post('/api/users/passwd', { name: 'olivia', password: b64(OP_NEW_PW) });
            node_assert_1.strict.equal(pw.status, 200, JSON.stringify(pw.body));
            node_assert_1.strict.equal((await t.client(session).request('GET', '/api/me')).status, 401, 'the session ended');
            node_assert_1.strict.equal((await t.login('olivia', OP_PW)).status, 401);
            const fresh = await t.token('olivia', OP_NEW_PW);
            const off = await post('/api/users/disable', { name: 'olivia' });
            node_assert_1.strict.deepEqual(off.body, { user: { name: 'olivia', role: 'operator', permissions: ['setup-ad-sync'], disabled: true } });
            node_assert_1.strict.equal((await t.client(fresh).request('GET', '/api/me')).status, 401);
            node_assert_1.strict.equal((await t.login('olivia', OP_NEW_PW)).status, 401);
            node_assert_1.strict.equal((await post('/api/users/enable', { name: 'olivia' })).status, 200);
            const set = await post('/api/users/set', { name: 'olivia', role: 'viewer', permissions: [] });
            node_assert_1.strict.deepEqual(set.body, { user: { name: 'olivia', role: 'viewer', permissions: [], disabled: false } });
            const back = await t.token('olivia', OP_NEW_PW);
            node_assert_1.strict.equal((await t.client(back).request('GET', '/api/me')).body.user.role, 'viewer');
            const ev = (await t.hub.vault.queryEvents({ limit: 1000 })).filter((e) => e.kind.startsWith('user-') && e.account === 'olivia');
            node_assert_1.strict.deepEqual(ev.map((e) => e.kind), ['user-created', 'user-password-set', 'user-disabled', 'user-enabled', 'user-changed']);
            for (const e of ev.slice(1))
                node_assert_1.strict.match(e.reason ?? '', /by user "admin" \(admin\)/);
            const all = Buffer.concat([Buffer.from(JSON.stringify(await t.hub.vault.queryEvents({ limit: 100_000 }))), fs.readFileSync(t.logFile)]);
            for (const c of [OP_PW, OP_NEW_PW])
                node_assert_1.strict.equal((0, cli_1.findSecret)(all, c), undefined);
        });
        it('refuses non-admins (403, recorded), the last admin (409), unknown users (404) and bad bodies (400, the field named)', async () => {
            const op = await t.token('olivia', OP_PW);
            const refused = await post('/api/users/disable', { name: hub_1.ADMIN }, op);
            node_assert_1.strict.equal(refused.status, 403);
            node_assert_1.strict.ok((await t.hub.vault.queryEvents({ kind: 'access-refused', limit: 10 })).some((e) => /may not disable user "admin"/.test(e.reason ?? '')));
            const last = await post('/api/users/set', { name: hub_1.ADMIN, role: 'operator' });
            node_assert_1.strict.equal(last.status, 409);
            node_assert_1.strict.match(last.body.error.message, /last enabled admin/);
            node_assert_1.strict.equal((await post('/api/users/disable', { name: 'ghost' })).status, 404);
            const noName = await post('/api/users/enable', {});
            node_assert_1.strict.equal(noName.status, 400);
            node_assert_1.strict.match(noName.body.error.message, /name is required/);
            const short = await post('/api/users/passwd', { name: 'olivia', password: b64('short') });
            node_assert_1.strict.equal(short.status, 400);
            node_assert_1.strict.match(short.body.error.message, /password must be 12 to 1024 bytes/);
            const role = await post('/api/users/set', { name: 'olivia', role: 'boss' });
            node_assert_1.strict.equal(role.status, 400);
            node_assert_1.strict.match(role.body.error.message, /role must be one of/);
            node_assert_1.strict.equal((await post('/api/users/set', { name: 'olivia' })).status, 400);
            node_assert_1.strict.equal((await t.login('olivia', OP_PW)).status, 200, 'nothing changed');
        });
    });
}
//# sourceMappingURL=user-change-api.test.js.map