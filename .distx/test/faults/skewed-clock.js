"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// A Node preload (`node --require skewed-clock.js …`) that shifts this process's wall clock by
// PWB_FAULTS_CLOCK_OFFSET_MS: Date.now() and `new Date()` read the shifted time, as on a machine whose
// clock is that far off. It is the thinnest fake of a wrong machine clock that leaves the host's clock
// alone and touches no other process (the scenario's hub and PostgreSQL keep the true time). Timers and
// performance.now() are monotonic and stay as they are, as they would on such a machine. libfaketime
// would do the same from outside, but Debian 12 does not install it here.
const offset = Number(process.env.PWB_FAULTS_CLOCK_OFFSET_MS ?? '0');
if (Number.isFinite(offset) && offset !== 0) {
    const RealDate = Date;
    const realNow = RealDate.now.bind(RealDate);
    const shifted = () => realNow() + offset;
    // A subclass keeps instanceof, parsing and every method; only "now" moves.
    class SkewedDate extends RealDate {
        constructor(...args) {
            if (args.length === 0)
                super(shifted());
            else
                super(...args);
        }
        static now() {
            return shifted();
        }
    }
    globalThis.Date = SkewedDate;
}
//# sourceMappingURL=skewed-clock.js.map