"use strict";
// A plan is everything install/uninstall will change, worked out (and every refusal raised) before the
// first change. Then each step is printed and applied in order; with --dry-run each is printed as
// "would …" and nothing is applied.
Object.defineProperty(exports, "__esModule", { value: true });
exports.emptyPlan = void 0;
exports.runPlan = runPlan;
exports.requireRoot = requireRoot;
const errors_1 = require("../cli/errors");
const emptyPlan = () => ({ notes: [], kept: [], steps: [] });
exports.emptyPlan = emptyPlan;
async function runPlan(plan, o) {
    for (const n of plan.notes)
        o.out(`note: ${n}`);
    for (const k of plan.kept)
        o.out(`unchanged: ${k}`);
    if (plan.steps.length === 0)
        o.out(o.dryRun ? 'would change nothing' : 'nothing to change');
    for (const s of plan.steps) {
        o.out(o.dryRun ? `would ${s.say}` : s.say);
        if (o.dryRun)
            continue;
        await s.apply();
        o.afterEach?.();
    }
}
/** install and uninstall change system files: root only, except a dry run, which only reads. */
function requireRoot(command, uid, dryRun) {
    if (dryRun || uid === undefined || uid === 0)
        return;
    throw new errors_1.UsageError(`${command}: must be run as root (uid 0; this is uid ${uid}): it writes /etc/pam.d, the PAM module directory and the systemd unit. Run it with sudo, or add --dry-run to see what it would do`);
}
//# sourceMappingURL=plan.js.map