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
exports.loadScenarios = loadScenarios;
// npm run faults [-- NAME…]: every scenario in ./scenarios (or those named), one JSON line each on
// stdout, progress on stderr. Exits 1 when any scenario lost or doubled an acked change, stopped
// serving, or failed to run.
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const fault_result_1 = require("./fault-result");
/** Every scenario module in ./scenarios, in name order; each exports `scenario`. */
function loadScenarios() {
    const dir = path.join(__dirname, 'scenarios');
    if (!fs.existsSync(dir))
        return [];
    return fs.readdirSync(dir)
        .filter((f) => f.endsWith('.js'))
        .sort()
        .map((f) => require(path.join(dir, f)).scenario)
        .filter((s) => s !== undefined);
}
async function main() {
    const all = loadScenarios();
    const names = process.argv.slice(2);
    const unknown = names.filter((n) => !all.some((s) => s.name === n));
    if (unknown.length) {
        process.stderr.write(`faults: no scenario named ${unknown.join(', ')} (there are: ${all.map((s) => s.name).join(', ')})\n`);
        process.exit(2);
    }
    const chosen = names.length ? all.filter((s) => names.includes(s.name)) : all;
    let failed = 0;
    for (const s of chosen) {
        const why = s.missing?.();
        if (why) {
            process.stdout.write(`${JSON.stringify({ scenario: s.name, skipped: why })}\n`);
            failed++;
            continue;
        }
        const progress = (msg) => process.stderr.write(`faults ${s.name}: ${msg}\n`);
        progress(s.fault);
        try {
            const r = await s.run(progress);
            process.stdout.write(`${JSON.stringify(r)}\n`);
            if (!(0, fault_result_1.faultPassed)(r))
                failed++;
        }
        catch (err) {
            process.stdout.write(`${JSON.stringify({ scenario: s.name, error: err.message })}\n`);
            failed++;
        }
    }
    process.exit(failed ? 1 : 0);
}
if (require.main === module)
    void main();
//# sourceMappingURL=run.js.map