"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseDuration = parseDuration;
exports.formatDuration = formatDuration;
/** Durations in config and CLI flags: "250ms", "10s", "5m", "2h", "7d", or a bare number of ms. */
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
function parseDuration(text) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
    if (!m)
        return undefined;
    const ms = Number(m[1]) * UNITS[m[2] ?? 'ms'];
    return Number.isFinite(ms) ? Math.round(ms) : undefined;
}
function formatDuration(ms) {
    for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]]) {
        if (ms >= size && ms % size === 0)
            return `${ms / size}${unit}`;
    }
    return `${ms}ms`;
}
//# sourceMappingURL=duration.js.map