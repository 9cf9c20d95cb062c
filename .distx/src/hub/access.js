"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RESERVED_MACHINE_NAMES = exports.HUB_MACHINE = exports.HUB_EVENT_KINDS = exports.atLeast = exports.sameName = void 0;
exports.describePrincipal = describePrincipal;
exports.machineOf = machineOf;
exports.ownMachineCredential = ownMachineCredential;
exports.appliesToAgent = appliesToAgent;
exports.reservedMachineName = reservedMachineName;
exports.reservedMachineMessage = reservedMachineMessage;
/**
 * Who is calling, and what they may touch.
 *
 * Users have a role: viewer (reads clients, credentials without passwords, events), operator (all vault
 * operations, password reads included), admin (operator plus users). The permission setup-ad-sync is
 * needed on top to enrol an agent. An agent's token is scoped to one client and one machine: it sees
 * its client, and of its credentials only those that apply to its machine (`MACHINE\user` of its own
 * machine, or a bare `user` shared by every machine); it creates and edits only its own machine's
 * `MACHINE\user` (a shared credential is the operators' to create or switch, as it reaches every
 * machine); it records only its own machine, and its own machine's events.
 */
const fold_1 = require("../vault/fold");
function describePrincipal(p) {
    if (!p)
        return 'anonymous';
    return p.kind === 'user' ? `user "${p.user.name}" (${p.user.role})` : `agent "${p.agent.machine}" (client "${p.agent.client}")`;
}
/** The machine a `MACHINE\user` credential belongs to; undefined for a bare (shared) username. */
function machineOf(username) {
    const i = username.indexOf('\\');
    return i < 0 ? undefined : username.slice(0, i);
}
const sameName = (a, b) => (0, fold_1.foldName)(a) === (0, fold_1.foldName)(b);
exports.sameName = sameName;
/** The credential is the agent's own machine's `MACHINE\user`. */
function ownMachineCredential(agent, client, username) {
    const m = machineOf(username);
    return (0, exports.sameName)(client, agent.client) && m !== undefined && (0, exports.sameName)(m, agent.machine);
}
/** The credential reaches the agent's machine: its own `MACHINE\user`, or a shared `user` of its client. */
function appliesToAgent(agent, client, username) {
    const m = machineOf(username);
    return (0, exports.sameName)(client, agent.client) && (m === undefined || (0, exports.sameName)(m, agent.machine));
}
const RANK = { viewer: 0, operator: 1, admin: 2 };
const atLeast = (role, needed) => RANK[role] >= RANK[needed];
exports.atLeast = atLeast;
/** Event kinds only the hub writes; an agent appending one is refused (it would forge the audit trail). */
exports.HUB_EVENT_KINDS = new Set([
    'password-read', 'access-refused', 'login', 'agent-enrolled',
    'user-created', 'user-disabled', 'user-enabled', 'user-changed', 'user-password-set', 'client-changed', 'client-deleted',
    'credential-deleted',
    'capture-time-clamped', 'login-throttle-cleared',
    'step-up',
]);
/** The machine name the hub's own events carry when a user (not an agent) acted. */
exports.HUB_MACHINE = 'hub';
/**
 * Names no machine may be enrolled under: the machine names the hub writes its own events with. An agent
 * reads and appends the events of its own machine name, so one enrolled as "hub" would read the hub's
 * audit trail (logins, password reads, user changes) and could add to it. Compared folded (machines are).
 */
exports.RESERVED_MACHINE_NAMES = [exports.HUB_MACHINE];
/** The reserved name `machine` is (as spelled in the list), or undefined. */
function reservedMachineName(machine) {
    return exports.RESERVED_MACHINE_NAMES.find((r) => (0, exports.sameName)(r, machine));
}
function reservedMachineMessage(machine, reserved) {
    return `machine name "${machine}" is reserved: the hub records its own events under "${reserved}"; `
        + 'enrol this machine under another name (the "machine" setting of its config.json)';
}
//# sourceMappingURL=access.js.map