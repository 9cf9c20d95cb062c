/* See spool_retry.h. */
#include "spool_retry.h"

static int same(const WCHAR *a, const WCHAR *b)
{
    for (int i = 0; i < PWB_SPOOL_NAME_LEN; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

int pwb_retry_failed(pwb_retry *r, const WCHAR *name, ULONGLONG now, DWORD span_ms, DWORD error)
{
    if (!r->name.name[0] || !same(r->name.name, name)) {
        pwb_retry_clear(r);
        for (int i = 0; i <= PWB_SPOOL_NAME_LEN; i++) r->name.name[i] = name[i];
        r->first = now;
    }
    r->attempts++;
    r->error = error;
    if (r->attempts >= PWB_RETRY_ATTEMPTS && now - r->first >= span_ms) return 1;
    /* Doubling pauses, at most a quarter of the span: at least PWB_RETRY_ATTEMPTS tries fit in it. */
    ULONGLONG longest = span_ms / 4 < PWB_RETRY_LONGEST_MS ? span_ms / 4 : PWB_RETRY_LONGEST_MS;
    ULONGLONG pause = (ULONGLONG)PWB_RETRY_FIRST_MS << (r->attempts < 16 ? r->attempts - 1 : 15);
    if (longest < 250) longest = 250;
    r->next = now + (pause < longest ? pause : longest);
    return 0;
}

int pwb_retry_due(const pwb_retry *r, const WCHAR *name, ULONGLONG now)
{
    return !r->name.name[0] || !same(r->name.name, name) || now >= r->next;
}

ULONGLONG pwb_retry_next(const pwb_retry *r) { return r->name.name[0] ? r->next : 0; }

void pwb_retry_clear(pwb_retry *r)
{
    r->name.name[0] = 0;
    r->attempts = 0;
    r->first = r->next = 0;
    r->error = 0;
}
