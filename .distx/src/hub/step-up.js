"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.STEP_UP_MS = void 0;
exports.markSteppedUp = markSteppedUp;
exports.steppedUpUntil = steppedUpUntil;
/** How long a step-up lets a session reveal passwords. */
exports.STEP_UP_MS = 5 * 60_000;
/** Mark the session stepped up until `until`; false when the session is gone. */
async function markSteppedUp(sql, tokenHash, until) {
    return (await sql.run('UPDATE hub_sessions SET stepped_up_until = $1 WHERE token_hash = $2', [until, tokenHash])) > 0;
}
/** Until when the session is stepped up; undefined when it never was (or is gone). */
async function steppedUpUntil(sql, tokenHash) {
    const rows = await sql.all('SELECT stepped_up_until AS until FROM hub_sessions WHERE token_hash = $1', [tokenHash]);
    return rows[0]?.until == null ? undefined : Number(rows[0].until);
}
//# sourceMappingURL=step-up.js.map