/* What the filter tells the administrator directly: the Application event log, source "pwbridge" (the
 * service's own source, whose message file pwbridge_messages.dll the MSI registers), with the event IDs
 * of src/platform/windows/event-ids.ts. Only for what the bridge cannot learn over the pipe; everything
 * else travels in the HEARTBEAT. From the worker thread only: an event log call is an RPC and may wait. */
#ifndef PWB_LSA_REPORT_H
#define PWB_LSA_REPORT_H

#include <windows.h>

#define PWB_EVENT_SPOOL_REFUSED 1113 /* spool-refused: a spool file failed its checks and was set aside */

/* A bounded text builder: no C runtime in the DLL, so no swprintf. What does not fit is cut. */
typedef struct {
    WCHAR buf[512];
    size_t len;
} pwb_text;
void pwb_text_add(pwb_text *t, const WCHAR *s);
void pwb_text_num(pwb_text *t, unsigned long long v);

/* One warning event with one insertion string, `text` (no secret may be in it: it is a file name and a
 * reason). Failures are ignored: the filter has nowhere else to say it. */
void pwb_report_warning(DWORD event_id, const WCHAR *text);

#endif
