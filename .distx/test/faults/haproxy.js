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
exports.Haproxy = exports.HAPROXY = void 0;
exports.haproxyMissing = haproxyMissing;
exports.haproxyConfig = haproxyConfig;
// haproxy (Debian's package, /usr/sbin/haproxy) in front of several `pwbridge hub` processes: TLS
// passthrough (mode tcp), so each agent's TLS session ends at a hub and its certificate pin holds (the
// hubs share one certificate). Health checks are HTTPS GET /readyz on each hub (200 only while its
// database answers), every second, down after 3 failures; a connection to a hub that refuses is
// redispatched to another one at once (retries, option redispatch).
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const path = __importStar(require("node:path"));
const hub_fleet_1 = require("./hub-fleet");
exports.HAPROXY = '/usr/sbin/haproxy';
function haproxyMissing() {
    return fs.existsSync(exports.HAPROXY) ? undefined : `${exports.HAPROXY} is not installed (apt-get install haproxy)`;
}
function haproxyConfig(port, hubs) {
    return [
        'global',
        '  maxconn 4096',
        'defaults',
        '  mode tcp',
        '  timeout connect 2s',
        // Longer than a push-down long poll (25 s) and the hub's keep-alive (30 s).
        '  timeout client 65s',
        '  timeout server 65s',
        // A check answered slower than this counts as failed. Not the default (the check interval): on a
        // loaded 2-core machine both hubs missed 500 ms twice at once, haproxy had no server and closed new
        // connections before their TLS handshake (seen in CI). A killed hub refuses at once, which counts.
        '  timeout check 5s',
        '  retries 3',
        '  option redispatch',
        'frontend hubs',
        `  bind 127.0.0.1:${port}`,
        '  default_backend hubs',
        'backend hubs',
        '  balance roundrobin',
        '  option httpchk GET /readyz',
        '  http-check expect status 200',
        ...hubs.map((h) => `  server ${h.name} 127.0.0.1:${h.port} check check-ssl verify none inter 1s fall 3 rise 2`),
        '',
    ].join('\n');
}
class Haproxy {
    port;
    proc;
    constructor(port, proc) {
        this.port = port;
        this.proc = proc;
    }
    /** Start haproxy in the foreground on a free port in front of `hubs`; resolves once it accepts connections. */
    static async start(dir, hubs) {
        const port = await (0, hub_fleet_1.freePort)();
        const cfg = path.join(dir, 'haproxy.cfg');
        fs.writeFileSync(cfg, haproxyConfig(port, hubs.map((h) => ({ name: h.name, port: h.port }))), { mode: 0o600 });
        const proc = (0, hub_fleet_1.startProc)([exports.HAPROXY, '-db', '-f', cfg]);
        const until = Date.now() + 15_000;
        for (;;) {
            if (proc.child.exitCode !== null)
                throw new Error(`haproxy exited (${proc.child.exitCode}): ${proc.stderr()}`);
            const ok = await new Promise((resolve) => {
                const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
                s.on('error', () => resolve(false));
            });
            if (ok)
                break;
            if (Date.now() > until)
                throw new Error(`haproxy did not listen on ${port}: ${proc.stderr()}`);
            await (0, hub_fleet_1.sleep)(100);
        }
        return new Haproxy(port, proc);
    }
    get url() {
        return `https://127.0.0.1:${this.port}`;
    }
    /** What haproxy printed (its own alerts: a server going DOWN and UP again). */
    stderr() {
        return this.proc.stderr();
    }
    async stop() {
        if (this.proc.child.exitCode !== null)
            return;
        this.proc.child.kill('SIGTERM');
        await this.proc.exited;
    }
}
exports.Haproxy = Haproxy;
//# sourceMappingURL=haproxy.js.map