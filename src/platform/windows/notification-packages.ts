// Editing `Notification Packages`: LSA loads each listed name (+ ".dll", from System32) at boot and calls
// it on every password change. Other products have their own entries there (scecli, rassfm, other
// filters), so pwbridge only ever appends its own name and only ever removes its own name: never a
// replace, never a reorder. Both operations are idempotent. Names compare case-insensitively, as LSA's
// loader does.

import { FILTER_PACKAGE } from './places';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function hasPackage(list: readonly string[], name: string = FILTER_PACKAGE): boolean {
  return list.some((p) => same(p, name));
}

/** The list with `name` at the end, or the list itself (same order, same entries) when it is there. */
export function appendPackage(list: readonly string[], name: string = FILTER_PACKAGE): { list: string[]; changed: boolean } {
  if (hasPackage(list, name)) return { list: [...list], changed: false };
  return { list: [...list, name], changed: true };
}

/** The list without `name` (every occurrence, any case); every other entry stays, in its order. */
export function removePackage(list: readonly string[], name: string = FILTER_PACKAGE): { list: string[]; changed: boolean } {
  const out = list.filter((p) => !same(p, name));
  return { list: out, changed: out.length !== list.length };
}
