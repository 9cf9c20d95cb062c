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
// The unit's sandbox, checked by systemd's own tools (verify; security --offline, which needs no systemd
// as PID 1), and the capability bounding set checked against the real chpasswd: run under exactly that
// bounding set on a throwaway account in a private copy of /etc, and under that set less each capability.
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const systemd_unit_1 = require("../../src/platform/linux/systemd-unit");
const crypt_1 = require("../../src/platform/linux/crypt");
const cli_1 = require("../cli/cli");
const machine_ns_1 = require("../helpers/machine-ns");
const tmp_1 = require("../helpers/tmp");
const ANALYZE = '/usr/bin/systemd-analyze';
const SETPRIV = '/usr/bin/setpriv';
/** Measured for this unit with systemd 252 (lower is better; 0 is a fully locked down unit, 10 none). */
const EXPOSURE_AT_MOST = 2.3;
const MAIN_JS = path.resolve(__dirname, '../../src/cli/main.js');
describe('setup: the systemd unit\'s sandbox', function () {
    this.timeout(60_000);
    let t;
    let unitFile;
    const dataDir = '/var/lib/pwbridge';
    const unit = (0, systemd_unit_1.renderUnit)({ nodePath: process.execPath, mainJs: MAIN_JS, dataDir });
    const lines = unit.split('\n');
    before(() => {
        t = (0, tmp_1.makeTempDir)('pwbridge-unit-');
        unitFile = path.join(t.dir, 'pwbridge.service');
        fs.writeFileSync(unitFile, unit);
    });
    after(() => t.cleanup());
    it('says what the sandbox is: capabilities, strict file system with the data dir and /etc writable, no core, syscall filter', () => {
        for (const l of [
            `CapabilityBoundingSet=${systemd_unit_1.SERVICE_CAPABILITIES.join(' ')}`, 'NoNewPrivileges=yes', 'LimitCORE=0',
            'ProtectSystem=strict', `ReadWritePaths=${dataDir} /etc`, `ReadOnlyPaths=${systemd_unit_1.READ_ONLY_ETC.map((p) => `-${p}`).join(' ')}`,
            'ProtectHome=yes', 'PrivateTmp=yes', 'PrivateDevices=yes', 'ProtectKernelTunables=yes', 'ProtectKernelModules=yes',
            'ProtectKernelLogs=yes', 'ProtectControlGroups=yes', 'LockPersonality=yes', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
            'SystemCallFilter=@system-service', 'SystemCallErrorNumber=EPERM',
        ])
            node_assert_1.strict.ok(lines.includes(l), l);
        node_assert_1.strict.doesNotMatch(unit, /^MemoryDenyWriteExecute/m, 'V8 needs W+X memory');
        node_assert_1.strict.doesNotMatch(unit, /^ProcSubset=pid/m, 'the service reads /proc/sys/kernel/random/boot_id');
    });
    it('a socket outside the data dir: its directory is writable too', () => {
        const other = (0, systemd_unit_1.renderUnit)({ nodePath: process.execPath, mainJs: MAIN_JS, dataDir, socketPath: '/srv/pwbridge-run/capture.sock' });
        node_assert_1.strict.ok(other.split('\n').includes(`ReadWritePaths=${dataDir} /srv/pwbridge-run /etc`));
        const inside = (0, systemd_unit_1.renderUnit)({ nodePath: process.execPath, mainJs: MAIN_JS, dataDir, socketPath: `${dataDir}/run/capture.sock` });
        node_assert_1.strict.ok(inside.split('\n').includes(`ReadWritePaths=${dataDir} /etc`));
    });
    it('systemd-analyze verify takes it', function () {
        if (!fs.existsSync(ANALYZE))
            this.skip();
        const r = (0, node_child_process_1.spawnSync)(ANALYZE, ['verify', unitFile], { encoding: 'utf8' });
        node_assert_1.strict.equal(r.status, 0, `${r.stdout}${r.stderr}`);
        // verify warns (exit 0) about directives it does not know or cannot parse: there must be none.
        node_assert_1.strict.doesNotMatch(r.stderr, /Unknown key|Failed to parse|Invalid|ignoring/i, r.stderr);
    });
    it(`systemd-analyze security --offline rates its exposure at most ${EXPOSURE_AT_MOST}`, function () {
        if (!fs.existsSync(ANALYZE))
            this.skip();
        const r = (0, node_child_process_1.spawnSync)(ANALYZE, ['security', '--offline=yes', unitFile], { encoding: 'utf8' });
        node_assert_1.strict.equal(r.status, 0, `${r.stdout}${r.stderr}`);
        const score = Number(/Overall exposure level for pwbridge\.service: ([\d.]+)/.exec(r.stdout)?.[1]);
        node_assert_1.strict.ok(Number.isFinite(score), r.stdout);
        console.log(`      exposure: ${score}`);
        node_assert_1.strict.ok(score <= EXPOSURE_AT_MOST, `exposure ${score} > ${EXPOSURE_AT_MOST}:\n${r.stdout.split('\n').filter((l) => l.startsWith('✗')).join('\n')}`);
    });
    describe('the bounding set against the real chpasswd (root, a private /etc)', () => {
        let m;
        const user = `pwcap${process.pid % 100000}`;
        const setprivCaps = (caps) => ['-all', ...caps.map((c) => `+${c.replace(/^CAP_/, '').toLowerCase()}`)].join(',');
        /** chpasswd as the service runs it, with only `caps` in its bounding set; true when the shadow line changed. */
        const chpasswdWith = (caps) => {
            const shadow = path.join(m.etc, 'shadow');
            const before = (0, machine_ns_1.shadowLine)(shadow, user);
            const r = m.exec([SETPRIV, `--bounding-set=${setprivCaps(caps)}`, '--inh-caps=-all', '/usr/sbin/chpasswd'], `${user}:Pw-${Date.now()}-${Math.random()}\n`);
            return { changed: r.status === 0 && (0, machine_ns_1.shadowLine)(shadow, user) !== before, detail: `exit ${r.status}: ${r.stderr.trim()}` };
        };
        before(function () {
            const problem = (0, machine_ns_1.mountNamespaceProblem)();
            if (problem || !fs.existsSync(SETPRIV)) {
                console.warn(`    skipped: ${problem ?? `${SETPRIV} is missing`}`);
                this.skip();
            }
            m = (0, machine_ns_1.makeMachine)('caps');
            const r = m.exec(['/usr/sbin/useradd', '-M', user]);
            node_assert_1.strict.equal(r.status, 0, r.stderr);
        });
        after(() => m?.cleanup());
        it('the unit\'s capabilities are enough; without CAP_CHOWN chpasswd fails', () => {
            const all = chpasswdWith(systemd_unit_1.SERVICE_CAPABILITIES);
            node_assert_1.strict.ok(all.changed, all.detail);
            const noChown = chpasswdWith(systemd_unit_1.SERVICE_CAPABILITIES.filter((c) => c !== 'CAP_CHOWN'));
            node_assert_1.strict.ok(!noChown.changed, `without CAP_CHOWN it still worked: ${noChown.detail}`);
            node_assert_1.strict.match(noChown.detail, /manipulation error|not changed/);
        });
        it('pwbridge itself under the unit\'s bounding set and NoNewPrivileges: a reconcile pass sets a local password (and not without CAP_CHOWN)', async () => {
            const data = (0, tmp_1.makeTempDir)('pwbridge-unit-data-');
            try {
                const dataDir = path.join(data.dir, 'data');
                fs.mkdirSync(dataDir, { mode: 0o700 });
                fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ machine: 'TESTHOST', reconcileInterval: '1h', pamDir: path.join(data.dir, 'no-pam.d') }));
                const cli = (args, stdin, prefix) => (0, cli_1.runCli)(args, { dataDir, stdin, prefix });
                (0, cli_1.assertExit)(await cli(['vault', 'client', 'add', 'Acme', '--windows-sync']), 0, 'client add');
                (0, cli_1.assertExit)(await cli(['vault', 'cred', 'add', '--client', 'Acme', '--user', `TESTHOST\\${user}`, '--mode', 'change'], 'vault-pass-1\n'), 0, 'cred add');
                const sandboxed = (caps) => [...m.prefix, SETPRIV, `--bounding-set=${setprivCaps(caps)}`, '--inh-caps=-all', '--no-new-privs'];
                const pass = async (caps, exit) => {
                    const r = await cli(['reconcile', '--once', '--json', '--client', 'Acme'], undefined, sandboxed(caps));
                    (0, cli_1.assertExit)(r, exit, 'reconcile --once'); // 1: a credential failed
                    return (0, cli_1.jsonLines)(r)[0];
                };
                const without = await pass(systemd_unit_1.SERVICE_CAPABILITIES.filter((c) => c !== 'CAP_CHOWN'), 1);
                node_assert_1.strict.deepEqual([without.set, without.failed], [0, 1], 'without CAP_CHOWN the set fails (the bounding set is in force)');
                const within = await pass(systemd_unit_1.SERVICE_CAPABILITIES, 0);
                node_assert_1.strict.equal(within.set, 1, JSON.stringify(within));
                node_assert_1.strict.ok(await (0, crypt_1.verifyCryptAsync)(Buffer.from('vault-pass-1'), await (0, machine_ns_1.shadowHash)(path.join(m.etc, 'shadow'), user)), 'the machine\'s shadow has the vault\'s password');
            }
            finally {
                data.cleanup();
            }
        });
        it('a shadow file of mode 0000 (Fedora, RHEL): enough with CAP_DAC_READ_SEARCH, not without', () => {
            fs.chmodSync(path.join(m.etc, 'shadow'), 0o000);
            const all = chpasswdWith(systemd_unit_1.SERVICE_CAPABILITIES);
            node_assert_1.strict.ok(all.changed, all.detail);
            const without = chpasswdWith(systemd_unit_1.SERVICE_CAPABILITIES.filter((c) => c !== 'CAP_DAC_READ_SEARCH'));
            node_assert_1.strict.ok(!without.changed, `without CAP_DAC_READ_SEARCH it still worked: ${without.detail}`);
        });
    });
});
//# sourceMappingURL=systemd-unit.test.js.map