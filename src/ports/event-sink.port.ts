import type { EventRecord } from '../domain/types';

/** Where decisions go: the vault's event table, pino, and (Windows) the OS event log. */
export interface EventSink {
  /** Fire and forget: never throws, never blocks the pipeline. `time` and `machine` are filled in. */
  record(event: Omit<EventRecord, 'time' | 'machine'> & { time?: number }): void;
}
