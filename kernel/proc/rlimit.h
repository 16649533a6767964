/*
 * Per-process resource limits: a soft and a hard value for each resource,
 * inherited at fork and kept across exec.  Numbering is Linux's (generic
 * table).  Everyone is root for now, so raising a hard limit is allowed
 * up to what the kernel can give.
 */
#ifndef PROC_RLIMIT_H
#define PROC_RLIMIT_H

#include <stdint.h>

struct task;

#define RLIMIT_CPU        0
#define RLIMIT_FSIZE      1
#define RLIMIT_DATA       2
#define RLIMIT_STACK      3
#define RLIMIT_CORE       4
#define RLIMIT_RSS        5
#define RLIMIT_NPROC      6
#define RLIMIT_NOFILE     7
#define RLIMIT_MEMLOCK    8
#define RLIMIT_AS         9
#define RLIMIT_LOCKS      10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE   12
#define RLIMIT_NICE       13
#define RLIMIT_RTPRIO     14
#define RLIMIT_RTTIME     15
#define RLIMIT_NLIMITS    16
#define RLIM_INFINITY     (~0ULL)

struct krlimit {
	uint64_t cur, max;
};

/* The limits of a process that inherited none (init, kernel threads). */
void rlimit_init_defaults(struct krlimit *lim);
/* Reads and/or sets resource res of t (NULL pointers skip that part).
 * EINVAL for a bad resource or cur > max; EPERM for a hard limit the
 * kernel cannot honour (RLIMIT_NOFILE above the handle table size). */
int rlimit_get_set(struct task *t, int res, const struct krlimit *set, struct krlimit *old);

#endif
