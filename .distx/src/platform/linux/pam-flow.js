"use strict";
// Can a line in a password stack run when pam_unix did not succeed?
//
// PAM tells a module nothing of how the lines before it fared: in the update pass pam_pwbridge.so sees the
// new password as soon as some module read it, whether or not pam_unix then stored it. So the stack's own
// flow must keep pwbridge's line from running after a failed (or skipped) pam_unix, or the vault would get
// a password that was never set. (The module also checks /etc/shadow, as a second guard where it can.)
//
// The flow is followed as libpam runs a stack. A module's result picks an action from its control:
// required → go on; requisite → stop on failure; sufficient → stop on success; optional → go on;
// [value=action …] → ignore/ok/bad/reset go on, die/done stop, N jumps over N modules, and a value not
// named takes default= (else 'bad'). Any module may succeed or fail, except pam_deny (never succeeds) and
// pam_permit (always does); pam_unix's result is what is tracked. An include or substack is taken to
// return to the next line (jumps over one are refused before this runs, by pam-edit.ts).
Object.defineProperty(exports, "__esModule", { value: true });
exports.reachesWithoutUnixSuccess = reachesWithoutUnixSuccess;
const baseName = (modulePath) => modulePath.slice(modulePath.lastIndexOf('/') + 1);
function outcomes(module) {
    const name = baseName(module);
    if (name === 'pam_deny.so')
        return ['failure'];
    if (name === 'pam_permit.so')
        return ['success'];
    return ['success', 'failure'];
}
/** The actions a control can take on an outcome: 'go' (the next line), 'stop', or a jump count. */
function actions(control, outcome) {
    const keyword = {
        required: { success: 'go', failure: 'go' },
        requisite: { success: 'go', failure: 'stop' },
        sufficient: { success: 'stop', failure: 'go' },
        optional: { success: 'go', failure: 'go' },
    };
    if (!control.startsWith('['))
        return [keyword[control]?.[outcome] ?? 'go'];
    const pairs = [...control.matchAll(/([A-Za-z_]+)=([^\s\]]+)/g)].map((m) => ({ key: m[1].toLowerCase(), action: m[2].toLowerCase() }));
    const fallback = pairs.find((p) => p.key === 'default')?.action ?? 'bad';
    const named = pairs.filter((p) => p.key !== 'default');
    const success = named.find((p) => p.key === 'success')?.action;
    // Every PAM value other than success is some kind of failure: any of them may come back.
    const picked = outcome === 'success' ? [success ?? fallback] : [...named.filter((p) => p.key !== 'success').map((p) => p.action), fallback];
    return [...new Set(picked)].map((a) => (/^\d+$/.test(a) ? (Number(a) === 0 ? 'go' : Number(a)) : a === 'die' || a === 'done' ? 'stop' : 'go'));
}
/**
 * A path that reaches the entry at index `target` (pwbridge's line) although pam_unix (index `unix`) did
 * not succeed on it; undefined when there is none. Jumps are forward only, so every line of the path but
 * the last comes before `target`.
 */
function reachesWithoutUnixSuccess(entries, unix, target) {
    const key = (i, s) => `${i}:${s}`;
    const prev = new Map([[key(0, 'not-run'), undefined]]);
    const queue = [[0, 'not-run']];
    const pathTo = (k) => {
        const out = [];
        for (let at = k; at !== undefined; at = prev.get(at))
            out.unshift(entries[Number(at.split(':')[0])].line);
        return out;
    };
    const visit = (from, i, s) => {
        const k = key(i, s);
        if (i >= entries.length || prev.has(k))
            return;
        prev.set(k, from);
        queue.push([i, s]);
    };
    while (queue.length > 0) {
        const [i, s] = queue.shift();
        const here = key(i, s);
        if (i === target) {
            if (s !== 'succeeded')
                return { unix: s === 'failed' ? 'failed' : 'skipped', lines: pathTo(here) };
            continue; // past our line nothing matters here
        }
        const e = entries[i];
        if (e.kind === 'opaque') {
            visit(here, i + 1, s);
            continue;
        }
        const results = i === unix ? ['success', 'failure'] : outcomes(e.module);
        for (const outcome of results) {
            const state = i === unix ? (outcome === 'success' ? 'succeeded' : 'failed') : s;
            for (const a of actions(e.control, outcome))
                if (a !== 'stop')
                    visit(here, a === 'go' ? i + 1 : i + 1 + a, state);
        }
    }
    return undefined;
}
//# sourceMappingURL=pam-flow.js.map