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
exports.SECURITY_HEADERS = exports.DASHBOARD_CSP = void 0;
exports.dashboardDirs = dashboardDirs;
exports.loadDashboard = loadDashboard;
exports.sendAsset = sendAsset;
/**
 * The dashboard's files (src/hub/dashboard/: one HTML page, a stylesheet, a few ES modules), read once
 * when the hub starts and served from memory: `GET /` is the page, `GET /dashboard/<file>` the rest.
 * Only names from that folder are served, so no request path ever reaches the file system.
 *
 * Where the files are: the source tree when the hub runs from a checkout (so an edit shows after a
 * restart, without a build), else the copy `npm run build` puts next to the compiled hub (dist/src/hub/dashboard).
 *
 * Every answer carries a strict Content-Security-Policy: scripts and styles from this origin only (no
 * inline script, no eval), requests to this origin only, no framing, no plugins. The page has no inline
 * script or style for that reason.
 */
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
exports.DASHBOARD_CSP = [
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
    "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');
exports.SECURITY_HEADERS = {
    'Content-Security-Policy': exports.DASHBOARD_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // A new hub version's files are fetched again; nothing about them is secret, but stale ones confuse.
    'Cache-Control': 'no-cache',
};
const TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.svg': 'image/svg+xml',
};
/** Candidate folders, first found wins: the source tree of a checkout, then the build's copy. */
function dashboardDirs() {
    return [path.resolve(__dirname, '../../../src/hub/dashboard'), path.join(__dirname, 'dashboard')];
}
function loadDashboard(dirs = dashboardDirs()) {
    const dir = dirs.find((d) => fs.existsSync(path.join(d, 'index.html')));
    const files = new Map();
    if (dir) {
        for (const name of fs.readdirSync(dir)) {
            const type = TYPES[path.extname(name)];
            if (!type || !/^[a-z0-9-]+\.[a-z]+$/.test(name))
                continue;
            const body = fs.readFileSync(path.join(dir, name));
            files.set(name === 'index.html' ? '/' : `/dashboard/${name}`, { body, type });
        }
    }
    return { dir, tried: dirs, get: (urlPath) => files.get(urlPath === '/index.html' ? '/' : urlPath) };
}
function sendAsset(res, asset, head) {
    res.writeHead(200, { ...exports.SECURITY_HEADERS, 'Content-Type': asset.type, 'Content-Length': String(asset.body.length) });
    res.end(head ? undefined : asset.body);
}
//# sourceMappingURL=dashboard-static.js.map