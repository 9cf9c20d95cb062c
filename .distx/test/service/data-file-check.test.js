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
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const sqlite_state_1 = require("../../src/journal/sqlite.state");
const data_file_check_1 = require("../../src/service/data-file-check");
const fixtures_1 = require("../journal/fixtures");
const tmp_1 = require("../helpers/tmp");
describe('the data-file check before the service starts', () => {
    let tmp;
    let file;
    beforeEach(() => {
        tmp = (0, tmp_1.makeTempDir)('pwbridge-datafile-');
        file = path.join(tmp.dir, 'state.db');
        const s = (0, sqlite_state_1.openStateDb)(file, { echoKey: fixtures_1.ECHO_KEY });
        for (let i = 0; i < 40; i++)
            s.journal.append(Array.from({ length: 50 }, (_, k) => (0, fixtures_1.entry)(i * 50 + k)));
        s.close();
    });
    afterEach(() => tmp.cleanup());
    it('passes a sound file and a missing one', () => {
        (0, data_file_check_1.checkDataFile)(file, 'state');
        (0, data_file_check_1.checkDataFile)(path.join(tmp.dir, 'absent.db'), 'vault');
    });
    it('a garbled header: DataFileError naming the file and the recovery step', () => {
        const fd = fs.openSync(file, 'r+');
        fs.writeSync(fd, (0, node_crypto_1.randomBytes)(100), 0, 100, 0);
        fs.closeSync(fd);
        strict_1.default.throws(() => (0, data_file_check_1.checkDataFile)(file, 'state'), (err) => err instanceof data_file_check_1.DataFileError
            && err.message.includes(file) && /not a SQLite database/.test(err.message) && /move the file aside/.test(err.message));
    });
    it('a file cut to half its size: DataFileError (the vault wording: restore from a backup)', () => {
        fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2 / 4096) * 4096);
        strict_1.default.throws(() => (0, data_file_check_1.checkDataFile)(file, 'vault'), (err) => err instanceof data_file_check_1.DataFileError
            && err.message.includes(file) && /damaged/.test(err.message) && /restore the file/.test(err.message));
    });
});
//# sourceMappingURL=data-file-check.test.js.map