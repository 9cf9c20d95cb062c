"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startReconcileTimer = startReconcileTimer;
/**
 * Reconcile passes while the service runs: the first soon after start (status should not say "never" for
 * a whole interval), then on the interval, and on demand. One reconciler: timed and on-demand passes share
 * its queue, so two passes never verify the same credential at once (two failed logons where one was allowed).
 */
const rxjs_1 = require("rxjs");
const reconcile_1 = require("../reconcile");
const install_1 = require("./install");
/** How soon after start the first reconcile pass runs (or the interval, when that is shorter). */
const FIRST_RECONCILE_MS = 30_000;
/** `onPass`: after every pass, timed or not (the machine report has news). */
function startReconcileTimer(install, onPass) {
    const { config, logger } = install;
    const { deps, opts } = (0, install_1.reconcileSetup)(install);
    const reconciler = (0, reconcile_1.createReconciler)(deps, opts);
    const sub = reconciler.stream((0, rxjs_1.timer)(Math.min(config.reconcileIntervalMs, FIRST_RECONCILE_MS), config.reconcileIntervalMs)).subscribe({
        next: () => onPass(),
        error: (err) => logger.error({ err: { message: err.message } }, 'reconcile stream ended'),
    });
    return {
        async passNow() {
            const r = await reconciler.once();
            onPass();
            return r;
        },
        stop: () => sub.unsubscribe(),
    };
}
//# sourceMappingURL=reconcile-timer.js.map