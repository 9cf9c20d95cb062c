"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const chpasswd_1 = require("../../src/platform/linux/chpasswd");
describe('platform/linux chpasswd: a pam_pwquality refusal', () => {
    it('is recognised by its "BAD PASSWORD" line and names the rule', () => {
        const err = [Buffer.from('BAD PASSWORD: The password is shorter than 8 characters\nchpasswd: (user x) pam_chauthtok() failed, error:\nAuthentication token manipulation error\n')];
        node_assert_1.strict.equal((0, chpasswd_1.policyRefusal)(err, Buffer.from('abc')), 'pam_pwquality: The password is shorter than 8 characters');
    });
    it('is not claimed for other failures, nor when the output holds the password', () => {
        node_assert_1.strict.equal((0, chpasswd_1.policyRefusal)([Buffer.from('chpasswd: (user x) pam_chauthtok() failed\n')], Buffer.from('abc')), undefined);
        node_assert_1.strict.equal((0, chpasswd_1.policyRefusal)([Buffer.from('BAD PASSWORD: it is based on Tr0ub4dor\n')], Buffer.from('Tr0ub4dor')), undefined);
    });
});
//# sourceMappingURL=chpasswd-policy.test.js.map