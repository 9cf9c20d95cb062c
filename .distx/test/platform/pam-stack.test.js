"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const pam_stack_1 = require("../../src/platform/linux/pam-stack");
const DEBIAN_COMMON = [
    '# /etc/pam.d/common-password',
    'password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt',
    'password\trequisite\t\t\tpam_deny.so',
    'password\trequired\t\t\tpam_permit.so',
];
describe('platform/linux pam stack probe', () => {
    let root;
    let pamDir;
    let modDir;
    const probe = () => (0, pam_stack_1.probePamStack)({ pamDir, moduleDirs: [modDir] });
    const write = (name, lines) => (0, node_fs_1.writeFileSync)((0, node_path_1.join)(pamDir, name), lines.join('\n') + '\n');
    beforeEach(() => {
        root = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'pwbt-pam-'));
        pamDir = (0, node_path_1.join)(root, 'pam.d');
        modDir = (0, node_path_1.join)(root, 'security');
        (0, node_fs_1.mkdirSync)(pamDir);
        (0, node_fs_1.mkdirSync)(modDir);
        write('passwd', ['@include common-password']);
        write('chpasswd', ['@include common-password']);
    });
    afterEach(() => (0, node_fs_1.rmSync)(root, { recursive: true, force: true }));
    it('not installed: module absent', () => {
        write('common-password', DEBIAN_COMMON);
        node_assert_1.strict.equal(probe().state, 'not-installed');
    });
    it('not installed: only on a commented line or on a non-password line', () => {
        write('common-password', [...DEBIAN_COMMON, '# password optional pam_pwbridge.so', 'auth optional pam_pwbridge.so', 'password optional pam_unix.so # pam_pwbridge.so']);
        (0, node_fs_1.writeFileSync)((0, node_path_1.join)(modDir, 'pam_pwbridge.so'), '');
        node_assert_1.strict.equal(probe().state, 'not-installed');
    });
    it('not installed: empty pam.d', () => {
        (0, node_fs_1.rmSync)(pamDir, { recursive: true });
        (0, node_fs_1.mkdirSync)(pamDir);
        node_assert_1.strict.equal(probe().state, 'not-installed');
    });
    it('active: optional after pam_unix with the module file present', () => {
        write('common-password', [...DEBIAN_COMMON, 'password\toptional\tpam_pwbridge.so']);
        (0, node_fs_1.writeFileSync)((0, node_path_1.join)(modDir, 'pam_pwbridge.so'), '');
        const p = probe();
        node_assert_1.strict.equal(p.state, 'active');
        node_assert_1.strict.match(p.reason, /common-password:5/);
    });
    it('active: found through a nested include from chpasswd, absolute module path', () => {
        write('common-password', DEBIAN_COMMON);
        write('chpasswd', ['@include common-password', 'password include pwbridge-extra']);
        const so = (0, node_path_1.join)(modDir, 'pam_pwbridge.so');
        (0, node_fs_1.writeFileSync)(so, '');
        write('pwbridge-extra', [`-password optional ${so} socket=/run/pwbridge.sock`]);
        const p = probe();
        node_assert_1.strict.equal(p.state, 'active');
        node_assert_1.strict.match(p.reason, /pwbridge-extra:1/);
    });
    it('include loops terminate', () => {
        write('common-password', ['@include loop-a']);
        write('loop-a', ['@include loop-b']);
        write('loop-b', ['@include loop-a', 'password optional pam_pwbridge.so']);
        (0, node_fs_1.writeFileSync)((0, node_path_1.join)(modDir, 'pam_pwbridge.so'), '');
        node_assert_1.strict.equal(probe().state, 'active');
    });
    it('faulted: module in the stack but the .so is missing', () => {
        write('common-password', [...DEBIAN_COMMON, 'password optional pam_pwbridge.so']);
        const p = probe();
        node_assert_1.strict.equal(p.state, 'faulted');
        node_assert_1.strict.match(p.reason, /missing/);
        node_assert_1.strict.ok(p.reason.includes(modDir));
    });
    for (const control of ['required', 'requisite', '[success=ok default=bad]', 'sufficient']) {
        it(`faulted: placed as ${control}, reason says it must be optional`, () => {
            write('common-password', [...DEBIAN_COMMON.slice(0, 2), `password ${control} pam_pwbridge.so`, ...DEBIAN_COMMON.slice(2)]);
            (0, node_fs_1.writeFileSync)((0, node_path_1.join)(modDir, 'pam_pwbridge.so'), '');
            const p = probe();
            node_assert_1.strict.equal(p.state, 'faulted');
            node_assert_1.strict.match(p.reason, /must be 'optional'/);
            node_assert_1.strict.ok(p.reason.includes(control));
        });
    }
    it('handles line continuations', () => {
        write('common-password', [...DEBIAN_COMMON, 'password \\', '  optional pam_pwbridge.so']);
        (0, node_fs_1.writeFileSync)((0, node_path_1.join)(modDir, 'pam_pwbridge.so'), '');
        node_assert_1.strict.equal(probe().state, 'active');
    });
    it('reads this boot\'s id, and refuses a file that does not hold one', () => {
        const id = (0, pam_stack_1.readBootId)();
        node_assert_1.strict.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        node_assert_1.strict.equal((0, pam_stack_1.readBootId)(), id);
        const bad = (0, node_path_1.join)(root, 'boot_id');
        (0, node_fs_1.writeFileSync)(bad, 'not an id\n');
        node_assert_1.strict.throws(() => (0, pam_stack_1.readBootId)(bad), /does not hold a boot id/);
    });
});
//# sourceMappingURL=pam-stack.test.js.map