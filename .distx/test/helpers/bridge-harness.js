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
exports.startHarness = startHarness;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const config_1 = require("../../src/config/config");
const bridge_1 = require("../../src/service/bridge");
const install_1 = require("../../src/service/install");
const open_1 = require("../../src/service/open");
const capture_client_1 = require("./capture-client");
const tmp_1 = require("./tmp");
/** A real bridge on a real Unix socket with real SQLite files in a private temp data dir. */
async function startHarness(opts = {}) {
    const tmp = opts.dir ? { dir: opts.dir, cleanup: () => fs.rmSync(opts.dir, { recursive: true, force: true }) } : (0, tmp_1.makeTempDir)();
    if (!opts.dir) {
        fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify({
            machine: 'TESTHOST',
            reconcileInterval: '1h',
            pamDir: path.join(tmp.dir, 'no-pam.d'),
            ...opts.config,
        }));
        if (opts.clients?.length) {
            const vault = await (0, open_1.openVaultAt)(tmp.dir);
            for (const c of opts.clients)
                await vault.addClient(c);
            await vault.close();
        }
    }
    const config = (0, config_1.loadConfig)(tmp.dir);
    const install = await (0, install_1.openInstall)(config, { wrapPlatform: opts.platform });
    const bridge = await (0, bridge_1.startBridge)(install, opts.bridge);
    const h = {
        dir: tmp.dir,
        config,
        install,
        bridge,
        connect: (o = {}) => capture_client_1.CaptureClient.connect(config.socketPath, {
            secret: install.keys.secret,
            bridgePub: install.keys.publicKey,
            bootId: Buffer.from(install.platform.bootId(), 'hex'),
            machine: config.machine,
            ...o,
        }),
        stop: async () => {
            await bridge.stop();
            await install.close();
        },
        restart: () => startHarness({ ...opts, dir: tmp.dir }),
        destroy: async () => {
            await h.stop().catch(() => undefined);
            tmp.cleanup();
        },
    };
    return h;
}
//# sourceMappingURL=bridge-harness.js.map