/* See user_name.h. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "user_name.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pwb_wire.h"

int user_name_ok(const char *user)
{
    /* strnlen: a name longer than the protocol allows is refused without reading all of it. */
    size_t n = strnlen(user, PWB_MAX_NAME + 1);
    if (!pwb_name_ok((const uint8_t *)user, n)) return 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)user[i];
        if (c < 0x20 || c == 0x7f) return 0;
        /* C1 controls (U+0080..U+009F, encoded C2 80..C2 9F): some terminals act on them too. */
        if (c == 0xC2 && i + 1 < n && (uint8_t)user[i + 1] <= 0x9F) return 0;
    }
    return 1;
}

void user_name_shown(const char *user, char out[USER_SHOWN_CAP])
{
    size_t o = 0, i = 0;
    for (; user[i] != '\0' && i < USER_SHOWN_BYTES; i++) {
        uint8_t c = (uint8_t)user[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') out[o++] = (char)c;
        else o += (size_t)snprintf(out + o, USER_SHOWN_CAP - o, "\\x%02x", c);
    }
    if (user[i] != '\0') {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}
