"use strict";
// The one file that touches the Win32 DLLs. Every other file in src/platform/windows/ takes a `Win32`
// object, so the tests hand in a fake and run on Linux; only `loadWin32()` needs Windows.
//
// Binding is per function and never fails as a whole: an export this Windows lacks (Wine's netapi32 has no
// NetValidatePasswordPolicy) becomes a function that throws MissingExportError, naming the DLL and the
// function, when called. So a missing export costs only the feature that needs it, and a caller can tell
// "not here" apart (it is a Win32Error with ERROR_PROC_NOT_FOUND, as GetProcAddress would say).
//
// The declarations keep koffi out of the data: every pointer is `void *` and receives a Buffer we built
// (or a bigint address, or null), every handle is a bigint. So koffi never converts a string, and never
// makes a copy of a password that we could not wipe. Struct layouts are in structs.ts.
Object.defineProperty(exports, "__esModule", { value: true });
exports.MissingExportError = exports.CALLBACK_PROTOS = exports.DECLARATIONS = void 0;
exports.declaredName = declaredName;
exports.missingExport = missingExport;
exports.bindLibrary = bindLibrary;
exports.unboundFunctions = unboundFunctions;
exports.loadWin32 = loadWin32;
const win32_errors_1 = require("./win32-errors");
/**
 * The C declarations, one per function, exactly as koffi parses them. The tests parse each one with
 * koffi.proto on Linux (a typo fails there, not on a customer's machine). `__stdcall` is what the SDK
 * says; on 64-bit Windows there is only one calling convention and koffi ignores it.
 */
