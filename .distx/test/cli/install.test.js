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
// pwbridge install / uninstall, the real CLI, into a staging layout in a temp dir: --pam-dir,
// --security-dir, --unit-dir and --module point everything that would be a system path into it.
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const socket_listener_1 = require("../../src/channel/socket-listener");
const service_control_1 = require("../../src/platform/linux/service-control");
const tmp_1 = require("../helpers/tmp");
const cli_1 = require("./cli");
const DEBIAN = `#
# /etc/pam.d/common-password - password-related modules common to all services
#
# here are the per-package modules (the "Primary" block)
password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt
# here's the fallback if no module succeeds
password\trequisite\t\t\tpam_deny.so
# prime the stack with a positive return value if there isn't one already;
# this avoids us returning an error just because nothing sets a success code
# since the modules above will each just jump around
password\trequired\t\t\tpam_permit.so
# and here are more per-package modules (the "Additional" block)
# end of pam-auth-update config
`;
const RHEL = `password    requisite     pam_pwquality.so try_first_pass local_users_only
password    sufficient    pam_unix.so sha512 shadow nullok try_first_pass use_authtok
password    required      pam_deny.so
`;
/** /etc/pam.d, the security dir with a pam_unix.so, the unit dir and a stand-in module, all in a temp dir. */
function makeStage(commonPassword = DEBIAN) {
    const t = (0, tmp_1.makeTempDir)('pwbridge-install-');
    const s = {
        root: t.dir,
        pamDir: path.join(t.dir, 'etc', 'pam.d'),
        pamFile: path.join(t.dir, 'etc', 'pam.d', 'common-password'),
        securityDir: path.join(t.dir, 'lib', 'security'),
        unitDir: path.join(t.dir, 'etc', 'systemd', 'system'),
        module: path.join(t.dir, 'build', 'pam_pwbridge.so'),
        dataDir: path.join(t.dir, 'var', 'lib', 'pwbridge'),
        cleanup: t.cleanup,
    };
    for (const d of [s.pamDir, s.securityDir, s.unitDir, path.dirname(s.module)])
        fs.mkdirSync(d, { recursive: true });
    if (commonPassword !== null) {
        fs.writeFileSync(s.pamFile, commonPassword);
        fs.chmodSync(s.pamFile, 0o640); // not the usual 0644, so keeping the mode is visible
    }
    fs.writeFileSync(path.join(s.pamDir, 'passwd'), '@include common-password\n');
    fs.writeFileSync(path.join(s.securityDir, 'pam_unix.so'), 'stand-in pam_unix\n');
    fs.writeFileSync(s.module, `stand-in pam_pwbridge.so ${(0, node_crypto_1.randomBytes)(8).toString('hex')}\n`);
    return s;
}
function stageArgs(s) {
    return ['--module', s.module, '--security-dir', s.securityDir, '--pam-dir', s.pamDir, '--unit-dir', s.unitDir];
}
/** Every entry under `dir` with its type, mode, owner and content hash: equal before/after means untouched. */
function treeHash(dir) {
    const lines = [];
    const walk = (d) => {
        for (const name of fs.readdirSync(d).sort()) {
            const p = path.join(d, name);
            const st = fs.lstatSync(p);
            const what = st.isDirectory() ? 'dir' : st.isFile() ? `file ${(0, node_crypto_1.createHash)('sha256').update(fs.readFileSync(p)).digest('hex')}` : st.isSocket() ? 'socket' : 'other';
            lines.push(`${path.relative(dir, p)} ${what} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${st.mtimeMs}`);
            if (st.isDirectory())
                walk(p);
        }
    };
    walk(dir);
    return lines.join('\n');
}
const expectedLine = (s) => `password\toptional\tpam_pwbridge.so dir=${s.dataDir}`;
const stdoutLines = (r) => r.stdout.trimEnd().split('\n');
describe('pwbridge install / uninstall (staging layout)', function () {
    this.timeout(60_000);
    const stages = [];
    const stage = (text) => {
        const s = makeStage(text);
        stages.push(s);
        return s;
    };
    after(() => {
        for (const s of stages)
            s.cleanup();
    });
    const install = (s, ...more) => (0, cli_1.runCli)(['install', ...stageArgs(s), ...more], { dataDir: s.dataDir });
    const uninstall = (s, ...more) => (0, cli_1.runCli)(['uninstall', ...more], { dataDir: s.dataDir });
    it('--dry-run prints every change as "would …" and touches nothing', async () => {
        const s = stage();
        const before = treeHash(s.root);
        for (const start of [['--no-start'], []]) {
            const r = await install(s, '--dry-run', ...start);
            (0, cli_1.assertExit)(r, 0, `install --dry-run ${start.join(' ')}`);
            const would = stdoutLines(r).filter((l) => l.startsWith('would '));
            const expect = [
                `would create the data dir ${s.dataDir} (0700)`,
                `would copy the PAM module ${s.module} to ${path.join(s.securityDir, 'pam_pwbridge.so')} (0644)`,
                `would write the unit ${path.join(s.unitDir, 'pwbridge.service')}`,
                `would back up ${s.pamFile} to ${path.join(s.dataDir, 'backup', 'common-password')} (mode 0640`,
                `would add line 12 to ${s.pamFile}, after pam_permit.so (line 11): "password optional pam_pwbridge.so dir=${s.dataDir}"`,
                ...(start.length ? [] : ['would start the service detached: ']),
                `would record what was done in ${path.join(s.dataDir, 'install.json')}`,
                ...(start.length ? [] : [`would wait up to 10 s for the service to answer on ${path.join(s.dataDir, 'run', 'capture.sock')}`]),
            ];
            node_assert_1.strict.equal(would.length, expect.length, r.stdout);
            expect.forEach((e, i) => node_assert_1.strict.ok(would[i].startsWith(e), `line ${i}: ${would[i]}\nexpected to start with: ${e}`));
            node_assert_1.strict.match(r.stdout, /^filter now: not-installed /m);
            if (start.length)
                node_assert_1.strict.match(r.stdout, /^note: not starting the service \(--no-start\)$/m);
            else
                node_assert_1.strict.match(r.stdout, /^note: .*started (as a )?detached/m);
        }
        node_assert_1.strict.equal(treeHash(s.root), before, 'the dry run changed the staging tree');
        node_assert_1.strict.equal(fs.existsSync(s.dataDir), false);
        (0, cli_1.assertRefused)(await install(s, '--dry-run', '--service-account', 'opsadmin'), '--service-account on Linux', /^pwbridge: --service-account is for Windows; on Linux the service runs as root$/m);
    });
    describe('install, again, uninstall', () => {
        let s;
        let original;
        let first;
        before(async () => {
            s = stage();
            original = fs.readFileSync(s.pamFile);
            first = await install(s, '--no-start');
        });
        it('installs the module, the PAM line after pam_permit, the backup, the unit, the keys and the record', () => {
            (0, cli_1.assertExit)(first, 0, 'install');
            const mod = path.join(s.securityDir, 'pam_pwbridge.so');
            node_assert_1.strict.deepEqual(fs.readFileSync(mod), fs.readFileSync(s.module));
            node_assert_1.strict.equal((0, cli_1.modeOf)(mod), '0644');
            const lines = fs.readFileSync(s.pamFile, 'utf8').split('\n');
            const ours = lines.indexOf(expectedLine(s));
            node_assert_1.strict.equal(ours, 11, lines.join('\n'));
            node_assert_1.strict.equal(lines[ours - 1], 'password\trequired\t\t\tpam_permit.so');
            node_assert_1.strict.equal(lines.filter((l) => l.includes('pam_pwbridge')).length, 1);
            node_assert_1.strict.equal((0, cli_1.modeOf)(s.pamFile), '0640', 'the PAM file keeps its mode');
            const backup = path.join(s.dataDir, 'backup', 'common-password');
            node_assert_1.strict.deepEqual(fs.readFileSync(backup), original);
            node_assert_1.strict.equal((0, cli_1.modeOf)(backup), '0640');
            const unit = fs.readFileSync(path.join(s.unitDir, 'pwbridge.service'), 'utf8');
            const main = path.resolve(__dirname, '..', '..', 'src', 'cli', 'main.js');
            node_assert_1.strict.match(unit, new RegExp(`^ExecStart=${process.execPath} --max-semi-space-size=4 --max-old-space-size=256 ${main} run --data-dir ${s.dataDir}$`, 'm'));
            node_assert_1.strict.match(unit, /^Restart=on-failure$/m);
            node_assert_1.strict.match(unit, /^ProtectSystem=strict$/m);
            node_assert_1.strict.match(unit, new RegExp(`^ReadWritePaths=${s.dataDir} /etc$`, 'm'));
            node_assert_1.strict.doesNotMatch(unit, /^MemoryDenyWriteExecute/m);
            node_assert_1.strict.equal((0, cli_1.modeOf)(s.dataDir), '0700');
            node_assert_1.strict.equal((0, cli_1.modeOf)(path.join(s.dataDir, 'keys')), '0700');
            node_assert_1.strict.equal((0, cli_1.modeOf)(path.join(s.dataDir, 'keys', 'capture.secret')), '0600');
            node_assert_1.strict.equal((0, cli_1.modeOf)(path.join(s.dataDir, 'keys', 'bridge.key')), '0600');
            node_assert_1.strict.equal((0, cli_1.modeOf)(path.join(s.dataDir, 'keys', 'bridge.pub')), '0644');
            node_assert_1.strict.equal(fs.readFileSync(path.join(s.dataDir, 'keys', 'capture.secret')).length, 32);
            const manifestFile = path.join(s.dataDir, 'install.json');
            node_assert_1.strict.equal((0, cli_1.modeOf)(manifestFile), '0600');
            const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
            node_assert_1.strict.equal(m.module.path, mod);
            node_assert_1.strict.equal(m.pam.file, s.pamFile);
            node_assert_1.strict.deepEqual([m.pam.backup.path, m.pam.backup.mode, m.pam.backup.uid], [backup, 0o640, fs.statSync(backup).uid]);
            node_assert_1.strict.equal(m.unit.path, path.join(s.unitDir, 'pwbridge.service'));
            node_assert_1.strict.equal(m.service, undefined, '--no-start started nothing');
            node_assert_1.strict.match(first.stdout, /^filter: active \(pam_pwbridge\.so is 'optional' in .*common-password:12\)$/m);
            node_assert_1.strict.equal(first.stderr, '');
        });
        it('a second install changes nothing', async () => {
            const before = treeHash(s.root);
            const r = await install(s, '--no-start');
            (0, cli_1.assertExit)(r, 0, 'second install');
            node_assert_1.strict.match(r.stdout, /^nothing to change$/m);
            node_assert_1.strict.match(r.stdout, /^unchanged: .*common-password already names pam_pwbridge\.so \(line 12\)$/m);
            node_assert_1.strict.equal(treeHash(s.root), before);
        });
        it('uninstall restores common-password byte for byte with its mode, removes module, unit and record, keeps the data dir', async () => {
            const r = await uninstall(s);
            (0, cli_1.assertExit)(r, 0, 'uninstall');
            node_assert_1.strict.deepEqual(fs.readFileSync(s.pamFile), original);
            node_assert_1.strict.equal((0, cli_1.modeOf)(s.pamFile), '0640');
            node_assert_1.strict.equal(fs.existsSync(path.join(s.securityDir, 'pam_pwbridge.so')), false);
            node_assert_1.strict.equal(fs.existsSync(path.join(s.securityDir, 'pam_unix.so')), true);
            node_assert_1.strict.equal(fs.existsSync(path.join(s.unitDir, 'pwbridge.service')), false);
            node_assert_1.strict.equal(fs.existsSync(path.join(s.dataDir, 'install.json')), false);
            node_assert_1.strict.equal(fs.existsSync(path.join(s.dataDir, 'keys', 'capture.secret')), true);
            node_assert_1.strict.match(r.stdout, /^kept the data dir .*: it holds the vault/m);
            node_assert_1.strict.match(r.stdout, /^filter: not-installed /m);
        });
        it('uninstall again: nothing installed here (exit 2), nothing touched', async () => {
            const before = treeHash(s.root);
            (0, cli_1.assertRefused)(await uninstall(s), 'second uninstall', /nothing installed here/, /install\.json does not exist/);
            node_assert_1.strict.equal(treeHash(s.root), before);
        });
        it('install after uninstall makes a fresh backup and works again', async () => {
            (0, cli_1.assertExit)(await install(s, '--no-start'), 0, 'reinstall');
            node_assert_1.strict.deepEqual(fs.readFileSync(path.join(s.dataDir, 'backup', 'common-password')), original);
            (0, cli_1.assertExit)(await uninstall(s), 0, 'uninstall');
            node_assert_1.strict.deepEqual(fs.readFileSync(s.pamFile), original);
        });
    });
    it('uninstall after the PAM file changed: takes out only our line, keeps the admin\'s edit, says so', async () => {
        const s = stage();
        (0, cli_1.assertExit)(await install(s, '--no-start'), 0, 'install');
        const edited = fs.readFileSync(s.pamFile, 'utf8').replace('# end of pam-auth-update config', '# end of pam-auth-update config\npassword\toptional\tpam_local.so');
        fs.writeFileSync(s.pamFile, edited);
        const r = await uninstall(s);
        (0, cli_1.assertExit)(r, 0, 'uninstall');
        node_assert_1.strict.match(r.stdout, /changed since install/);
        node_assert_1.strict.match(r.stdout, /^remove line 12 \(pam_pwbridge\.so\) from /m);
        node_assert_1.strict.equal(fs.readFileSync(s.pamFile, 'utf8'), DEBIAN.replace('# end of pam-auth-update config', '# end of pam-auth-update config\npassword\toptional\tpam_local.so'));
        node_assert_1.strict.equal((0, cli_1.modeOf)(s.pamFile), '0640');
        const aside = fs.readdirSync(path.join(s.dataDir, 'backup'));
        node_assert_1.strict.equal(aside.length, 1);
        node_assert_1.strict.match(aside[0], /^common-password\.before-install-/);
    });
    it('uninstall --dry-run prints every change and touches nothing', async () => {
        const s = stage();
        (0, cli_1.assertExit)(await install(s, '--no-start'), 0, 'install');
        const before = treeHash(s.root);
        const r = await uninstall(s, '--dry-run');
        (0, cli_1.assertExit)(r, 0, 'uninstall --dry-run');
        const would = stdoutLines(r).filter((l) => l.startsWith('would '));
        node_assert_1.strict.deepEqual(would.map((l) => l.split(' ').slice(0, 3).join(' ')), [
            'would restore ' + s.pamFile,
            'would remove the',
            'would remove the',
            'would remove the',
            'would keep the',
        ], r.stdout);
        node_assert_1.strict.equal(treeHash(s.root), before);
    });
    describe('refusals: exit 2, the problem named, the staging tree untouched', () => {
        const refuses = async (s, args, what, ...patterns) => {
            const before = treeHash(s.root);
            const r = await (0, cli_1.runCli)(['install', ...args], { dataDir: s.dataDir });
            (0, cli_1.assertRefused)(r, what, ...patterns);
            node_assert_1.strict.equal(treeHash(s.root), before, `${what}: the staging tree changed`);
            node_assert_1.strict.equal(fs.existsSync(s.dataDir), false, `${what}: the data dir was created`);
        };
        it('a module that does not exist', async () => {
            const s = stage();
            const missing = path.join(s.root, 'build', 'nope.so');
            await refuses(s, [...stageArgs(s), '--module', missing, '--no-start'], 'missing module', new RegExp(`--module: ${missing} does not exist`));
        });
        it('a RHEL-style stack (pam_unix sufficient)', async () => {
            const s = stage(RHEL);
            await refuses(s, [...stageArgs(s), '--no-start'], 'sufficient', /common-password:2: pam_unix\.so is 'sufficient'/, /by hand/, /password optional pam_pwbridge\.so dir=/);
        });
        it('a stack without pam_unix', async () => {
            const s = stage('password required pam_permit.so\n');
            await refuses(s, [...stageArgs(s), '--no-start'], 'no pam_unix', /has no password line for pam_unix\.so/, /by hand/);
        });
        it('no common-password (not Debian)', async () => {
            const s = stage(null);
            await refuses(s, [...stageArgs(s), '--no-start'], 'no common-password', /has no common-password/, /RHEL: system-auth and password-auth/);
        });
        it('a security dir that does not exist', async () => {
            const s = stage();
            await refuses(s, [...stageArgs(s), '--security-dir', path.join(s.root, 'nope'), '--no-start'], 'security dir', /--security-dir: .*nope is not a directory/);
        });
        it('a data dir a pam.d line cannot carry', async () => {
            const s = stage();
            const before = treeHash(s.root);
            const r = await (0, cli_1.runCli)(['install', ...stageArgs(s), '--no-start'], { dataDir: path.join(s.root, 'with space') });
            (0, cli_1.assertRefused)(r, 'data dir with a space', /data dir: .*whitespace/);
            node_assert_1.strict.equal(treeHash(s.root), before);
        });
    });
    describe('with the service started (no systemd here, or a unit dir systemd does not read: detached)', () => {
        let s;
        let pid;
        after(() => {
            // Only if a failed test left it running: the process this test's install started, by its pid.
            if (pid !== undefined && (0, service_control_1.processAlive)(pid) && (0, service_control_1.isServiceOf)(pid, s.dataDir))
                process.kill(pid, 'SIGKILL');
        });
        it('install starts it, the socket answers and the service proves the install secret; uninstall stops it', async () => {
            s = stage();
            fs.mkdirSync(s.dataDir, { recursive: true, mode: 0o700 });
            fs.writeFileSync(path.join(s.dataDir, 'config.json'), JSON.stringify({ machine: 'TESTHOST', reconcileInterval: '1h', pamDir: s.pamDir }));
            const r = await install(s);
            (0, cli_1.assertExit)(r, 0, 'install');
            node_assert_1.strict.match(r.stdout, /^note: a detached service is NOT restarted if it fails, and NOT started at boot/m);
            const sock = path.join(s.dataDir, 'run', 'capture.sock');
            node_assert_1.strict.match(r.stdout, new RegExp(`^the service answers on ${sock}$`, 'm'));
            pid = Number(fs.readFileSync(path.join(s.dataDir, 'pwbridge.pid'), 'utf8'));
            node_assert_1.strict.ok((0, service_control_1.processAlive)(pid), `pid ${pid} is not running`);
            node_assert_1.strict.ok((0, service_control_1.isServiceOf)(pid, s.dataDir), `pid ${pid} is not pwbridge run --data-dir ${s.dataDir}`);
            node_assert_1.strict.equal(JSON.parse(fs.readFileSync(path.join(s.dataDir, 'install.json'), 'utf8')).service.how, 'detached');
            node_assert_1.strict.match(fs.readFileSync(path.join(s.dataDir, 'log', 'service.out'), 'utf8'), /serving .*capture\.sock/);
            const st = await (0, cli_1.runCli)(['selftest'], { dataDir: s.dataDir });
            (0, cli_1.assertExit)(st, 0, 'selftest');
            const again = await install(s);
            (0, cli_1.assertExit)(again, 0, 'second install');
            node_assert_1.strict.match(again.stdout, /^unchanged: a service already answers on .*; not starting another$/m);
            node_assert_1.strict.equal(Number(fs.readFileSync(path.join(s.dataDir, 'pwbridge.pid'), 'utf8')), pid);
            const u = await uninstall(s);
            (0, cli_1.assertExit)(u, 0, 'uninstall');
            node_assert_1.strict.match(u.stdout, new RegExp(`^stop the service \\(pid ${pid}\\)`, 'm'));
            // Gone: exited (a zombie left for a PID 1 that does not reap counts as exited).
            node_assert_1.strict.equal((0, service_control_1.processAlive)(pid), false, `pid ${pid} still runs`);
            node_assert_1.strict.equal(await (0, socket_listener_1.endpointServed)(sock), false);
            node_assert_1.strict.equal(fs.existsSync(path.join(s.dataDir, 'pwbridge.pid')), false);
        });
    });
});
//# sourceMappingURL=install.test.js.map