/* Force-included by this project's MSVC-dialect check (CMakeLists.txt, target pwp_msvc_dialect_check): the
 * headers the addon needs beyond the filter's, read once in GNU mode, then native/lsa/msvc_dialect.h, which
 * does the same for the rest and takes __GNUC__ away (see there for what the check is and is not). */
#define __GNUC__ 4
#define __GNUC_MINOR__ 2
#define __GNUC_PATCHLEVEL__ 1
#include <windows.h>
#include <tlhelp32.h>
#include <wchar.h>
#undef __GNUC__
#undef __GNUC_MINOR__
#undef __GNUC_PATCHLEVEL__
#include "../lsa/msvc_dialect.h"
