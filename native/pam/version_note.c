/* The module's version (package.json's, through native/package-version.cmake) as an ELF note, so that
 * `pwbridge --version` and `readelf -n` can read it from the file without loading the module into a
 * process (loading it would run libpam's and Nettle's constructors for nothing). Note layout (ELF gABI):
 * namesz, descsz, type, then the name and the descriptor, each padded to 4 bytes. Name "pwbridge", type 1,
 * descriptor the version text with its NUL. Nothing references it: `used` keeps it in the object, and the
 * link (no --gc-sections) keeps the section. */
#include <stdint.h>

#ifndef PWB_PACKAGE_VERSION
#error "PWB_PACKAGE_VERSION is package.json's version as a string, passed by the build (native/package-version.cmake)"
#endif

#define PWB_NOTE_NAME "pwbridge"
#define PWB_NOTE_TYPE_VERSION 1u
#define PWB_PAD4(n) (((n) + 3u) & ~3u)

struct pwb_version_note {
    uint32_t namesz;
    uint32_t descsz;
    uint32_t type;
    char name[PWB_PAD4(sizeof PWB_NOTE_NAME)];
    char desc[PWB_PAD4(sizeof PWB_PACKAGE_VERSION)];
};

__attribute__((section(".note.pwbridge.version"), used, aligned(4)))
static const struct pwb_version_note pwb_version_note = {
    (uint32_t)sizeof PWB_NOTE_NAME, (uint32_t)sizeof PWB_PACKAGE_VERSION, PWB_NOTE_TYPE_VERSION, PWB_NOTE_NAME, PWB_PACKAGE_VERSION,
};
