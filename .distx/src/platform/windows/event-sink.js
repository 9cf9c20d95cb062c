"use strict";
// pwbridge's events in the Windows Event Log (Application log, source `pwbridge`), through
// RegisterEventSourceW / ReportEventW. Each record gets its ID and type from event-ids.ts and one
// insertion string (event-ids.ts windowsEventText). Like the rest of the event log it is fire and forget:
// records are written on the next turn of the event loop, and a failure to write is counted, never thrown.
// The source's registration (message file, types) is `pwbridge install`'s job; without it Windows still
// logs the event, and Event Viewer shows the insertion string under a "description not found" note.
Object.defineProperty(exports, "__esModule", { value: true });
exports.WindowsEventSink = void 0;
const event_ids_1 = require("./event-ids");
const places_1 = require("./places");
const structs_1 = require("./structs");
const utf16_1 = require("./utf16");
class WindowsEventSink {
    w;
    machine;
    source;
    handle;
    pending = [];
    scheduled = false;
    /** Records Windows did not take (no handle, or ReportEventW failed). */
    failed = 0;
    constructor(w, machine, source = places_1.EVENT_SOURCE) {
        this.w = w;
        this.machine = machine;
        this.source = source;
    }
    record(event) {
        this.pending.push({ ...event, machine: this.machine });
        if (!this.scheduled) {
            this.scheduled = true;
            setImmediate(() => this.flush());
        }
    }
    /** Write everything recorded so far (the next tick does this on its own). */
    flush() {
        this.scheduled = false;
        const batch = this.pending;
        this.pending = [];
        for (const e of batch) {
            try {
                if (!this.report(e))
                    this.failed++;
            }
            catch {
                this.failed++;
            }
        }
    }
    report(e) {
        if (this.handle === undefined) {
            const h = this.w.advapi32.RegisterEventSourceW(null, (0, utf16_1.wideZ)(this.source));
            if (h === null || h === 0n)
                return false;
            this.handle = h;
        }
        const def = (0, event_ids_1.windowsEventFor)(e);
        const strings = (0, structs_1.encodePointerArray)(this.w.memory, [(0, utf16_1.wideZ)((0, event_ids_1.windowsEventText)(e))]);
        return this.w.advapi32.ReportEventW(this.handle, event_ids_1.EVENTLOG_TYPE[def.level], 0, def.id, null, 1, 0, strings.buf, null) !== 0;
    }
    close() {
        this.flush();
        if (this.handle !== undefined)
            this.w.advapi32.DeregisterEventSource(this.handle);
        this.handle = undefined;
    }
}
exports.WindowsEventSink = WindowsEventSink;
//# sourceMappingURL=event-sink.js.map