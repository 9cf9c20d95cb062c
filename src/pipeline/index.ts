// The journal → vault pipeline's public face.
export { createJournalProcessor, type JournalProcessor } from './process-journal';
export type { Outcome, OutcomeResult, ProcessorDeps, ProcessorOptions } from './deps';
export { serialPerKey, type SerialPerKeyOptions } from './serial-per-key';
export { backoffDelay, retryTicks } from './retry';
export { exclusionReason } from './exclusions';
export { normalisePassword, isValidUtf8 } from './password';
