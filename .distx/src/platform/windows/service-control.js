"use strict";
// The Windows service, through the service control manager (advapi32), not sc.exe: sc.exe would need the
// service account's password on its command line, where any process can read it. Create (own process,
// automatic start, restart on failure), point at a new binary path, start, stop, delete, query.
Object.defineProperty(exports, "__esModule", { value: true });
exports.ServiceControl = exports.FAILURE_ACTIONS = exports.SERVICE_RUNNING = exports.SERVICE_STOP_PENDING = exports.SERVICE_START_PENDING = exports.SERVICE_STOPPED = exports.SERVICE_WIN32_OWN_PROCESS = void 0;
const layout_1 = require("./layout");
const structs_1 = require("./structs");
const utf16_1 = require("./utf16");
const win32_errors_1 = require("./win32-errors");
const SC_MANAGER_CONNECT = 0x0001;
const SC_MANAGER_CREATE_SERVICE = 0x0002;
const SERVICE_QUERY_CONFIG = 0x0001;
const SERVICE_QUERY_STATUS = 0x0004;
const SERVICE_CHANGE_CONFIG = 0x0002;
const SERVICE_START = 0x0010;
const SERVICE_STOP = 0x0020;
const DELETE = 0x0001_0000;
const SERVICE_ALL_ACCESS = 0x000f_01ff;
exports.SERVICE_WIN32_OWN_PROCESS = 0x10;
const SERVICE_AUTO_START = 2;
const SERVICE_ERROR_NORMAL = 1;
const SERVICE_NO_CHANGE = 0xffff_ffff;
const SERVICE_CONTROL_STOP = 1;
const SERVICE_CONFIG_DESCRIPTION = 1;
const SERVICE_CONFIG_FAILURE_ACTIONS = 2;
exports.SERVICE_STOPPED = 1;
exports.SERVICE_START_PENDING = 2;
exports.SERVICE_STOP_PENDING = 3;
exports.SERVICE_RUNNING = 4;
/** Restart after 5 s, then after 30 s, then after 2 min; the count resets after a day without a failure. */
exports.FAILURE_ACTIONS = [
    { type: structs_1.SC_ACTION_RESTART, delayMs: 5_000 },
    { type: structs_1.SC_ACTION_RESTART, delayMs: 30_000 },
    { type: structs_1.SC_ACTION_RESTART, delayMs: 120_000 },
];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
class ServiceControl {
    w;
    constructor(w) {
        this.w = w;
    }
    scm(access, f) {
        const h = this.w.advapi32.OpenSCManagerW(null, null, access);
        if (h === null || h === 0n)
            throw new win32_errors_1.Win32Error('OpenSCManagerW', this.w.kernel32.GetLastError());
        try {
            return f(h);
        }
        finally {
            this.w.advapi32.CloseServiceHandle(h);
        }
    }
    /** Run `f` on the service, or return undefined when there is no such service. */
    service(name, access, f) {
        return this.scm(SC_MANAGER_CONNECT, (scm) => {
            const h = this.w.advapi32.OpenServiceW(scm, (0, utf16_1.wideZ)(name), access);
            if (h === null || h === 0n) {
                const code = this.w.kernel32.GetLastError();
                if (code === win32_errors_1.ERROR_SERVICE_DOES_NOT_EXIST)
                    return undefined;
                throw new win32_errors_1.Win32Error('OpenServiceW', code, name);
            }
            try {
                return f(h);
            }
            finally {
                this.w.advapi32.CloseServiceHandle(h);
            }
        });
    }
    /** The service's current state (SERVICE_RUNNING, …), or undefined when it does not exist. */
    state(name) {
        return this.service(name, SERVICE_QUERY_STATUS, (h) => {
            const st = Buffer.alloc(structs_1.SERVICE_STATUS.size);
            if (!this.w.advapi32.QueryServiceStatus(h, st))
                throw new win32_errors_1.Win32Error('QueryServiceStatus', this.w.kernel32.GetLastError(), name);
            return (0, structs_1.decodeServiceStatus)(st).currentState;
        });
    }
    /** The account it is configured to run as (lpServiceStartName: `.\\name`, `LocalSystem`, …), or undefined when there is no such service. */
    account(name) {
        return this.service(name, SERVICE_QUERY_CONFIG, (h) => {
            const needed = Buffer.alloc(4);
            let config = Buffer.alloc(0);
            for (let i = 0; i < 3; i++) {
                if (this.w.advapi32.QueryServiceConfigW(h, config.length ? config : null, config.length, needed)) {
                    // The struct's strings are inside `config` itself, after the struct.
                    return (0, layout_1.readWideZ)(this.w.memory, (0, layout_1.readPtr)(structs_1.QUERY_SERVICE_CONFIGW, config, 0, 'lpServiceStartName')) ?? 'LocalSystem';
                }
                const code = this.w.kernel32.GetLastError();
                if (code !== win32_errors_1.ERROR_INSUFFICIENT_BUFFER)
                    throw new win32_errors_1.Win32Error('QueryServiceConfigW', code, name);
                config = Buffer.alloc(Math.max(needed.readUInt32LE(), structs_1.QUERY_SERVICE_CONFIGW.size));
            }
            throw new win32_errors_1.Win32Error('QueryServiceConfigW', win32_errors_1.ERROR_INSUFFICIENT_BUFFER, name);
        });
    }
    create(s) {
        this.scm(SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE, (scm) => {
            const h = this.w.advapi32.CreateServiceW(scm, (0, utf16_1.wideZ)(s.name), (0, utf16_1.wideZ)(s.display), SERVICE_ALL_ACCESS, exports.SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, (0, utf16_1.wideZ)(s.binaryPath), null, null, null, (0, utf16_1.wideZ)(s.account), s.passwordWideZ);
            if (h === null || h === 0n)
                throw new win32_errors_1.Win32Error('CreateServiceW', this.w.kernel32.GetLastError(), s.name);
            try {
                this.describe(h, s.description);
            }
            finally {
                this.w.advapi32.CloseServiceHandle(h);
            }
        });
    }
    /** Point an existing service at this command line (and description, restart policy). Its account is kept. */
    reconfigure(name, binaryPath, description) {
        return this.service(name, SERVICE_CHANGE_CONFIG, (h) => {
            if (!this.w.advapi32.ChangeServiceConfigW(h, SERVICE_NO_CHANGE, SERVICE_AUTO_START, SERVICE_NO_CHANGE, (0, utf16_1.wideZ)(binaryPath), null, null, null, null, null, null)) {
                throw new win32_errors_1.Win32Error('ChangeServiceConfigW', this.w.kernel32.GetLastError(), name);
            }
            this.describe(h, description);
            return true;
        }) ?? false;
    }
    describe(h, description) {
        const d = (0, structs_1.encodeServiceDescription)(this.w.memory, (0, utf16_1.wideZ)(description));
        if (!this.w.advapi32.ChangeServiceConfig2W(h, SERVICE_CONFIG_DESCRIPTION, d.buf)) {
            throw new win32_errors_1.Win32Error('ChangeServiceConfig2W', this.w.kernel32.GetLastError(), 'description');
        }
        const fa = (0, structs_1.encodeFailureActions)(this.w.memory, 86_400, exports.FAILURE_ACTIONS);
        if (!this.w.advapi32.ChangeServiceConfig2W(h, SERVICE_CONFIG_FAILURE_ACTIONS, fa.buf)) {
            throw new win32_errors_1.Win32Error('ChangeServiceConfig2W', this.w.kernel32.GetLastError(), 'failure actions');
        }
    }
    /** Start it; false when it was already running. */
    start(name) {
        const r = this.service(name, SERVICE_START, (h) => {
            if (this.w.advapi32.StartServiceW(h, 0, null))
                return true;
            const code = this.w.kernel32.GetLastError();
            if (code === win32_errors_1.ERROR_SERVICE_ALREADY_RUNNING)
                return false;
            throw new win32_errors_1.Win32Error('StartServiceW', code, name);
        });
        if (r === undefined)
            throw new win32_errors_1.Win32Error('OpenServiceW', win32_errors_1.ERROR_SERVICE_DOES_NOT_EXIST, name);
        return r;
    }
    /** Ask it to stop and wait until it has (or `timeoutMs` passed). 'not-running' when it was not. */
    async stop(name, timeoutMs = 30_000) {
        const asked = this.service(name, SERVICE_STOP | SERVICE_QUERY_STATUS, (h) => {
            const st = Buffer.alloc(structs_1.SERVICE_STATUS.size);
            if (this.w.advapi32.ControlService(h, SERVICE_CONTROL_STOP, st))
                return 'asked';
            const code = this.w.kernel32.GetLastError();
            if (code === win32_errors_1.ERROR_SERVICE_NOT_ACTIVE)
                return 'not-running';
            throw new win32_errors_1.Win32Error('ControlService', code, `${name}, stop`);
        });
        if (asked === undefined)
            return 'absent';
        if (asked === 'not-running')
            return asked;
        const until = Date.now() + timeoutMs;
        for (;;) {
            const s = this.state(name);
            if (s === undefined || s === exports.SERVICE_STOPPED)
                return 'stopped';
            if (Date.now() > until)
                return 'timeout';
            await sleep(200);
        }
    }
    /** Mark it for deletion (it goes once stopped and every handle is closed). False when there was none. */
    delete(name) {
        return this.service(name, DELETE, (h) => {
            if (!this.w.advapi32.DeleteService(h))
                throw new win32_errors_1.Win32Error('DeleteService', this.w.kernel32.GetLastError(), name);
            return true;
        }) ?? false;
    }
}
exports.ServiceControl = ServiceControl;
//# sourceMappingURL=service-control.js.map