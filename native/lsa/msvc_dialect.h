/* Force-included (clang -include) by the MSVC-dialect check (CMakeLists.txt, target msvc_dialect_check):
 * clang targets x86_64-pc-windows-msvc (_MSC_VER set, __GNUC__ not, Microsoft extensions on) with the
 * mingw-w64 headers, which only work in their GNU mode under clang. So the system headers are read here,
 * once, as GNU; then __GNUC__ is taken away and the filter's own sources are checked as MSVC would see
 * them: their #if defined(_MSC_VER) branches, and no GNU extension (__attribute__ is made an error below;
 * -Werror=gnu and -Werror=vla on the command line catch the rest). The check is not MSVC: it catches the
 * dialect, not every MSVC diagnostic (the Windows workflow builds with the real one). */
#define __GNUC__ 4
#define __GNUC_MINOR__ 2
#define __GNUC_PATCHLEVEL__ 1
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <aclapi.h>
#include <bcrypt.h>
#include <dpapi.h>
#include <ntsecapi.h>
#include <sddl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#undef __GNUC__
#undef __GNUC_MINOR__
#undef __GNUC_PATCHLEVEL__
#define __attribute__(x) pwb_msvc_has_no___attribute__
