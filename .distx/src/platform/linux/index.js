"use strict";
// The Linux platform as src/platform/index.ts selects it: accounts, the PAM stack probe, the boot id.
Object.defineProperty(exports, "__esModule", { value: true });
exports.verifyCryptAsync = exports.verifyCrypt = exports.readBootId = exports.probePamStack = exports.LinuxAccounts = void 0;
exports.linuxPlatform = linuxPlatform;
const linux_accounts_1 = require("./linux.accounts");
const pam_stack_1 = require("./pam-stack");
const peer_cred_1 = require("./peer-cred");
var linux_accounts_2 = require("./linux.accounts");
Object.defineProperty(exports, "LinuxAccounts", { enumerable: true, get: function () { return linux_accounts_2.LinuxAccounts; } });
var pam_stack_2 = require("./pam-stack");
Object.defineProperty(exports, "probePamStack", { enumerable: true, get: function () { return pam_stack_2.probePamStack; } });
Object.defineProperty(exports, "readBootId", { enumerable: true, get: function () { return pam_stack_2.readBootId; } });
var crypt_1 = require("./crypt");
Object.defineProperty(exports, "verifyCrypt", { enumerable: true, get: function () { return crypt_1.verifyCrypt; } });
Object.defineProperty(exports, "verifyCryptAsync", { enumerable: true, get: function () { return crypt_1.verifyCryptAsync; } });
function linuxPlatform(config, fingerprintKey) {
    // A process never outlives its boot: read the id once, not on every hello.
    let bootId;
    return {
        accounts: new linux_accounts_1.LinuxAccounts({ machine: config.machine || undefined, fingerprintKey }),
        probeFilter: () => (0, pam_stack_1.probePamStack)({ pamDir: config.pamDir }),
        // As the HELLO carries it: the boot UUID's 16 bytes, here in hex without dashes.
        bootId: () => (bootId ??= (0, pam_stack_1.readBootId)().replace(/-/g, '')),
        peerUid: (fd) => (0, peer_cred_1.peerCred)(fd)?.uid,
    };
}
//# sourceMappingURL=index.js.map