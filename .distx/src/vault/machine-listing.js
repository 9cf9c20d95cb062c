"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.hasMachineListing = hasMachineListing;
exports.machinePrefix = machinePrefix;
const fold_1 = require("./fold");
function hasMachineListing(v) {
    return typeof v.listCredentialsForMachine === 'function';
}
/**
 * The folded `MACHINE\` prefix a username_key must start with, or null when `machine` itself holds a
 * `\`: no `MACHINE\user` can then belong to it (its machine part ends at the first `\`), and a null
 * compares as false in SQL.
 */
function machinePrefix(machine) {
    return machine.includes('\\') ? null : `${(0, fold_1.foldName)(machine)}\\`;
}
//# sourceMappingURL=machine-listing.js.map