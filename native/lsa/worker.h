/* The filter's one worker thread, started by InitializeChangeNotify. It owns every slow thing: the pipe,
 * the keys, sealing, the spool, the heartbeat. LSA's threads only ever touch the queue. */
#ifndef PWB_LSA_WORKER_H
#define PWB_LSA_WORKER_H

#include "launch.h"

/* Make the worker in `l`, suspended: it runs once pwb_launch_go(l) lets it (launch.h). Once per load: a
 * second call makes nothing. 0, or -1 when the thread could not be made. */
int pwb_worker_prepare(pwb_launch *l);
/* The prepared worker is not wanted after all. pwb_launch_abandon's answer. */
int pwb_worker_abandon(pwb_launch *l);

#endif
