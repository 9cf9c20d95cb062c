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
// Writes test/vectors/frames.json. Run after building: `node dist/test/vectors/generate.js`
// (or `node /tmp/build-proto/test/vectors/generate.js`). `--check` compares instead of writing.
const fs = __importStar(require("node:fs"));
const repo_root_1 = require("./repo-root");
const vectors_1 = require("./vectors");
function main() {
    const text = `${JSON.stringify((0, vectors_1.buildVectors)(), null, 2)}\n`;
    const file = (0, repo_root_1.vectorsPath)();
    if (process.argv.includes('--check')) {
        const same = fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text;
        console.log(same ? `${file} is up to date` : `${file} differs from what the codec produces`);
        return same ? 0 : 1;
    }
    fs.writeFileSync(file, text);
    console.log(`wrote ${file}`);
    return 0;
}
if (require.main === module)
    process.exitCode = main();
//# sourceMappingURL=generate.js.map