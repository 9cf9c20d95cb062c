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
// Run by the Windows node.exe under Wine (data-dir-acl.test.ts): the ACL scenarios against the real Win32,
// on a fresh folder in C:\ProgramData; prints the results as one JSON line.
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const binding_1 = require("../../../../src/platform/windows/binding");
const process_identity_1 = require("../../../../src/platform/windows/process-identity");
const acl_scenarios_1 = require("../acl-scenarios");
const base = `${process.env.ProgramData ?? 'C:\\ProgramData'}\\pwbt-acl-${(0, node_crypto_1.randomBytes)(4).toString('hex')}`;
fs.mkdirSync(base);
try {
    const w = (0, binding_1.loadWin32)();
    // Under Wine the service account is the one user there is.
    process.stdout.write(`${JSON.stringify((0, acl_scenarios_1.runAclScenarios)(w, base, (0, process_identity_1.processUserSid)(w)))}\n`);
}
finally {
    fs.rmSync(base, { recursive: true, force: true });
}
//# sourceMappingURL=acl-scenarios.main.js.map