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
exports.ADDON_FILE = void 0;
exports.addonCandidates = addonCandidates;
exports.loadPipeAddon = loadPipeAddon;
// Loads pwbridge_pipe.node, on Windows only and only when first asked (src/channel/socket-listener.ts asks
// when the endpoint is a named pipe). Where it may be, in this order:
//   <package>/addons/pwbridge_pipe.node          what the MSI installs (addons\ beside dist\ and package.json)
//   <package>/native/build-win/pwbridge_pipe.node  a development build (native/build-windows.sh, or MSVC)
// A failure lists every path tried and why each did not do.
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
exports.ADDON_FILE = 'pwbridge_pipe.node';
let loaded;
/** The folder holding package.json above this file (dist/src/channel/win-pipe → the package). */
function packageRoot() {
    for (let dir = __dirname;; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, 'package.json')))
            return dir;
        if (path.dirname(dir) === dir)
            return undefined;
    }
}
/** Where the addon is looked for, in order. */
function addonCandidates(root = packageRoot()) {
    if (!root)
        return [];
    return [path.join(root, 'addons', exports.ADDON_FILE), path.join(root, 'native', 'build-win', exports.ADDON_FILE)];
}
/** `opts` is for tests: another platform's answer, other candidate paths (nothing is cached then). */
function loadPipeAddon(opts = {}) {
    if (loaded && !opts.candidates)
        return loaded;
    const platform = opts.platform ?? process.platform;
    if (platform !== 'win32')
        throw new Error(`${exports.ADDON_FILE} is the Windows named-pipe server; this is ${platform}`);
    const tried = [];
    const candidates = opts.candidates ?? addonCandidates();
    if (candidates.length === 0)
        tried.push(`no package.json above ${__dirname}, so neither addons\\ nor native\\build-win\\ could be found`);
    for (const file of candidates) {
        if (!fs.existsSync(file)) {
            tried.push(`${file}: not there`);
            continue;
        }
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const addon = require(file);
            if (!opts.candidates)
                loaded = addon;
            return addon;
        }
        catch (err) {
            tried.push(`${file}: ${err.message.split('\n')[0]}`);
        }
    }
    throw new Error(`cannot load ${exports.ADDON_FILE}, which serves the capture pipe on Windows; tried:\n  ${tried.join('\n  ')}\n`
        + 'Reinstall pwbridge, or build it (native/build-windows.sh with mingw-w64, or cmake -S native/win-pipe with MSVC).');
}
//# sourceMappingURL=load-addon.js.map