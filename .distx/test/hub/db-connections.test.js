"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// HubOptions.dbConnections: the size of the hub's PostgreSQL pools (DEFAULT_DB_CONNECTIONS when absent),
// and a clear refusal of a size that makes no sense.
const strict_1 = __importDefault(require("node:assert/strict"));
const server_1 = require("../../src/hub/server");
const hub_1 = require("../helpers/hub");
const tmp_1 = require("../helpers/tmp");
const vaultPool = (vault) => vault.pool;
describe('hub database pool size', function () {
    this.timeout(60_000);
    it('sizes the vault pool as asked, and by default', async () => {
        const schema = await (0, hub_1.freshPostgresSchema)('hub');
        const tmp = (0, tmp_1.makeTempDir)('pwbridge-pool-');
        try {
            for (const [asked, expected] of [[3, 3], [undefined, server_1.DEFAULT_DB_CONNECTIONS]]) {
                const { vault, store } = await (0, server_1.openHubDatabase)(tmp.dir, schema.url, asked);
                try {
                    strict_1.default.equal(vaultPool(vault).options.max, expected);
                }
                finally {
                    await vault.close();
                    await store.close();
                }
            }
        }
        finally {
            await schema.drop();
            tmp.cleanup();
        }
    });
    it('refuses a size that is not a positive integer, naming the setting', async () => {
        const tmp = (0, tmp_1.makeTempDir)('pwbridge-pool-');
        try {
            for (const bad of [0, -1, 2.5, 5000]) {
                await strict_1.default.rejects((0, server_1.openHubDatabase)(tmp.dir, 'postgres://nobody@127.0.0.1:1/none', bad), /dbConnections must be an integer from 1 to 1000/);
            }
        }
        finally {
            tmp.cleanup();
        }
    });
});
//# sourceMappingURL=db-connections.test.js.map