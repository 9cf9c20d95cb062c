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
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const errors_1 = require("../../src/cli/errors");
const config_error_1 = require("../../src/config/config-error");
const systemd_unit_1 = require("../../src/platform/linux/systemd-unit");
const install_1 = require("../../src/setup/install");
const plan_1 = require("../../src/setup/plan");
const uninstall_1 = require("../../src/setup/uninstall");
const tmp_1 = require("../helpers/tmp");
describe('setup: install and uninstall pieces', () => {
    let t;
    beforeEach(() => { t = (0, tmp_1.makeTempDir)('pwbridge-setup-'); });
    afterEach(() => t.cleanup());
    describe('root', () => {
        it('refuses a uid other than 0, naming root, the uid and --dry-run; a dry run or root passes', () => {
            node_assert_1.strict.throws(() => (0, plan_1.requireRoot)('install', 1000, false), (e) => e instanceof errors_1.UsageError
                && /install: must be run as root \(uid 0; this is uid 1000\)/.test(e.message) && /--dry-run/.test(e.message));
            (0, plan_1.requireRoot)('install', 1000, true);
            (0, plan_1.requireRoot)('install', 0, false);
        });
        it('install and uninstall refuse a non-root uid before touching anything', async () => {
            const dataDir = path.join(t.dir, 'data');
            const out = [];
            await node_assert_1.strict.rejects((0, install_1.runInstall)({ dataDir, dryRun: false, start: false, uid: 1000, out: (l) => out.push(l) }), /install: must be run as root/);
            await node_assert_1.strict.rejects((0, uninstall_1.runUninstall)({ dataDir, dryRun: false, uid: 1000, out: (l) => out.push(l) }), /uninstall: must be run as root/);
            node_assert_1.strict.deepEqual(out, []);
            node_assert_1.strict.deepEqual(fs.readdirSync(t.dir), []);
        });
    });
    it('the module not built: says so, and how to build it', () => {
        const built = path.join(t.dir, 'native', 'build', 'pam', 'pam_pwbridge.so');
        node_assert_1.strict.throws(() => (0, install_1.moduleSource)(undefined, built), (e) => e instanceof errors_1.UsageError
            && e.message.startsWith(`the PAM module was not built: ${built} does not exist`)
            && e.message.includes('npm run build:native') && /libpam0g-dev, libssl-dev, libcrypt-dev and cmake/.test(e.message) && e.message.includes('--module PATH'));
        fs.mkdirSync(path.dirname(built), { recursive: true });
        fs.writeFileSync(built, 'x');
        node_assert_1.strict.equal((0, install_1.moduleSource)(undefined, built), built);
    });
    it('the security dir: the first candidate holding pam_unix.so, else a refusal naming them', () => {
        const [a, b] = [path.join(t.dir, 'a'), path.join(t.dir, 'b')];
        fs.mkdirSync(a);
        fs.mkdirSync(b);
        node_assert_1.strict.throws(() => (0, install_1.findSecurityDir)(undefined, [a, b]), (e) => e instanceof config_error_1.ConfigError && e.message.includes(`no pam_unix.so in ${a}, ${b}`) && /--security-dir/.test(e.message));
        fs.writeFileSync(path.join(b, 'pam_unix.so'), '');
        node_assert_1.strict.equal((0, install_1.findSecurityDir)(undefined, [a, b]), b);
        node_assert_1.strict.equal((0, install_1.findSecurityDir)(a, [a, b]), a);
    });
    describe('the unit', () => {
        const o = { nodePath: '/usr/bin/node', mainJs: '/opt/pwbridge/dist/src/cli/main.js', dataDir: '/var/lib/pwbridge' };
        const unit = (0, systemd_unit_1.renderUnit)(o);
        it('runs node with the service\'s V8 flags, restarts on failure, owner-only umask, wanted by multi-user', () => {
            node_assert_1.strict.match(unit, /^ExecStart=\/usr\/bin\/node --max-semi-space-size=4 --max-old-space-size=256 \/opt\/pwbridge\/dist\/src\/cli\/main\.js run --data-dir \/var\/lib\/pwbridge$/m);
            for (const l of ['Restart=on-failure', 'RestartSec=2', 'RestartPreventExitStatus=2 65', 'UMask=0077', 'WantedBy=multi-user.target'])
                node_assert_1.strict.ok(unit.split('\n').includes(l), l);
        });
        it('hardening that still lets it write /etc/shadow and run V8 (the full sandbox: systemd-unit.test.ts)', () => {
            const lines = unit.split('\n');
            for (const l of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/pwbridge /etc', 'ProtectHome=yes', 'PrivateTmp=yes', 'PrivateDevices=yes',
                'ProtectKernelTunables=yes', 'ProtectKernelModules=yes', 'ProtectControlGroups=yes', 'ProtectClock=yes', 'ProtectHostname=yes',
                'RestrictNamespaces=yes', 'RestrictRealtime=yes', 'LockPersonality=yes', 'RestrictSUIDSGID=yes', 'LimitCORE=0',
                'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6', 'SystemCallArchitectures=native']) {
                node_assert_1.strict.ok(lines.includes(l), l);
            }
            node_assert_1.strict.doesNotMatch(unit, /^MemoryDenyWriteExecute/m);
            node_assert_1.strict.doesNotMatch(unit, /^ReadOnlyPaths=.*\/etc(\s|$)/m, '/etc itself stays writable (chpasswd renames over /etc/shadow)');
        });
        it('quotes and escapes words systemd would split or expand', () => {
            node_assert_1.strict.equal((0, systemd_unit_1.systemdWord)('/opt/pwbridge'), '/opt/pwbridge');
            node_assert_1.strict.equal((0, systemd_unit_1.systemdWord)('/opt/pw bridge'), '"/opt/pw bridge"');
            node_assert_1.strict.equal((0, systemd_unit_1.systemdWord)('/opt/100%'), '/opt/100%%');
            node_assert_1.strict.equal((0, systemd_unit_1.systemdWord)('/opt/$HOME'), '/opt/$$HOME');
            node_assert_1.strict.equal((0, systemd_unit_1.systemdWord)('a"b'), '"a\\"b"');
            node_assert_1.strict.deepEqual((0, systemd_unit_1.serviceArgv)(o).slice(-3), ['run', '--data-dir', '/var/lib/pwbridge']);
        });
        it('names a path the sandbox would hide or make read-only', () => {
            node_assert_1.strict.equal((0, systemd_unit_1.sandboxProblem)('/var/lib/pwbridge', true), undefined);
            node_assert_1.strict.match((0, systemd_unit_1.sandboxProblem)('/tmp/x', true) ?? '', /PrivateTmp/);
            node_assert_1.strict.match((0, systemd_unit_1.sandboxProblem)('/var/tmp/x/main.js', false) ?? '', /PrivateTmp/);
            node_assert_1.strict.match((0, systemd_unit_1.sandboxProblem)('/home/me/pw', true) ?? '', /ProtectHome=yes/);
            node_assert_1.strict.match((0, systemd_unit_1.sandboxProblem)('/home/me/pwbridge/dist/src/cli/main.js', false) ?? '', /ProtectHome=yes hides/, 'hidden, not only read-only');
            node_assert_1.strict.match((0, systemd_unit_1.sandboxProblem)('/root/.nvm/bin/node', false) ?? '', /ProtectHome/);
            // ProtectSystem=strict, but ReadWritePaths names the data dir wherever it is.
            node_assert_1.strict.equal((0, systemd_unit_1.sandboxProblem)('/usr/local/pw', true), undefined);
            node_assert_1.strict.match((0, systemd_unit_1.sandboxProblem)('/etc/pam.d/pw', true) ?? '', /read-only/);
            node_assert_1.strict.equal((0, systemd_unit_1.sandboxProblem)('/etc/pam.d/x', false), undefined);
            node_assert_1.strict.equal((0, systemd_unit_1.sandboxProblem)('/tmpfoo', true), undefined);
        });
    });
});
//# sourceMappingURL=install.test.js.map