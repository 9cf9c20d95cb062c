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
exports.repoRoot = repoRoot;
exports.vectorsPath = vectorsPath;
// Compiled tests run from dist/test/... or /tmp/build-*/test/...; files they read live in the source tree.
// Walk up from here to the directory holding package.json, and fall back to the working directory
// (an out-of-tree build such as /tmp/build-proto has no package.json above it).
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
function findUp(start) {
    for (let dir = path.resolve(start);; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, 'package.json')))
            return dir;
        if (path.dirname(dir) === dir)
            return undefined;
    }
}
function repoRoot() {
    const root = findUp(__dirname) ?? findUp(process.cwd());
    if (!root)
        throw new Error(`cannot find the repository root (no package.json above ${__dirname} or ${process.cwd()})`);
    return root;
}
function vectorsPath() {
    return path.join(repoRoot(), 'test', 'vectors', 'frames.json');
}
//# sourceMappingURL=repo-root.js.map