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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// listCredentialsForMachine, the agent's listing done in SQL, answers exactly what listing the whole
// client and keeping what appliesToAgent accepts answered (the hub's former way), on both engines: case
// folding (ASCII and not), a machine name that is a prefix of another, LIKE's wildcards in names, a
// machine name holding a backslash, flags on some rows, other clients' rows.
const strict_1 = __importDefault(require("node:assert/strict"));
const crypto = __importStar(require("node:crypto"));
const path = __importStar(require("node:path"));
const access_1 = require("../../src/hub/access");
const postgres_vault_1 = require("../../src/vault/postgres.vault");
const sqlite_vault_1 = require("../../src/vault/sqlite.vault");
const postgres_1 = require("../helpers/postgres");
const tmp_1 = require("../helpers/tmp");
const USERNAMES = [
    'PC1\\alice', 'pc1\\Bob', 'Pc1\\svc\\odd', 'PC10\\carol', 'PC2\\dave', 'shared', 'Backup', 'Ärger',
    'ÄBC\\öl', 'äbc\\Ünter', 'p_1\\wild', 'p%1\\pct', 'PC\\short', 'A\\B\\C',
];
const MACHINES = ['PC1', 'pc1', 'PC10', 'PC2', 'äbc', 'ÄBC', 'p_1', 'p%1', 'PC', 'nobody', 'A\\B', 'A'];
const engines = {
    sqlite: async () => {
        const tmp = (0, tmp_1.makeTempDir)('pwbridge-listing-');
        const vault = await sqlite_vault_1.SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: crypto.randomBytes(32) });
        return { vault, cleanup: async () => { await vault.close(); tmp.cleanup(); } };
    },
    postgres: async () => {
        const pg = await (0, postgres_1.testPostgres)();
        const schema = await pg.createSchema(await pg.createDatabase('listing'));
        const vault = await postgres_vault_1.PostgresVault.open({ url: schema.url, key: crypto.randomBytes(32) });
        return { vault, cleanup: async () => { await vault.close(); await schema.drop(); } };
    },
};
for (const [engine, open] of Object.entries(engines)) {
    describe(`listCredentialsForMachine on ${engine}`, function () {
        this.timeout(120_000);
        let o;
        before(async () => {
            o = await open();
            for (const name of ['Acme', 'Other']) {
                await o.vault.addClient({ name, windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'change' });
                for (const username of USERNAMES) {
                    const c = await o.vault.addCredential({ client: name, username, password: Buffer.from('List-Pw-canary'), windowsSync: true, mode: 'change' });
                    if (username.length % 3 === 0)
                        await o.vault.setFlag(c.id, 'mismatch', true);
                    if (username.length % 2 === 0)
                        await o.vault.setFlag(c.id, 'conflict', true);
                }
            }
        });
        after(async () => { await o?.cleanup(); });
        for (const machine of MACHINES) {
            it(`machine ${JSON.stringify(machine)}: the same rows, flags and order as list-and-filter`, async () => {
                const agent = { machine, client: 'acme' };
                const expected = (await o.vault.listCredentials('ACME')).filter((c) => (0, access_1.appliesToAgent)(agent, c.client, c.username));
                const got = await o.vault.listCredentialsForMachine('ACME', machine);
                strict_1.default.deepEqual(got, expected);
                strict_1.default.ok(got.some((c) => c.flags.length > 0), 'some rows carry flags');
                strict_1.default.ok(got.every((c) => c.client === 'Acme'));
            });
        }
        it('lists nothing for an unknown client', async () => {
            strict_1.default.deepEqual(await o.vault.listCredentialsForMachine('nope', 'PC1'), []);
        });
    });
}
//# sourceMappingURL=machine-listing.test.js.map