exports.DECLARATIONS = {
    'netapi32.dll': [
        'uint32 __stdcall NetUserEnum(void *servername, uint32 level, uint32 filter, void *bufptr, uint32 prefmaxlen, void *entriesread, void *totalentries, void *resume_handle)',
        'uint32 __stdcall NetUserGetInfo(void *servername, void *username, uint32 level, void *bufptr)',
        'uint32 __stdcall NetUserSetInfo(void *servername, void *username, uint32 level, void *buf, void *parm_err)',
        'uint32 __stdcall NetUserAdd(void *servername, uint32 level, void *buf, void *parm_err)',
        'uint32 __stdcall NetUserDel(void *servername, void *username)',
        'uint32 __stdcall NetUserModalsGet(void *servername, uint32 level, void *bufptr)',
        'uint32 __stdcall NetLocalGroupAddMembers(void *servername, void *groupname, uint32 level, void *buf, uint32 totalentries)',
        'uint32 __stdcall NetLocalGroupDelMembers(void *servername, void *groupname, uint32 level, void *buf, uint32 totalentries)',
        'uint32 __stdcall NetValidatePasswordPolicy(void *servername, void *qualifier, uint32 validationType, void *inputArg, void *outputArg)',
        'uint32 __stdcall NetValidatePasswordPolicyFree(void *outputArg)',
        'uint32 __stdcall NetApiBufferFree(void *buffer)',
        'uint32 __stdcall NetUserGetLocalGroups(void *servername, void *username, uint32 level, uint32 flags, void *bufptr, uint32 prefmaxlen, void *entriesread, void *totalentries)',
    ],
    'advapi32.dll': [
        'int32 __stdcall LogonUserW(void *username, void *domain, void *password, uint32 logonType, uint32 logonProvider, void *token)',
        'int32 __stdcall RegOpenKeyExW(uintptr_t key, void *subKey, uint32 options, uint32 sam, void *result)',
        'int32 __stdcall RegCreateKeyExW(uintptr_t key, void *subKey, uint32 reserved, void *cls, uint32 options, uint32 sam, void *sa, void *result, void *disposition)',
        'int32 __stdcall RegQueryValueExW(uintptr_t key, void *name, void *reserved, void *type, void *data, void *cbData)',
        'int32 __stdcall RegSetValueExW(uintptr_t key, void *name, uint32 reserved, uint32 type, void *data, uint32 cbData)',
        'int32 __stdcall RegDeleteValueW(uintptr_t key, void *name)',
        'int32 __stdcall RegDeleteKeyExW(uintptr_t key, void *subKey, uint32 sam, uint32 reserved)',
        'int32 __stdcall RegCloseKey(uintptr_t key)',
        'void * __stdcall RegisterEventSourceW(void *server, void *source)',
        'int32 __stdcall ReportEventW(void *log, uint16 type, uint16 category, uint32 eventId, void *sid, uint16 numStrings, uint32 dataSize, void *strings, void *data)',
        'int32 __stdcall DeregisterEventSource(void *log)',
        'void * __stdcall OpenSCManagerW(void *machine, void *database, uint32 access)',
        'void * __stdcall CreateServiceW(void *scm, void *name, void *display, uint32 access, uint32 serviceType, uint32 startType, uint32 errorControl, void *binaryPath, void *group, void *tagId, void *dependencies, void *startName, void *password)',
        'void * __stdcall OpenServiceW(void *scm, void *name, uint32 access)',
        'int32 __stdcall StartServiceW(void *service, uint32 numArgs, void *args)',
        'int32 __stdcall ControlService(void *service, uint32 control, void *status)',
        'int32 __stdcall QueryServiceStatus(void *service, void *status)',
        'int32 __stdcall QueryServiceConfigW(void *service, void *config, uint32 size, void *needed)',
        'int32 __stdcall ChangeServiceConfig2W(void *service, uint32 level, void *info)',
        'int32 __stdcall ChangeServiceConfigW(void *service, uint32 serviceType, uint32 startType, uint32 errorControl, void *binaryPath, void *group, void *tagId, void *dependencies, void *startName, void *password, void *display)',
        'int32 __stdcall DeleteService(void *service)',
        'int32 __stdcall CloseServiceHandle(void *handle)',
        'int32 __stdcall StartServiceCtrlDispatcherW(void *table)',
        'void * __stdcall RegisterServiceCtrlHandlerExW(void *name, void *handler, void *context)',
        'int32 __stdcall SetServiceStatus(void *handle, void *status)',
        'uint32 __stdcall LsaOpenPolicy(void *system, void *attributes, uint32 access, void *handle)',
        'uint32 __stdcall LsaAddAccountRights(void *policy, void *sid, void *rights, uint32 count)',
        'uint32 __stdcall LsaRemoveAccountRights(void *policy, void *sid, uint8 allRights, void *rights, uint32 count)',
        'uint32 __stdcall LsaClose(void *policy)',
        'uint32 __stdcall LsaNtStatusToWinError(uint32 status)',
        'int32 __stdcall LookupAccountNameW(void *system, void *name, void *sid, void *cbSid, void *domain, void *cchDomain, void *use)',
        'int32 __stdcall LookupAccountSidW(void *system, void *sid, void *name, void *cchName, void *domain, void *cchDomain, void *use)',
        'uint32 __stdcall LsaEnumerateAccountRights(void *policy, void *sid, void *rights, void *count)',
        'uint32 __stdcall LsaFreeMemory(void *buffer)',
        'int32 __stdcall OpenProcessToken(void *process, uint32 access, void *token)',
        'int32 __stdcall GetTokenInformation(void *token, uint32 infoClass, void *info, uint32 length, void *returnLength)',
        'int32 __stdcall GetFileSecurityW(void *file, uint32 info, void *sd, uint32 length, void *needed)',
        'int32 __stdcall SetFileSecurityW(void *file, uint32 info, void *sd)',
    ],
    'kernel32.dll': [
        'uint32 __stdcall GetLastError()',
        'int32 __stdcall CloseHandle(void *handle)',
        'int32 __stdcall GetComputerNameW(void *buffer, void *size)',
        'int32 __stdcall lstrlenW(void *s)',
        'int32 __stdcall MoveFileExW(void *existing, void *replacement, uint32 flags)',
        'void * __stdcall LocalFree(void *mem)',
        'void __stdcall RtlZeroMemory(void *dest, uintptr_t length)',
        'void * __stdcall GetCurrentProcess()',
        'int32 __stdcall CreateDirectoryW(void *path, void *sa)',
    ],
    'crypt32.dll': [
        'int32 __stdcall CryptProtectData(void *dataIn, void *description, void *entropy, void *reserved, void *prompt, uint32 flags, void *dataOut)',
        'int32 __stdcall CryptUnprotectData(void *dataIn, void *description, void *entropy, void *reserved, void *prompt, uint32 flags, void *dataOut)',
    ],
    'ntdll.dll': [
        'int32 __stdcall NtQuerySystemInformation(uint32 infoClass, void *info, uint32 length, void *returnLength)',
        // Not Windows': Wine's. Its presence is how wine.ts knows it runs under Wine.
        'const char * __cdecl wine_get_version()',
    ],
};
/** Native callbacks pwbridge registers (winsvc.h: LPHANDLER_FUNCTION_EX, LPSERVICE_MAIN_FUNCTIONW). */
exports.CALLBACK_PROTOS = {
    HandlerEx: 'uint32 __stdcall HandlerEx(uint32 control, uint32 eventType, void *eventData, void *context)',
    ServiceMain: 'void __stdcall ServiceMain(uint32 argc, void *argv)',
};
/** The function's name in one declaration ("NetUserEnum" from "uint32 __stdcall NetUserEnum(…)"). */
function declaredName(decl) {
    const m = /([A-Za-z0-9_]+)\s*\(/.exec(decl);
    if (!m)
        throw new Error(`not a declaration: ${decl}`);
    return m[1];
}
/** An export this Windows does not have, called: ERROR_PROC_NOT_FOUND, as GetProcAddress reports it. */
class MissingExportError extends win32_errors_1.Win32Error {
    dll;
    fn;
    constructor(dll, fn, detail) {
        super(fn, win32_errors_1.ERROR_PROC_NOT_FOUND, `${dll} has no ${fn} on this system: ${detail}`);
        this.dll = dll;
        this.fn = fn;
        this.name = 'MissingExportError';
    }
}
exports.MissingExportError = MissingExportError;
/** Marks a stand-in, so unboundFunctions can list them without calling anything. */
const MISSING = Symbol('pwbridge missing export');
/** A stand-in for a function that could not be bound: it throws, naming the DLL and the function, when called. */
function missingExport(dll, fn, detail) {
    const f = () => { throw new MissingExportError(dll, fn, detail); };
    // StartServiceCtrlDispatcherW is also called through koffi's .async: the stand-in must fail the same way there.
    const async = (...args) => { args[args.length - 1](new MissingExportError(dll, fn, detail)); };
    return Object.assign(f, { async, [MISSING]: true });
}
/**
 * Every declared function of one DLL: bound where the DLL has it, a missingExport stand-in where it does
 * not (or where the DLL itself does not load). Never throws, so one missing export costs one feature.
 */
function bindLibrary(dll, load) {
    let lib;
    let loadError;
    try {
        lib = load();
    }
    catch (e) {
        loadError = `the DLL does not load (${e.message})`;
    }
    const fns = {};
    for (const decl of exports.DECLARATIONS[dll]) {
        const name = declaredName(decl);
        if (!lib) {
            fns[name] = missingExport(dll, name, loadError);
            continue;
        }
        try {
            fns[name] = lib.func(decl);
        }
        catch (e) {
            fns[name] = missingExport(dll, name, e.message);
        }
    }
    return fns;
}
/** The declared functions a binding stands in for (`dll!function`): what this system lacks, e.g. under Wine. */
function unboundFunctions(w) {
    const out = [];
    const tables = {
        'netapi32.dll': w.netapi32, 'advapi32.dll': w.advapi32, 'kernel32.dll': w.kernel32, 'ntdll.dll': w.ntdll, 'crypt32.dll': w.crypt32,
    };
    for (const [dll, decls] of Object.entries(exports.DECLARATIONS)) {
        const table = tables[dll];
        for (const decl of decls) {
            const name = declaredName(decl);
            const f = table[name];
            if (typeof f === 'function' && f[MISSING] === true)
                out.push(`${dll}!${name}`);
        }
    }
    return out;
}
let loaded;
/** The real Win32 binding, loaded once. Windows only, 64-bit only. */
function loadWin32() {
    if (loaded)
        return loaded;
    if (process.platform !== 'win32')
        throw new Error(`the Windows adapters need Windows (this is ${process.platform})`);
    if (process.arch !== 'x64' && process.arch !== 'arm64') {
        throw new Error(`pwbridge needs 64-bit Node.js on Windows (this is ${process.arch}): the struct layouts are the 64-bit ones`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require('koffi');
    const bind = (dll) => bindLibrary(dll, () => koffi.load(dll));
    const kernel32 = bind('kernel32.dll');
    const lstrlenW = kernel32.lstrlenW;
    const protos = {
        HandlerEx: koffi.pointer(koffi.proto(exports.CALLBACK_PROTOS.HandlerEx)),
        ServiceMain: koffi.pointer(koffi.proto(exports.CALLBACK_PROTOS.ServiceMain)),
    };
    loaded = {
        netapi32: bind('netapi32.dll'),
        advapi32: bind('advapi32.dll'),
        kernel32: kernel32,
        ntdll: bind('ntdll.dll'),
        crypt32: bind('crypt32.dll'),
        memory: {
            // koffi.view is an ArrayBuffer over Windows' memory, and Buffer.from(ArrayBuffer) would share it:
            // copy through a Uint8Array, so nothing read here outlives NetApiBufferFree/LocalFree as a dangling view.
            read: (address, length) => Buffer.from(new Uint8Array(koffi.view(address, length))),
            wcslen: (address) => lstrlenW(address),
            addressOf: (buf) => koffi.address(buf),
        },
        callbacks: {
            register: (fn, proto) => koffi.register(fn, protos[proto]),
            unregister: (address) => koffi.unregister(address),
        },
    };
    return loaded;
}
//# sourceMappingURL=binding.js.map