/*
 * Signal descriptors (Linux's signalfd): reading one takes pending
 * signals of a set off the *reading* task, as records whose layout the
 * ABI module gives; readable while one of the set is pending for the
 * task that polls.  The signals are normally blocked, so they wait
 * pending until read.
 */
#ifndef OBJ_SIGNALFD_H
#define OBJ_SIGNALFD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kobj;
struct ksiginfo;

/* How a taken signal is written out: record_size bytes made by encode. */
struct signalfd_format {
	size_t record_size;
	void (*encode)(const struct ksiginfo *info, void *record);
};

/* A new descriptor for set (SIGKILL and SIGSTOP are dropped from it);
 * status is 0 or O_NONBLOCK.  ENOMEM. */
int signalfd_create(uint64_t set, unsigned status, const struct signalfd_format *fmt,
                    struct kobj **out);
bool signalfd_is(struct kobj *o);
/* Replaces the set of an existing descriptor. */
void signalfd_set_mask(struct kobj *o, uint64_t set);

#endif
