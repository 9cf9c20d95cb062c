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
const strict_1 = __importDefault(require("node:assert/strict"));
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const sqlite_state_1 = require("../../src/journal/sqlite.state");
const fixtures_1 = require("./fixtures");
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const tmp_1 = require("../helpers/tmp");
(0, sqlite_drivers_1.forEachSqliteDriver)((sqlite) => {
    describe('SqliteEchoStore', () => {
        let tmp;
        let file;
        let s;
        const pw = Buffer.from('Echo-Pässword-3f9c', 'utf8');
        beforeEach(() => {
            tmp = (0, tmp_1.makeTempDir)('pwbridge-echo-');
            file = path.join(tmp.dir, 'state.db');
            s = (0, sqlite_state_1.openStateDb)(file, { echoKey: fixtures_1.ECHO_KEY, sqlite });
        });
        afterEach(() => { s.close(); tmp.cleanup(); });
        it('consumes a remembered password once', () => {
            s.echo.remember('alice', pw, 10_000);
            strict_1.default.equal(s.echo.consume('alice', pw, 5_000), true);
            strict_1.default.equal(s.echo.consume('alice', pw, 5_001), false);
        });
        it('does not match another password or another account', () => {
            s.echo.remember('alice', pw, 10_000);
            strict_1.default.equal(s.echo.consume('alice', Buffer.from('other'), 5_000), false);
            strict_1.default.equal(s.echo.consume('bob', pw, 5_000), false);
            strict_1.default.equal(s.echo.consume('alice', pw, 5_000), true, 'misses did not use it up');
        });
        it('matches the account case-insensitively', () => {
            s.echo.remember('WS01\\Alice', pw, 10_000);
            strict_1.default.equal(s.echo.consume('ws01\\ALICE', pw, 5_000), true);
        });
        it('an expired echo is not a match, and is used up anyway', () => {
            s.echo.remember('alice', pw, 10_000);
            strict_1.default.equal(s.echo.consume('alice', pw, 10_000), false);
            s.echo.remember('alice', pw, 10_000);
            s.echo.remember('alice', pw, 20_000); // remembering again extends
            s.echo.remember('alice', pw, 15_000); // and never shortens
            strict_1.default.equal(s.echo.consume('alice', pw, 19_999), true);
        });
        it('purges expired rows', () => {
            s.echo.remember('a', pw, 100);
            s.echo.remember('b', pw, 200);
            s.echo.remember('c', pw, 300);
            strict_1.default.equal(s.echo.purgeExpired(200), 2);
            strict_1.default.equal(s.db.prepare('SELECT count(*) FROM echo').pluck().get(), 1);
            strict_1.default.equal(s.echo.consume('c', pw, 250), true);
        });
        it('consume() purges expired rows now and then', () => {
            s.echo.remember('a', pw, 100);
            s.echo.remember('b', pw, 1_000_000);
            s.echo.consume('zzz', pw, 500);
            strict_1.default.equal(s.db.prepare('SELECT count(*) FROM echo').pluck().get(), 1);
        });
        it('stores only a keyed hash: another echo key does not match, and the password is not on disk', () => {
            s.echo.remember('alice', pw, 10_000);
            s.close();
            const other = (0, sqlite_state_1.openStateDb)(file, { echoKey: Buffer.alloc(32, 8), sqlite });
            strict_1.default.equal(other.echo.consume('alice', pw, 5_000), false);
            other.close();
            s = (0, sqlite_state_1.openStateDb)(file, { echoKey: fixtures_1.ECHO_KEY, sqlite });
            for (const f of fs.readdirSync(tmp.dir)) {
                const bytes = fs.readFileSync(path.join(tmp.dir, f));
                strict_1.default.ok(!bytes.includes(pw), `${f} holds the password`);
            }
            strict_1.default.equal(s.echo.consume('alice', pw, 5_000), true, 'survives reopen with the same key');
        });
        it('refuses a short echo key', () => {
            strict_1.default.throws(() => (0, sqlite_state_1.openStateDb)(path.join(tmp.dir, 'x.db'), { echoKey: Buffer.alloc(8), sqlite }), /at least 16 bytes/);
        });
    });
});
//# sourceMappingURL=sqlite.echo.test.js.map