"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// The unit tests' in-memory vault (test/helpers/fakes.ts) against the same contract as the real engines:
// a fake that answered otherwise would let a unit test pass against behaviour no vault has.
const fakes_1 = require("../helpers/fakes");
const vault_contract_1 = require("./vault.contract");
(0, vault_contract_1.describeVaultContract)('FakeVault (the unit tests\' fake)', async () => {
    const vault = new fakes_1.FakeVault(new fakes_1.FakeClock());
    return { vault, cleanup: async () => vault.close() };
});
//# sourceMappingURL=fake.vault.test.js.map