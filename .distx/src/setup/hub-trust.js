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
exports.hubTrust = hubTrust;
exports.parseLogin = parseLogin;
// The hub's address and how this machine trusts its certificate, as `pwbridge setup` and `pwbridge install
// --hub` take them, and the hub user's login as both read it (two lines: name, then password).
const crypto = __importStar(require("node:crypto"));
const fs = __importStar(require("node:fs"));
const cert_1 = require("../hub/cert");
const errors_1 = require("../cli/errors");
/** `--hub URL` with `--insecure-fingerprint SHA256` or `--ca FILE`, checked; refusals name the option. */
function hubTrust(o) {
    const url = parseHubUrl(o.hub);
    if ((o.ca === undefined) === (o.insecureFingerprint === undefined)) {
        throw new errors_1.UsageError('give --insecure-fingerprint SHA256 (the fingerprint pwbridge hub prints when it starts) or --ca FILE (the CA that signed the hub\'s certificate)');
    }
    if (o.insecureFingerprint !== undefined) {
        const fingerprint = (0, cert_1.normalizeFingerprint)(o.insecureFingerprint);
        if (!fingerprint)
            throw new errors_1.UsageError('--insecure-fingerprint: not a SHA-256 fingerprint (64 hex digits, colons allowed)');
        return { url, fingerprint };
    }
    checkCaFile(o.ca);
    return { url, caFile: o.ca };
}
function parseHubUrl(value) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new errors_1.UsageError(`--hub: "${value}" is not a URL; use https://HOST:PORT`);
    }
    if (url.protocol !== 'https:')
        throw new errors_1.UsageError('--hub: the hub is reached over https:// only');
    if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
        throw new errors_1.UsageError('--hub: give only https://HOST[:PORT], with no user, path or query');
    }
    return url.origin;
}
function checkCaFile(file) {
    try {
        new crypto.X509Certificate(fs.readFileSync(file));
    }
    catch (err) {
        throw new errors_1.UsageError(`--ca: ${file} is not a readable PEM certificate (${err.message})`);
    }
}
/**
 * A hub user's login from bytes: the name on the first line, the password on the second (a trailing CR is
 * dropped from each). `all` is wiped; the caller wipes the password. `what` names the source in refusals.
 */
function parseLogin(all, what) {
    const nl = all.indexOf(0x0a);
    const name = all.subarray(0, nl < 0 ? all.length : nl).toString('utf8').replace(/\r$/, '');
    let rest = nl < 0 ? Buffer.alloc(0) : all.subarray(nl + 1);
    const nl2 = rest.indexOf(0x0a);
    if (nl2 >= 0)
        rest = rest.subarray(0, nl2);
    if (rest.length && rest[rest.length - 1] === 0x0d)
        rest = rest.subarray(0, rest.length - 1);
    const password = Buffer.from(rest);
    all.fill(0);
    if (name === '' || password.length === 0) {
        password.fill(0);
        throw new errors_1.UsageError(`${what}: give the hub user's name and password on two lines`);
    }
    return { user: name, password };
}
//# sourceMappingURL=hub-trust.js.map