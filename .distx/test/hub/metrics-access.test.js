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
// Who may read /metrics, as `pwbridge hub` is told: the scrape token file is checked before the hub starts
// (owner-only, long enough), its content never appears in a refusal, and the two switches exclude each other.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const hub_1 = require("../../src/cli/commands/hub");
const passwords_1 = require("../../src/hub/passwords");
const tmp_1 = require("../helpers/tmp");
describe('pwbridge hub --metrics-token-file / --metrics-public', () => {
    const tmp = (0, tmp_1.makeTempDir)('pwbridge-metrics-');
    after(() => tmp.cleanup());
    const write = (name, content, mode) => {
        const file = path.join(tmp.dir, name);
        fs.writeFileSync(file, content, { mode });
        fs.chmodSync(file, mode);
        return file;
    };
    it('keeps the SHA-256 of an owner-only token file, the trailing newline not part of it', () => {
        const token = 'Tok+canary/0123456789abcdefghijklmnopqrstuv=';
        node_assert_1.strict.deepEqual((0, hub_1.metricsAccess)(false, write('ok', `${token}\n`, 0o600)), { public: false, tokenHash: (0, passwords_1.tokenHash)(token) });
        node_assert_1.strict.deepEqual((0, hub_1.metricsAccess)(false, undefined), { public: false });
        node_assert_1.strict.deepEqual((0, hub_1.metricsAccess)(true, undefined), { public: true });
    });
    it('refuses a file others may read, a short token, a missing file and both switches, never quoting the token', () => {
        const canary = 'short-canary-token';
        const cases = [
            [() => (0, hub_1.metricsAccess)(false, write('open', 'x'.repeat(40), 0o644)), /mode 644 lets others read it; chmod 600/],
            [() => (0, hub_1.metricsAccess)(false, write('short', canary, 0o600)), /32 to 512 characters/],
            [() => (0, hub_1.metricsAccess)(false, write('space', `${'a'.repeat(20)} ${'b'.repeat(20)}`, 0o600)), /characters of/],
            [() => (0, hub_1.metricsAccess)(false, path.join(tmp.dir, 'missing')), /--metrics-token-file .*missing.*ENOENT/],
            [() => (0, hub_1.metricsAccess)(true, write('both', 'y'.repeat(40), 0o600)), /exclude each other/],
        ];
        for (const [fn, why] of cases) {
            node_assert_1.strict.throws(fn, (err) => {
                node_assert_1.strict.match(err.message, why);
                node_assert_1.strict.ok(!err.message.includes(canary) && !err.message.includes('x'.repeat(32)));
                return true;
            });
        }
    });
});
//# sourceMappingURL=metrics-access.test.js.map