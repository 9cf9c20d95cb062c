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
exports.LsaStandIn = exports.STANDIN_EXE = void 0;
// lsa_standin.exe (native/lsa/test/lsa_standin.c) on a WineMachine: LSA at boot (it loads what Notification
// Packages names from System32) and on password changes. Its boot lines, then one answer per command.
const path = __importStar(require("node:path"));
const readline = __importStar(require("node:readline"));
const wine_1 = require("./wine");
exports.STANDIN_EXE = path.join(wine_1.BUILD_WIN, 'test', 'lsa_standin.exe');
class LsaStandIn {
    child;
    lines = [];
    wake;
    /** The lines it printed at boot, up to and including "ready N". */
    boot = [];
    constructor(child) {
        this.child = child;
        readline.createInterface({ input: child.stdout }).on('line', (l) => { this.lines.push(l); this.wake?.(); });
        child.stdin.on('error', () => undefined);
    }
    /** Start it (a boot's LSA) and wait until it has loaded the packages. */
    static async start(m) {
        const lsa = new LsaStandIn(m.spawn((0, wine_1.winPath)(exports.STANDIN_EXE), []));
        for (;;) {
            const l = await lsa.next(60_000);
            lsa.boot.push(l);
            if (l.startsWith('ready '))
                return lsa;
        }
    }
    async next(timeoutMs) {
        const end = Date.now() + timeoutMs;
        for (;;) {
            const l = this.lines.shift();
            if (l !== undefined)
                return l;
            if (this.child.exitCode !== null || this.child.signalCode !== null)
                throw new Error(`lsa_standin.exe exited (${this.child.exitCode ?? this.child.signalCode})`);
            if (Date.now() > end)
                throw new Error(`lsa_standin.exe did not answer in ${timeoutMs} ms`);
            await new Promise((resolve) => { const t = setTimeout(resolve, 200); this.wake = () => { clearTimeout(t); resolve(); }; });
        }
    }
    /** Send a change as LSA reports one (PasswordFilter, then PasswordChangeNotify) without waiting for
     * the answer; the password goes over stdin as UTF-16LE hex, never on a command line. */
    send(account, rid, password) {
        this.child.stdin.write(`change ${account} ${rid}\n${Buffer.from(password, 'utf16le').toString('hex')}\n`);
    }
    /** The next change's answer. */
    async answer(timeoutMs = 30_000) {
        const line = await this.next(timeoutMs);
        const m = /^ok change filter=([01]) notify=([0-9a-f,]+|-) at=(\d+\.\d+)$/.exec(line);
        if (!m)
            throw new Error(`lsa_standin.exe: ${line}`);
        return { accepted: m[1] === '1', statuses: m[2] === '-' ? [] : m[2].split(',').map((h) => parseInt(h, 16)), at: Number(m[3]) };
    }
    async change(account, rid, password) {
        this.send(account, rid, password);
        return this.answer();
    }
    /** Whether the process still runs (a reboot ends it). */
    alive() {
        return this.child.exitCode === null && this.child.signalCode === null;
    }
    /** A shutdown: lsass ends without unloading anything. */
    exit() {
        this.child.stdin.end('exit\n');
    }
}
exports.LsaStandIn = LsaStandIn;
//# sourceMappingURL=lsa-standin.js.map