/* See report.h. */
#include "report.h"

void pwb_report_warning(DWORD event_id, const WCHAR *text)
{
    /* Registered per report, not kept: reports are rare, and lsass starts before the event log service. */
    HANDLE source = RegisterEventSourceW(NULL, L"pwbridge");
    if (!source) return;
    LPCWSTR strings[1] = { text };
    ReportEventW(source, EVENTLOG_WARNING_TYPE, 0, event_id, NULL, 1, 0, strings, NULL);
    DeregisterEventSource(source);
}

void pwb_text_add(pwb_text *t, const WCHAR *s)
{
    while (*s && t->len + 1 < sizeof t->buf / sizeof t->buf[0]) t->buf[t->len++] = *s++;
    t->buf[t->len] = 0;
}

void pwb_text_num(pwb_text *t, unsigned long long v)
{
    WCHAR digits[24];
    int n = 0;
    do {
        digits[n++] = (WCHAR)(L'0' + v % 10);
        v /= 10;
    } while (v);
    WCHAR out[24];
    for (int i = 0; i < n; i++) out[i] = digits[n - 1 - i];
    out[n] = 0;
    pwb_text_add(t, out);
}
