// pwbridge's events in the Windows Event Log (Application log, source `pwbridge`), through
// RegisterEventSourceW / ReportEventW. Each record gets its ID and level from src/domain/event-ids.ts and
// one insertion string (windowsEventText). Like the rest of the event log it is fire and forget:
// records are written on the next turn of the event loop, and a failure to write is counted, never thrown.
// The source's registration (message file, types) is `pwbridge install`'s job; without it Windows still
// logs the event, and Event Viewer shows the insertion string under a "description not found" note.

import type { EventRecord } from '../../domain/types';
import type { EventSink } from '../../ports/event-sink.port';
import type { Win32 } from './binding';
import { windowsEventFor, windowsEventText, type EventLevel } from '../../domain/event-ids';
import { EVENT_SOURCE } from './places';
import { encodePointerArray } from './structs';
import { wideZ } from './utf16';

/** ReportEventW's wType for each level. */
export const EVENTLOG_TYPE: Record<EventLevel, number> = { error: 0x0001, warning: 0x0002, information: 0x0004 };

export class WindowsEventSink implements EventSink {
  private handle?: bigint;
  private pending: Array<Omit<EventRecord, 'time'>> = [];
  private scheduled = false;
  /** Records Windows did not take (no handle, or ReportEventW failed). */
  failed = 0;

  constructor(private readonly w: Win32, private readonly machine: string, private readonly source = EVENT_SOURCE) {}

  record(event: Omit<EventRecord, 'time' | 'machine'> & { time?: number }): void {
    this.pending.push({ ...event, machine: this.machine });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Write everything recorded so far (the next tick does this on its own). */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    for (const e of batch) {
      try {
        if (!this.report(e)) this.failed++;
      } catch {
        this.failed++;
      }
    }
  }

  private report(e: Omit<EventRecord, 'time'>): boolean {
    if (this.handle === undefined) {
      const h = this.w.advapi32.RegisterEventSourceW(null, wideZ(this.source));
      if (h === null || h === 0n) return false;
      this.handle = h;
    }
    const def = windowsEventFor(e);
    const strings = encodePointerArray(this.w.memory, [wideZ(windowsEventText(e))]);
    return this.w.advapi32.ReportEventW(this.handle, EVENTLOG_TYPE[def.level], 0, def.id, null, 1, 0, strings.buf, null) !== 0;
  }

  close(): void {
    this.flush();
    if (this.handle !== undefined) this.w.advapi32.DeregisterEventSource(this.handle);
    this.handle = undefined;
  }
}
