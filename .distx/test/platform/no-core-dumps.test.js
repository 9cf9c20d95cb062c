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
// The service makes itself non-dumpable (prctl PR_SET_DUMPABLE 0). What shows it from outside: the kernel
// gives a non-dumpable process's /proc/<pid> files to root instead of the process's own uid. So the real
// `bin/pwbridge run` is started as an unprivileged uid (nobody), where the two differ, and a plain node
// process as the same uid is the control that shows the check can fail.
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const cli_1 = require("../cli/cli");
const tmp_1 = require("../helpers/tmp");
const NOBODY = 65534;
const AS_NOBODY = ['/usr/bin/setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
const MODULE = path.resolve(__dirname, '../../src/platform/linux/no-core-dumps.js');
function procOwner(pid) {
    return fs.statSync(`/proc/${pid}/status`).uid;
}
describe('platform/linux: no core dumps (prctl PR_SET_DUMPABLE 0)', function () {
    this.timeout(60_000);
    before(function () {
        if (process.platform !== 'linux')
            this.skip();
    });
    it('forbidCoreDumps makes the calling process non-dumpable (PR_GET_DUMPABLE, through koffi)', () => {
        const r = (0, node_child_process_1.spawnSync)(process.execPath, ['-e', `const m = require(${JSON.stringify(MODULE)}); const a = m.isDumpable(); m.forbidCoreDumps(); console.log(JSON.stringify([a, m.isDumpable()]));`], { encoding: 'utf8' });
        node_assert_1.strict.equal(r.status, 0, r.stderr);
        node_assert_1.strict.deepEqual(JSON.parse(r.stdout), [true, false]);
    });
    it('the real `pwbridge run` is not dumpable: its /proc files are root\'s although it runs as nobody', async function () {
        if (process.getuid?.() !== 0 || !fs.existsSync(AS_NOBODY[0]))
            this.skip();
        // A checkout under a private directory (mktemp -d makes it 0700) is out of nobody's reach.
        const bin = path.resolve(__dirname, '../../../bin/pwbridge');
        if ((0, node_child_process_1.spawnSync)(AS_NOBODY[0], [...AS_NOBODY.slice(1), '/usr/bin/test', '-r', bin]).status !== 0) {
            console.log(`      (skipped: nobody cannot read ${bin})`);
            this.skip();
        }
        const t = (0, tmp_1.makeTempDir)('pwbridge-dumpable-');
        fs.chmodSync(t.dir, 0o711);
        const dir = path.join(t.dir, 'data');
        fs.mkdirSync(dir, { mode: 0o700 });
        fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ machine: 'TESTHOST', reconcileInterval: '1h', pamDir: path.join(dir, 'no-pam.d') }));
        fs.chownSync(dir, NOBODY, NOBODY);
        fs.chownSync(path.join(dir, 'config.json'), NOBODY, NOBODY);
        // The control: the same uid, without the call, owns its /proc files.
        const control = (0, node_child_process_1.spawn)(AS_NOBODY[0], [...AS_NOBODY.slice(1), process.execPath, '-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
        const service = (0, cli_1.startCli)(['run'], dir, 60_000, AS_NOBODY);
        try {
            await service.waitFor('the service to serve', (_out, err) => /pwbridge: serving/.test(err), 30_000);
            node_assert_1.strict.equal(procOwner(control.pid), NOBODY, 'a dumpable process as nobody owns its /proc files (else this test proves nothing)');
            node_assert_1.strict.equal(fs.readFileSync(`/proc/${service.child.pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)?.[1], String(NOBODY), 'the service runs as nobody');
            node_assert_1.strict.equal(procOwner(service.child.pid), 0, 'the service\'s /proc files are root\'s: it is not dumpable');
        }
        finally {
            control.kill();
            service.child.kill('SIGTERM');
            await service.done.catch(() => undefined);
            t.cleanup();
        }
    });
});
//# sourceMappingURL=no-core-dumps.test.js.map