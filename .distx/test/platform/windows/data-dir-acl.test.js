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
// The data dir ACL scenarios (acl-scenarios.ts) against both Win32s with the same assertions: the fake,
// in-process on a Linux temp dir, and the real one, the Windows node.exe under Wine on C:\ProgramData.
// What only one of them keeps is asserted for that one, and says why.
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const acl_rule_1 = require("../../../src/platform/windows/acl-rule");
const binding_1 = require("../../../src/platform/windows/binding");
const process_identity_1 = require("../../../src/platform/windows/process-identity");
const sid_1 = require("../../../src/platform/windows/sid");
const tmp_1 = require("../../helpers/tmp");
const windows_app_1 = require("../../helpers/windows-app");
const windows_node_1 = require("../../helpers/windows-node");
const wine_1 = require("../../helpers/wine");
const acl_scenarios_1 = require("./acl-scenarios");
const fake_win32_1 = require("./fake-win32");
const SERVICE = 'S-1-5-21-1-2-3-1001';
const backends = [
    {
        name: 'the fake Win32',
        wine: false,
        async run() {
            const tmp = (0, tmp_1.makeTempDir)('pwbt-acl-');
            try {
                return { r: (0, acl_scenarios_1.runAclScenarios)(new fake_win32_1.FakeWindows().win32, tmp.dir, SERVICE), service: SERVICE };
            }
            finally {
                tmp.cleanup();
            }
        },
    },
    {
        // The Windows CI job: the same scenarios in-process, on the real file system.
        name: 'the real Win32 on Windows',
        wine: false,
        async run() {
            if (process.platform !== 'win32')
                this.skip();
            // In %ProgramData%, where the data dir lives and what an ordinary folder inherits is known (Users may read and create).
            const w = (0, binding_1.loadWin32)();
            const base = path.join(process.env.ProgramData ?? 'C:\\ProgramData', `pwbt-acl-${(0, node_crypto_1.randomBytes)(4).toString('hex')}`);
            fs.mkdirSync(base);
            try {
                return { r: (0, acl_scenarios_1.runAclScenarios)(w, base, (0, process_identity_1.processUserSid)(w)), service: (0, process_identity_1.processUserSid)(w) };
            }
            finally {
                fs.rmSync(base, { recursive: true, force: true });
            }
        },
    },
    {
        name: 'the real Win32 under Wine',
        wine: true,
        async run() {
            const missing = (0, wine_1.windowsPartsMissing)();
            if (process.platform === 'win32' || missing.skip)
                this.skip();
            if (missing.fail)
                throw new Error(missing.fail);
            const out = await (0, windows_node_1.runWindowsNode)([(0, windows_app_1.sharedWindowsApp)().file('dist/test/platform/windows/wine/acl-scenarios.main.js')], { timeoutMs: 120_000 });
            node_assert_1.strict.equal(out.code, 0, out.stderr);
            const r = JSON.parse(out.stdout.trim().split('\n').pop());
            return { r, service: r.userSid };
        },
    },
];
for (const b of backends) {
    describe(`platform/windows data dir ACL: ${b.name}`, function () {
        this.timeout(180_000);
        let r;
        let service;
        before(async function () {
            ({ r, service } = await b.run.call(this));
        });
        it('a tree made with the protected descriptor and secured after files were added reads back with nobody else in it', () => {
            node_assert_1.strict.deepEqual(r.secured.problems, []);
            const allowed = new Set([acl_rule_1.SYSTEM_SID, sid_1.ADMINISTRATORS_SID, service, r.userSid]);
            for (const e of r.secured.entries) {
                node_assert_1.strict.ok(allowed.has(e.owner), `${e.rel} owned by ${e.owner}`);
                node_assert_1.strict.ok(e.sids.includes(acl_rule_1.SYSTEM_SID), `${e.rel}: SYSTEM keeps access`);
                for (const sid of e.sids)
                    node_assert_1.strict.ok(allowed.has(sid), `${e.rel}: ${sid}`);
            }
            if (b.wine) {
                // Wine keeps a Unix mode, not the descriptor: owner the Wine user, SYSTEM and the owner, no protection flag.
                for (const e of r.secured.entries)
                    node_assert_1.strict.deepEqual([e.owner, e.sids, e.protected], [r.userSid, [acl_rule_1.SYSTEM_SID, r.userSid], false], e.rel);
            }
            else {
                for (const e of r.secured.entries)
                    node_assert_1.strict.deepEqual([e.owner, e.sids, e.protected], [sid_1.ADMINISTRATORS_SID, [acl_rule_1.SYSTEM_SID, sid_1.ADMINISTRATORS_SID, service], true], e.rel);
            }
        });
        it('an Everyone entry on one key file: verify refuses naming the file and Everyone; the service\'s key check too, and passes the others', () => {
            node_assert_1.strict.match(r.everyone.error ?? '', /keys[\\/]bridge\.key has an entry \(A;;[^;]+;;;WD\) that gives Everyone \(S-1-1-0\) (full control|the rights 0x1301ff)\. pwbridge install set the ACL and reading it back shows the above/);
            node_assert_1.strict.match(r.everyone.keyCheckPlanted ?? '', /^has an entry \(A;;[^;]+;;;WD\) that gives Everyone \(S-1-1-0\)/);
            node_assert_1.strict.equal(r.everyone.keyCheckClean, undefined);
        });
        it('a folder made the ordinary way (mkdir, a file in it) is refused, the folder and the file each for an entry naming someone else', () => {
            const paths = new Set(r.ordinary.problems.map((p) => p.path.split('\\').join('/')));
            node_assert_1.strict.deepEqual([...paths].sort(), ['ordinary', 'ordinary/config.json']);
            for (const p of r.ordinary.problems) {
                node_assert_1.strict.match(p.problem, /^has an entry \(A;[A-Z]*;[^;]+;;;[^)]+\) that gives .+ (read|full control|the rights)/);
                node_assert_1.strict.doesNotMatch(p.problem, /;;;(SY|BA)\)/);
            }
            // Which entry: %ProgramData%'s Users on Windows (the fake models it), Everyone from the Unix mode under Wine.
            node_assert_1.strict.ok(r.ordinary.problems.some((p) => (b.wine ? /;;;WD\)/ : /;;;BU\)/).test(p.problem)));
        });
    });
}
//# sourceMappingURL=data-dir-acl.test.js.map