"use strict";
// A second (third…) "machine" on one host, for root tests: a private copy of /etc (its own passwd,
// shadow and pam.d) and of the PAM module folder, which only processes started in the machine's own
// mount namespace (unshare -m) see, bind-mounted over /etc and the module folder. useradd, chpasswd,
// passwd, libpam and pwbridge inside read and write the copies; the host's files are never touched, and
// the namespace ends with the last process in it. Each whole directory is bound (not single files), so
// the tools' lock files and write-then-rename land in the copy too.
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
exports.hostSecurityDir = hostSecurityDir;
exports.mountNamespaceProblem = mountNamespaceProblem;
exports.makeMachine = makeMachine;
exports.shadowLine = shadowLine;
exports.shadowHash = shadowHash;
const node_child_process_1 = require("node:child_process");
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const pam_stack_1 = require("../../src/platform/linux/pam-stack");
const shadow_1 = require("../../src/platform/linux/shadow");
const tmp_1 = require("./tmp");
const UNSHARE = '/usr/bin/unshare';
/** Mount the copies, then exec the command: the process keeps the pid its parent spawned. */
const ENTER = 'mount --bind "$1" /etc && mount --bind "$2" "$3" && shift 3 && exec "$@"';
/** The real folder PAM loads bare module names from (the one holding pam_unix.so, symlinks resolved). */
function hostSecurityDir() {
    const d = pam_stack_1.DEFAULT_PAM_MODULE_DIRS.find((x) => fs.existsSync(path.join(x, 'pam_unix.so')));
    node_assert_1.strict.ok(d, `pam_unix.so not found in ${pam_stack_1.DEFAULT_PAM_MODULE_DIRS.join(', ')}`);
    return fs.realpathSync(d);
}
/** Why a private mount namespace cannot be made here (not root, no unshare, a sandbox refusing it), or undefined. */
function mountNamespaceProblem() {
    if (process.getuid?.() !== 0)
        return 'not root';
    if (!fs.existsSync(UNSHARE))
        return `${UNSHARE} is missing (util-linux)`;
    const scratch = (0, tmp_1.makeTempDir)('pwbridge-ns-probe-');
    try {
        // The same steps a machine takes: a namespace, a bind mount over a folder, and the host not seeing it.
        fs.writeFileSync(path.join(scratch.dir, 'marker'), '');
        const target = (0, tmp_1.makeTempDir)('pwbridge-ns-target-');
        try {
            const r = (0, node_child_process_1.spawnSync)(UNSHARE, ['--mount', '--propagation', 'private', '/bin/sh', '-c', 'mount --bind "$1" "$2" && test -e "$2/marker"', 'probe', scratch.dir, target.dir], { encoding: 'utf8' });
            if (r.error)
                return `${UNSHARE} did not run: ${r.error.message}`;
            if (r.status !== 0)
                return `unshare --mount could not make a private mount namespace with a bind mount (exit ${r.status}): ${r.stderr.trim()}`;
            if (fs.existsSync(path.join(target.dir, 'marker')))
                return 'the bind mount leaked out of the namespace (mount propagation is not private)';
            return undefined;
        }
        finally {
            target.cleanup();
        }
    }
    finally {
        scratch.cleanup();
    }
}
/** Copies the host's /etc and PAM module folder now: accounts made on the host later are not on this machine. */
function makeMachine(name) {
    const t = (0, tmp_1.makeTempDir)(`pwbridge-${name}-`);
    const etc = path.join(t.dir, 'etc');
    const security = path.join(t.dir, 'security');
    const securityTarget = hostSecurityDir();
    for (const [from, to] of [['/etc', etc], [securityTarget, security]]) {
        fs.mkdirSync(to);
        const r = (0, node_child_process_1.spawnSync)('/bin/cp', ['-a', `${from}/.`, `${to}/`], { encoding: 'utf8' });
        node_assert_1.strict.equal(r.status, 0, `cp -a ${from} ${to}: ${r.stderr}`);
    }
    const prefix = [UNSHARE, '--mount', '--propagation', 'private', '/bin/sh', '-c', ENTER, `machine-${name}`, etc, security, securityTarget];
    return {
        name,
        root: t.dir,
        etc,
        security,
        prefix,
        exec(argv, input) {
            return (0, node_child_process_1.spawnSync)(prefix[0], [...prefix.slice(1), ...argv], {
                input: input ?? '',
                encoding: 'utf8',
                timeout: 30_000,
                env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
            });
        },
        cleanup: t.cleanup,
    };
}
/** The user's shadow line in this file, exactly as stored (to prove a file did or did not change). */
function shadowLine(shadowPath, user) {
    return fs.readFileSync(shadowPath, 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
}
/** The user's crypt hash in this shadow file, through the project's own parser. */
async function shadowHash(shadowPath, user) {
    const e = (await (0, shadow_1.readShadow)(shadowPath)).entries.find((x) => x.name === user);
    node_assert_1.strict.ok(e, `${user} is not in ${shadowPath}`);
    return e.hash;
}
//# sourceMappingURL=machine-ns.js.map