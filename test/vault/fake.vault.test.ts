// The unit tests' in-memory vault (test/helpers/fakes.ts) against the same contract as the real engines:
// a fake that answered otherwise would let a unit test pass against behaviour no vault has.
import { FakeClock, FakeVault } from '../helpers/fakes';
import { describeVaultContract } from './vault.contract';

describeVaultContract('FakeVault (the unit tests\' fake)', async () => {
  const vault = new FakeVault(new FakeClock());
  return { vault, cleanup: async () => vault.close() };
});
