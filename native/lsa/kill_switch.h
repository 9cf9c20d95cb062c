/* The kill switch (HKLM\SOFTWARE\pwbridge Disabled = 1), watched off LSA's threads.
 *
 * A registry read costs a kernel (under Wine, a wineserver) round trip, far more than PasswordChangeNotify
 * may keep LSA's thread. So a watcher thread keeps the key open, waits on RegNotifyChangeKeyValue, re-reads
 * Disabled when the key's values change and publishes it in one aligned LONG; the callback only reads that.
 * When the key does not exist (or is deleted) the watcher looks again every PWB_SWITCH_RECHECK_MS; with the
 * key open it also re-reads on that period, in case a notification was missed. So a change takes effect
 * without a reboot, within milliseconds, at worst within the re-check period. */
#ifndef PWB_LSA_KILL_SWITCH_H
#define PWB_LSA_KILL_SWITCH_H

#include <windows.h>

#include "launch.h"

#define PWB_SWITCH_RECHECK_MS 3000

/* Read Disabled once (so the first call already obeys it) and make the watcher in `l`, suspended: it runs
 * once pwb_launch_go(l) lets it (launch.h). 0, or -1 when the thread could not be made. Once per load: a
 * second call makes nothing. */
int pwb_switch_prepare(pwb_launch *l);
/* The prepared watcher is not wanted after all: pwb_launch_abandon, then what prepare opened is closed.
 * pwb_launch_abandon's answer. */
int pwb_switch_abandon(pwb_launch *l);
/* The published switch: Disabled == 1 as of the watcher's last read. Lock-free, no I/O: for LSA's threads. */
int pwb_disabled(void);
/* Wait up to wait_ms for the watcher to publish a change (the worker, while the switch is on). */
void pwb_switch_wait(DWORD wait_ms);

#endif
