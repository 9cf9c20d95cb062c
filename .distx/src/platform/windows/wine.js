"use strict";
// Whether this "Windows" is Wine, decided in this one place: ntdll exports wine_get_version there and
// nowhere on Windows. What pwbridge does differently under Wine, and why, is listed here too, so nothing
// else asks the question:
// - SAM is per process: an account NetUserAdd makes cannot be found by LookupAccountNameW or by any other
//   process, and every process (services included) runs as the one Wine user (S-1-5-21-0-0-0-1000). So
//   install takes that user as the service account (no account made, none deleted, no credential
//   stored: its password is unknown) instead of creating `pwbridge`.
// - LogonUserW accepts any password, LSA rights are stored nowhere, and file DACLs are Unix modes (the
//   owner is always the Wine user). Those run the real code anyway; install's output says what Wine is.
Object.defineProperty(exports, "__esModule", { value: true });
exports.wineVersion = wineVersion;
const binding_1 = require("./binding");
/** Wine's version ("8.0") when running under Wine, undefined on Windows. */
function wineVersion(w) {
    try {
        return w.ntdll.wine_get_version();
    }
    catch (e) {
        if (e instanceof binding_1.MissingExportError)
            return undefined;
        throw e;
    }
}
//# sourceMappingURL=wine.js.map