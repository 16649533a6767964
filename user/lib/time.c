/*
 * Time: clocks in nanoseconds from SYS_clock, sleeping with
 * SYS_nanosleep.
 */
#include <scarlet.h>
#include <time.h>
#include <unistd.h>
#include "libc.h"

#define NS_PER_SEC 1000000000ull

int clock_gettime(int clock, struct timespec *ts)
{
	uint64_t ns;

	if (SYSCALL2(SYS_clock, clock, &ns) < 0)
		return -1;
	ts->tv_sec = (time_t)(ns / NS_PER_SEC);
	ts->tv_nsec = (long)(ns % NS_PER_SEC);
	return 0;
}

time_t time(time_t *t)
{
	time_t now = (time_t)(sc_clock_ns(CLOCK_REALTIME) / NS_PER_SEC);

	if (t)
		*t = now;
	return now;
}

/* The remaining time after an interruption is measured on the monotonic clock. */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	uint64_t ns, start, spent;

	if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= (long)NS_PER_SEC) {
		errno = EINVAL;
		return -1;
	}
	ns = (uint64_t)req->tv_sec * NS_PER_SEC + (uint64_t)req->tv_nsec;
	start = sc_clock_ns(CLOCK_MONOTONIC);
	if (SYSCALL1(SYS_nanosleep, ns) == 0)
		return 0;
	if (rem) {
		spent = sc_clock_ns(CLOCK_MONOTONIC) - start;
		ns = spent < ns ? ns - spent : 0;
		rem->tv_sec = (time_t)(ns / NS_PER_SEC);
		rem->tv_nsec = (long)(ns % NS_PER_SEC);
	}
	return -1;
}

unsigned sleep(unsigned seconds)
{
	struct timespec req = {.tv_sec = seconds}, rem;

	if (nanosleep(&req, &rem) == 0)
		return 0;
	return (unsigned)rem.tv_sec + (rem.tv_nsec > 0);
}

int usleep(unsigned long usec)
{
	struct timespec req = {.tv_sec = (time_t)(usec / 1000000),
	                       .tv_nsec = (long)(usec % 1000000) * 1000};

	return nanosleep(&req, NULL);
}
