/*
 * What the Linux waiting calls share (sys_poll.c): timeouts given as a
 * timespec, and the signal mask held during a wait.
 */
#ifndef ABI_LINUX_LPOLL_H
#define ABI_LINUX_LPOLL_H

#include <stdbool.h>
#include <stdint.h>

/* When to stop waiting: no deadline (forever), now (a zero timeout), or
 * a monotonic deadline. */
struct poll_timeout {
	bool forever;
	bool zero;
	uint64_t deadline;
};

/* Reads the user's timespec (0: forever).  EFAULT, or EINVAL for a
 * negative time or nanoseconds out of range. */
long poll_read_timeout(uint64_t uts, struct poll_timeout *t);
/* A timeout of ms milliseconds (negative: forever). */
void poll_timeout_ms(int ms, struct poll_timeout *t);
/* The signal mask to hold while waiting (umask 0: keep the current one).
 * Returns 1 when a mask was put in force: poll_sigmask_end must follow
 * with the wait's result, which it returns. */
long poll_sigmask_begin(uint64_t umask, uint64_t size);
long poll_sigmask_end(long masked, long r);

#endif
