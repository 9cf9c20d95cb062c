"use strict";
// Throwaway real users for the root-only tests. Always paired with removeUser in after()/finally.
Object.defineProperty(exports, "__esModule", { value: true });
exports.isRoot = void 0;
exports.createUser = createUser;
exports.setPasswordDirect = setPasswordDirect;
exports.removeUser = removeUser;
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
exports.isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** Creates pwbt_<random> with no home and no shell; returns its name. */
function createUser() {
    const name = `pwbt_${(0, node_crypto_1.randomBytes)(5).toString('hex')}`;
    (0, node_child_process_1.execFileSync)('/usr/sbin/useradd', ['-M', '-s', '/usr/sbin/nologin', name], { stdio: ['ignore', 'ignore', 'pipe'] });
    return name;
}
/** Sets a password the test's way (chpasswd on stdin), independent of the code under test. */
function setPasswordDirect(name, password) {
    (0, node_child_process_1.execFileSync)('/usr/sbin/chpasswd', [], { input: Buffer.concat([Buffer.from(`${name}:`), password, Buffer.from('\n')]), stdio: ['pipe', 'ignore', 'pipe'] });
}
/** Best effort: never throws, so cleanup cannot mask the real failure. */
function removeUser(name) {
    if (!name)
        return;
    try {
        (0, node_child_process_1.execFileSync)('/usr/sbin/userdel', [name], { stdio: 'ignore' });
    }
    catch {
        /* already gone */
    }
}
//# sourceMappingURL=users.js.map