"use strict";
// `pwbridge run --windows-service`: node.exe as a Windows service. The service control manager starts
// node.exe and waits for it to connect through StartServiceCtrlDispatcherW; a process that never does is
// killed after 30 s (error 1053). So:
// - StartServiceCtrlDispatcherW runs on one of koffi's worker threads (`.async`): it blocks there until
//   the service reports SERVICE_STOPPED, while Node's event loop runs the bridge;
// - ServiceMain and the control handler are JS callbacks; the SCM calls them on its threads, and koffi
//   queues each call onto the event loop (so they must return quickly: they only start work and report);
// - the status goes START_PENDING → RUNNING once the bridge listens, STOP_PENDING → STOPPED on Stop or
//   Shutdown, or straight to STOPPED with an exit code when the bridge fails to start.
// This runs only on Windows, under the SCM; the tests drive the same functions through a fake SCM.
Object.defineProperty(exports, "__esModule", { value: true });
exports.SERVICE_CONTROL_SHUTDOWN = exports.SERVICE_CONTROL_INTERROGATE = exports.SERVICE_CONTROL_STOP = void 0;
exports.runAsWindowsService = runAsWindowsService;
const structs_1 = require("./structs");
const utf16_1 = require("./utf16");
const win32_errors_1 = require("./win32-errors");
const service_control_1 = require("./service-control");
exports.SERVICE_CONTROL_STOP = 1;
exports.SERVICE_CONTROL_INTERROGATE = 4;
exports.SERVICE_CONTROL_SHUTDOWN = 5;
const SERVICE_ACCEPT_STOP = 0x1;
const SERVICE_ACCEPT_SHUTDOWN = 0x4;
const NO_ERROR = 0;
const ERROR_CALL_NOT_IMPLEMENTED = 120;
const ERROR_SERVICE_SPECIFIC_ERROR = 1066;
/** Run as the service `name` until the SCM stops it. Rejects at once when not started by the SCM. */
function runAsWindowsService(w, name, o) {
    let statusHandle;
    let checkPoint = 0;
    let state = service_control_1.SERVICE_START_PENDING;
    let running;
    let stopping = false;
    const report = (s) => {
        state = s.currentState;
        if (statusHandle === undefined)
            return;
        const pending = s.currentState === service_control_1.SERVICE_START_PENDING || s.currentState === service_control_1.SERVICE_STOP_PENDING;
        const status = (0, structs_1.encodeServiceStatus)({
            serviceType: service_control_1.SERVICE_WIN32_OWN_PROCESS,
            controlsAccepted: s.currentState === service_control_1.SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0,
            win32ExitCode: NO_ERROR,
            serviceSpecificExitCode: 0,
            checkPoint: pending ? ++checkPoint : 0,
            waitHint: pending ? 30_000 : 0,
            ...s,
        });
        w.advapi32.SetServiceStatus(statusHandle, status);
    };
    const stop = () => {
        if (stopping)
            return;
        stopping = true;
        report({ currentState: service_control_1.SERVICE_STOP_PENDING });
        const work = running ? running.stop() : Promise.resolve();
        work.catch((e) => o.onError(`stopping: ${e.message}`)).finally(() => report({ currentState: service_control_1.SERVICE_STOPPED }));
    };
    const handler = (control) => {
        if (control === exports.SERVICE_CONTROL_STOP || control === exports.SERVICE_CONTROL_SHUTDOWN) {
            stop();
            return NO_ERROR;
        }
        if (control === exports.SERVICE_CONTROL_INTERROGATE) {
            report({ currentState: state });
            return NO_ERROR;
        }
        return ERROR_CALL_NOT_IMPLEMENTED;
    };
    const nameW = (0, utf16_1.wideZ)(name);
    const handlerAddress = w.callbacks.register(handler, 'HandlerEx');
    let mainCalled = false;
    const serviceMain = () => {
        mainCalled = true;
        const h = w.advapi32.RegisterServiceCtrlHandlerExW(nameW, handlerAddress, null);
        if (h === null || h === 0n) {
            o.onError(new win32_errors_1.Win32Error('RegisterServiceCtrlHandlerExW', w.kernel32.GetLastError(), name).message);
            return;
        }
        statusHandle = h;
        report({ currentState: service_control_1.SERVICE_START_PENDING });
        o.start().then((r) => {
            running = r;
            if (stopping)
                stop(); // a stop that came while starting
            else
                report({ currentState: service_control_1.SERVICE_RUNNING });
        }, (e) => {
            o.onError(`starting: ${e.message}`);
            stopping = true;
            report({ currentState: service_control_1.SERVICE_STOPPED, win32ExitCode: ERROR_SERVICE_SPECIFIC_ERROR, serviceSpecificExitCode: 1 });
        });
    };
    const mainAddress = w.callbacks.register(serviceMain, 'ServiceMain');
    const table = (0, structs_1.encodeServiceTable)(w.memory, nameW, mainAddress);
    return new Promise((resolve, reject) => {
        w.advapi32.StartServiceCtrlDispatcherW.async(table.buf, (err, ok) => {
            void table.keep; // the table and the name it points to stay alive until the dispatcher returns
            w.callbacks.unregister(mainAddress);
            w.callbacks.unregister(handlerAddress);
            if (err)
                return reject(err instanceof Error ? err : new Error(String(err)));
            if (!ok) {
                // The call ran on a worker thread, so GetLastError here says nothing about it. Almost always the
                // reason is ERROR_FAILED_SERVICE_CONTROLLER_CONNECT: this process was not started by the SCM.
                if (!mainCalled) {
                    return reject(new Error(`run --windows-service is for the service control manager (pwbridge install sets it up); in a console, run without it (StartServiceCtrlDispatcherW failed, most likely ${win32_errors_1.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT}: not started as a service)`));
                }
                return reject(new Error('StartServiceCtrlDispatcherW failed after the service had started'));
            }
            resolve();
        });
    });
}
//# sourceMappingURL=service-host.js.map