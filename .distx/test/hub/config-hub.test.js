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
// config.json's `hub` field (written by pwbridge setup): checked like every other field.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const config_1 = require("../../src/config/config");
const config_error_1 = require("../../src/config/config-error");
const tmp_1 = require("../helpers/tmp");
const FP = 'ab'.repeat(32);
describe('config.json: hub', () => {
    let tmp;
    beforeEach(() => { tmp = (0, tmp_1.makeTempDir)('pwbridge-config-hub-'); });
    afterEach(() => tmp.cleanup());
    const load = (config) => {
        fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify(config));
        return (0, config_1.loadConfig)(tmp.dir);
    };
    it('absent: the embedded vault; present: URL origin and the fingerprint in one spelling', () => {
        node_assert_1.strict.equal(load({}).hub, undefined);
        node_assert_1.strict.deepEqual(load({ machine: 'WS01', hub: { url: 'https://hub.example:8443/', fingerprint: FP } }).hub, { url: 'https://hub.example:8443', fingerprint: 'AB:'.repeat(31) + 'AB' });
        node_assert_1.strict.deepEqual(load({ hub: { url: 'https://hub.example', caFile: '/etc/pwbridge/ca.pem' } }).hub, { url: 'https://hub.example', caFile: '/etc/pwbridge/ca.pem' });
    });
    const bad = [
        ['not an object', 'https://hub', /hub: must be an object/],
        ['http', { url: 'http://hub.example', fingerprint: FP }, /hub\.url: "http:\/\/hub\.example" is not an https:\/\/HOST\[:PORT\] URL/],
        ['a path', { url: 'https://hub.example/api', fingerprint: FP }, /hub\.url/],
        ['a password in the URL', { url: 'https://u:p@hub.example', fingerprint: FP }, /hub\.url/],
        ['neither trust', { url: 'https://hub.example' }, /exactly one of fingerprint and caFile/],
        ['both trusts', { url: 'https://hub.example', fingerprint: FP, caFile: '/x' }, /exactly one of fingerprint and caFile/],
        ['a short fingerprint', { url: 'https://hub.example', fingerprint: 'abcd' }, /hub\.fingerprint: is not a SHA-256 fingerprint/],
        ['an unknown field', { url: 'https://hub.example', fingerprint: FP, token: 'x' }, /hub\.token: is not a known field/],
    ];
    for (const [name, hub, pattern] of bad) {
        it(`refuses ${name}, naming the field and the fix`, () => {
            node_assert_1.strict.throws(() => load({ hub }), (err) => {
                node_assert_1.strict.ok(err instanceof config_error_1.ConfigError);
                node_assert_1.strict.match(err.message, pattern);
                node_assert_1.strict.match(err.message, /pwbridge setup|Known fields/);
                return true;
            });
        });
    }
    it('refuses a machine name with a backslash when a hub is used (it is the MACHINE of MACHINE\\user)', () => {
        node_assert_1.strict.throws(() => load({ machine: 'A\\B', hub: { url: 'https://hub.example', fingerprint: FP } }), /machine: contains a backslash/);
    });
});
//# sourceMappingURL=config-hub.test.js.map