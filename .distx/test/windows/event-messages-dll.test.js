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
// pwbridge_messages.dll, the Application log source's EventMessageFile: built from
// native/lsa/messages/pwbridge_messages.mc (itself generated from the event ID table), and read back the way
// Event Viewer reads it (messages_test.exe: LoadLibraryEx as a data file, FormatMessageW from the module)
// under Wine here, natively in the Windows workflow. The table in event-ids.ts is the source of truth.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const event_ids_1 = require("../../src/platform/windows/event-ids");
const event_messages_1 = require("../../src/platform/windows/event-messages");
const pe_1 = require("../helpers/pe");
const wine_1 = require("../helpers/wine");
const repo_root_1 = require("../vectors/repo-root");
const MC = path.join((0, repo_root_1.repoRoot)(), 'native', 'lsa', 'messages', 'pwbridge_messages.mc');
const ALL = [...event_ids_1.WINDOWS_EVENT_IDS, event_ids_1.UNKNOWN_EVENT_ID];
/** What messages_test.exe passes as the event's one insertion string (%1). */
const INSERT = '[insertion 1]';
/** Each ID's line from messages_test.exe: the formatted text, or the Win32 error. */
function readMessages(ids) {
    const r = (0, wine_1.runWindows)(wine_1.MESSAGES_TEST_EXE, [(0, wine_1.winPath)(wine_1.MESSAGES_DLL), ...ids.map(String)]);
    node_assert_1.strict.equal(r.code, 0, r.out);
    const out = new Map();
    for (const line of r.out.split(/\r?\n/)) {
        const m = /^(\d+) (ok|err) (\S*)$/.exec(line);
        if (!m)
            continue;
        out.set(Number(m[1]), m[2] === 'ok' ? Buffer.from(m[3], 'hex').toString('utf16le') : { error: Number(m[3]) });
    }
    return out;
}
describe('pwbridge_messages.dll: the event source\'s message table', function () {
    this.timeout(120_000);
    it('native/lsa/messages/pwbridge_messages.mc is what the event ID table renders (regenerate it when the table changes)', () => {
        node_assert_1.strict.equal(fs.readFileSync(MC, 'utf8'), (0, event_messages_1.renderMessageFile)(), 'regenerate it: node dist/src/platform/windows/event-messages.js mc > native/lsa/messages/pwbridge_messages.mc');
    });
    describe('as built, read back with FormatMessageW', () => {
        before(function () {
            const missing = (0, wine_1.windowsPartsMissing)();
            if (missing.fail)
                throw new Error(missing.fail);
            if (missing.skip)
                this.skip();
            if (!fs.existsSync(wine_1.MESSAGES_DLL) || !fs.existsSync(wine_1.MESSAGES_TEST_EXE)) {
                throw new Error(`${wine_1.MESSAGES_DLL} or ${wine_1.MESSAGES_TEST_EXE} is missing: npm run build:native (mingw-w64 with windmc, cmake)`);
            }
            this.timeout(180_000);
            (0, wine_1.winePrefix)();
        });
        it('every ID of the table gives the table\'s text (backquotes dropped), then the event\'s own text as %1', () => {
            const got = readMessages(ALL.map((d) => d.id));
            for (const d of ALL) {
                const want = `${d.text.replace(/`/g, '')}\r\n\r\n${INSERT}\r\n`;
                node_assert_1.strict.equal(got.get(d.id), want, `event ID ${d.id} (${d.symbol})`);
            }
            node_assert_1.strict.equal(got.size, ALL.length);
        });
        it('an ID the table does not have is not in the DLL either (ERROR_MR_MID_NOT_FOUND): the check can fail', () => {
            const known = new Set(ALL.map((d) => d.id));
            const absent = [1, 999, 1005, 8999, 9001].filter((id) => !known.has(id));
            const got = readMessages(absent);
            for (const id of absent)
                node_assert_1.strict.deepEqual(got.get(id), { error: 317 }, `ID ${id}`);
        });
        it('is resource-only: no entry point, no imports, no exports; x64 with ASLR and DEP', () => {
            const bytes = fs.readFileSync(wine_1.MESSAGES_DLL);
            const pe = (0, pe_1.readPe)(bytes);
            node_assert_1.strict.equal(pe.machine, 0x8664);
            node_assert_1.strict.deepEqual([...pe.imports.keys()], []);
            node_assert_1.strict.deepEqual(pe.exports, []);
            const want = pe_1.DLLCHAR_DYNAMIC_BASE | pe_1.DLLCHAR_NX_COMPAT | pe_1.DLLCHAR_HIGH_ENTROPY_VA;
            node_assert_1.strict.equal(pe.dllCharacteristics & want, want, `DllCharacteristics 0x${pe.dllCharacteristics.toString(16)}`);
            const dump = (0, wine_1.peDump)(wine_1.MESSAGES_DLL);
            if (dump) {
                node_assert_1.strict.match(dump, /AddressOfEntryPoint\s+0+\s/);
                node_assert_1.strict.match(dump, /\.rsrc/i);
                node_assert_1.strict.doesNotMatch(dump, /DLL Name:/);
            }
        });
    });
});
//# sourceMappingURL=event-messages-dll.test.js.map