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
// The data dir's ACL through install and uninstall, against the fake Win32's file security (which keeps
// descriptors per file and applies Windows' inheritance to what has none): a folder found there that lets
// anyone else in is refused before anything changes; install leaves every entry owned by Administrators
// with a protected DACL of SYSTEM, Administrators and the service account; a later change is refused with
// other advice; uninstall leaves SYSTEM and Administrators only. The same Win32 code under Wine:
// data-dir-acl.test.ts and test/windows/install-wine.test.ts.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const secure_tree_1 = require("../../../src/platform/windows/secure-tree");
const file_security_1 = require("../../../src/platform/windows/file-security");
const security_descriptor_1 = require("../../../src/platform/windows/security-descriptor");
const sid_1 = require("../../../src/platform/windows/sid");
const fake_win32_1 = require("./fake-win32");
const install_machine_1 = require("./install-machine");
const SY = 'S-1-5-18';
const BA = 'S-1-5-32-544';
describe('platform/windows install: the data dir ACL', () => {
    let m;
    afterEach(() => m.cleanup());
    /** Every entry of the data dir: its path below it, owner, whether protected, and whom its DACL names. */
    const tree = () => (0, secure_tree_1.listTree)(m.dataDir).map((e) => {
        const sd = (0, file_security_1.readFileSecurity)(m.win.win32, e.path);
        return { rel: path.relative(m.dataDir, e.path) || '.', owner: sd.owner, protected: (sd.control & security_descriptor_1.SE_DACL_PROTECTED) !== 0, sids: sd.dacl.map((a) => a.sid) };
    });
    it('a data dir made the ordinary way before install is refused, naming each entry and what it lets in, and nothing changes', async () => {
        m = (0, install_machine_1.machine)({ dataDirExists: false });
        fs.mkdirSync(m.dataDir); // as any user may in %ProgramData%: it inherits Users' read and create entries
        fs.writeFileSync(path.join(m.dataDir, 'config.json'), '{}');
        const calls = m.win.calls.length;
        await node_assert_1.strict.rejects(m.install(), (e) => e instanceof secure_tree_1.DataDirAclError
            && e.message.includes(`${m.dataDir} has an entry (A;OICIID;0x1200a9;;;BU) that gives Users (S-1-5-32-545) read and execute`)
            && e.message.includes(`${path.join(m.dataDir, 'config.json')} has an entry (A;ID;0x1200a9;;;BU)`)
            && e.message.includes(`Move it away (move "${m.dataDir}" "${m.dataDir}.untrusted"), run pwbridge install again`));
        await node_assert_1.strict.rejects(m.install({ dryRun: true }), secure_tree_1.DataDirAclError, 'a dry run refuses it too');
        node_assert_1.strict.deepEqual(m.win.calls.slice(calls).filter((c) => /^(Set|Create|Reg(Set|Delete)|NetUserAdd)/.test(c)), [], 'nothing changed');
        node_assert_1.strict.deepEqual(m.packages().data, install_machine_1.ORIGINAL_PACKAGES);
    });
    it('one entry owned by someone else in a folder that is otherwise right is enough to refuse it', async () => {
        m = (0, install_machine_1.machine)();
        const planted = path.join(m.dataDir, 'keys');
        fs.mkdirSync(planted);
        m.win.addUser('mallory', 'x', { rid: 1313 });
        m.win.setFileSecurity(planted, { owner: (0, sid_1.sidToString)((0, fake_win32_1.sidBytes)(1313)), protected: false, dacl: [] });
        await node_assert_1.strict.rejects(m.install(), new RegExp(`${planted.replace(/[\\\\/.]/g, '\\$&')} is owned by HOST1\\\\mallory \\(S-1-5-21-1-2-3-1313\\), not by SYSTEM, Administrators or the service account`));
        // One whose owner locked the administrators out of even reading its ACL is refused the same way.
        const get = m.win.advapi32.GetFileSecurityW;
        m.win.advapi32.GetFileSecurityW = (file, ...rest) => {
            if (file.toString('utf16le').startsWith(planted)) {
                m.win.lastError = 5;
                return 0;
            }
            return get(file, ...rest);
        };
        await node_assert_1.strict.rejects(m.install(), /keys has an owner and ACL that cannot be read \(GetFileSecurityW \(\S+keys\) failed: ERROR_ACCESS_DENIED/);
    });
    it('created by install: every entry owned by Administrators, protected, SYSTEM + Administrators + the service account; keys never under another ACL', async () => {
        m = (0, install_machine_1.machine)({ dataDirExists: false });
        node_assert_1.strict.equal(await m.install(), 0);
        const svc = (0, sid_1.sidToString)((0, fake_win32_1.sidBytes)(m.win.users.get('pwbridge').rid));
        const entries = tree();
        const rels = entries.map((e) => e.rel.split(path.sep).join('/'));
        for (const r of ['.', 'install.json', 'keys', 'keys/bridge.key', 'keys/bridge.pub', 'keys/capture.secret', 'keys/vault.key', 'log', 'spool', 'vault.db']) {
            node_assert_1.strict.ok(rels.includes(r), `${r} is in the tree (${rels.join(', ')})`);
        }
        for (const e of entries)
            node_assert_1.strict.deepEqual({ ...e, rel: undefined }, { rel: undefined, owner: BA, protected: true, sids: [SY, BA, svc] }, e.rel);
        node_assert_1.strict.ok(m.win.calls.some((c) => c === `CreateDirectoryW ${m.dataDir}`), 'made with its descriptor, not made then changed');
        node_assert_1.strict.equal(m.secured[0].keys, false);
        node_assert_1.strict.ok(m.secured.filter((s) => s.keys).length >= 2, 'secured again after the keys, the vault and install.json were written');
        // A second install finds it private and keeps it.
        m.lines.length = 0;
        node_assert_1.strict.equal(await m.install(), 0);
        node_assert_1.strict.match(m.lines.join('\n'), /^unchanged: \S+ is private to SYSTEM, Administrators and the service account/m);
        // An entry added since is refused, with the advice for an install that was secured before.
        const key = path.join(m.dataDir, 'keys', 'capture.secret');
        const sec = m.win.fileSecurityOf(key);
        m.win.setFileSecurity(key, { ...sec, dacl: [...sec.dacl, { type: 0, flags: 0, mask: 0x120089, sid: 'S-1-5-11' }] });
        await node_assert_1.strict.rejects(m.install(), /capture\.secret has an entry \(A;;FR;;;AU\) that gives Authenticated Users \(S-1-5-11\) read\. install secured it earlier, so someone changed it since/);
        m.win.setFileSecurity(key, sec);
        // Uninstall keeps the folder, private to SYSTEM and Administrators: the account it deletes keeps no entry.
        node_assert_1.strict.equal(await m.uninstall(), 0);
        for (const e of tree())
            node_assert_1.strict.deepEqual(e.sids, [SY, BA], e.rel);
        node_assert_1.strict.equal(await m.install(), 0, 'and a later install trusts it again');
    });
    it('a file made since install that others may only read (the service\'s log under Wine) is secured again; one others may write is refused', async () => {
        m = (0, install_machine_1.machine)({ dataDirExists: false });
        node_assert_1.strict.equal(await m.install(), 0);
        const log = path.join(m.dataDir, 'log', 'pwbridge.log');
        fs.writeFileSync(log, 'a line\n');
        const sec = m.win.fileSecurityOf(log);
        const everyone = (mask) => ({ ...sec, dacl: [...sec.dacl, { type: 0, flags: 0, mask, sid: 'S-1-1-0' }] });
        m.win.setFileSecurity(log, everyone(0x1200a9)); // what Wine shows for a file born with mode 0644
        m.lines.length = 0;
        node_assert_1.strict.equal(await m.install(), 0);
        node_assert_1.strict.match(m.lines.join('\n'), /secure again what others may read in \S+ \(made since install secured it; under Wine a new file's ACL comes from its Unix mode\): log[\\/]pwbridge\.log/);
        node_assert_1.strict.deepEqual(tree().find((e) => e.rel === path.join('log', 'pwbridge.log')).sids.includes('S-1-1-0'), false);
        m.win.setFileSecurity(log, everyone(0x1301bf)); // modify: someone else could have written it
        await node_assert_1.strict.rejects(m.install(), /pwbridge\.log has an entry \(A;;0x1301bf;;;WD\) that gives Everyone \(S-1-1-0\) modify\. install secured it earlier/);
    });
    it('an ACL that does not read back as set stops install at that step, naming the entry', async () => {
        m = (0, install_machine_1.machine)({ dataDirExists: false });
        const set = m.win.advapi32.SetFileSecurityW;
        // A file system that keeps a descriptor of its own (say, one that maps to modes): Everyone stays.
        m.win.advapi32.SetFileSecurityW = (file, info, sd) => {
            const ok = set(file, info, sd);
            const p = file.toString('utf16le').replace(/\0.*$/, '');
            if (p.endsWith('bridge.key')) {
                const now = m.win.fileSecurityOf(p);
                m.win.setFileSecurity(p, { ...now, dacl: [...now.dacl, { type: 0, flags: 0, mask: 0x1200a9, sid: 'S-1-1-0' }] });
            }
            return ok;
        };
        await node_assert_1.strict.rejects(m.install(), /bridge\.key has an entry \(A;;0x1200a9;;;WD\) that gives Everyone \(S-1-1-0\) read and execute\. pwbridge install set the ACL and reading it back shows the above/);
        node_assert_1.strict.equal(m.win.services.size, 0, 'the steps after it were not done');
    });
});
//# sourceMappingURL=install-data-dir.test.js.map