/*
 * Event counters (Linux's eventfd): a 64-bit counter that a write adds to
 * and a read takes (all of it, or 1 in semaphore mode), blocking while it
 * is 0 for a read or would pass 2^64 - 2 for a write.  Readable while
 * the counter is non-zero, writable while 1 can be added.
 */
#ifndef OBJ_EVENTFD_H
#define OBJ_EVENTFD_H

#include <stdbool.h>
#include <stdint.h>

struct kobj;

/* A new counter holding initval; status is 0 or O_NONBLOCK.  ENOMEM. */
int eventfd_create(uint64_t initval, bool semaphore, unsigned status, struct kobj **out);

#endif
