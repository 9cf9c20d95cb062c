/* The filter's one worker thread, started by InitializeChangeNotify. It owns every slow thing: the pipe,
 * the keys, sealing, the spool, the heartbeat. LSA's threads only ever touch the queue. */
#ifndef PWB_LSA_WORKER_H
#define PWB_LSA_WORKER_H

/* Start the worker once per load. 0, or -1 when the thread could not be made. */
int pwb_worker_start(void);

#endif
