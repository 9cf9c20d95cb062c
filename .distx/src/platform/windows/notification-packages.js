"use strict";
// Editing `Notification Packages`: LSA loads each listed name (+ ".dll", from System32) at boot and calls
// it on every password change. Other products have their own entries there (scecli, rassfm, other
// filters), so pwbridge only ever appends its own name and only ever removes its own name: never a
// replace, never a reorder. Both operations are idempotent. Names compare case-insensitively, as LSA's
// loader does.
Object.defineProperty(exports, "__esModule", { value: true });
exports.hasPackage = hasPackage;
exports.appendPackage = appendPackage;
exports.removePackage = removePackage;
const places_1 = require("./places");
const same = (a, b) => a.toLowerCase() === b.toLowerCase();
function hasPackage(list, name = places_1.FILTER_PACKAGE) {
    return list.some((p) => same(p, name));
}
/** The list with `name` at the end, or the list itself (same order, same entries) when it is there. */
function appendPackage(list, name = places_1.FILTER_PACKAGE) {
    if (hasPackage(list, name))
        return { list: [...list], changed: false };
    return { list: [...list, name], changed: true };
}
/** The list without `name` (every occurrence, any case); every other entry stays, in its order. */
function removePackage(list, name = places_1.FILTER_PACKAGE) {
    const out = list.filter((p) => !same(p, name));
    return { list: out, changed: out.length !== list.length };
}
//# sourceMappingURL=notification-packages.js.map