/*
 * Linux interval timers (getitimer, setitimer: glibc's alarm() is
 * setitimer) and POSIX timers (timer_create and friends) over the
 * generic process timers of proc/ptimer.h.
 *
 * Clocks for timer_create: REALTIME and TAI (an absolute setting follows
 * changes of the wall clock), MONOTONIC, BOOTTIME (nothing suspends, so
 * it is MONOTONIC), the CPU-time clocks (one's own process or threads,
 * any process by pid); MONOTONIC_RAW and the COARSE clocks have no
 * timers (EOPNOTSUPP), nor have the ALARM ones without an RTC
 * (EOPNOTSUPP, as on a Linux without one).  glibc's SIGEV_THREAD is
 * built on SIGEV_THREAD_ID.
 */
#include <scarlet/abi.h>

#include "abi/linux/ltime.h"
#include "proc/signal.h"

#define LINUX_SIGEV_SIGNAL    0
#define LINUX_SIGEV_NONE      1
#define LINUX_SIGEV_THREAD    2
#define LINUX_SIGEV_THREAD_ID 4

struct linux_itimerval {
	struct linux_timeval interval, value;
};

struct linux_itimerspec {
	struct linux_timespec interval, value;
};

struct linux_sigevent {
	uint64_t value;
	int32_t signo;
	int32_t notify;
	union {
		int32_t tid; /* SIGEV_THREAD_ID */
		int32_t pad[12];
	};
};
_Static_assert(sizeof(struct linux_sigevent) == 64, "struct sigevent");

/* ------------------------------------------------------------ setitimer */

static bool timeval_valid(const struct linux_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

static uint64_t timeval_ns(const struct linux_timeval *tv)
{
	if (tv->tv_sec > INT64_MAX / NSEC_PER_SEC - 1)
		return INT64_MAX;
	return (uint64_t)(tv->tv_sec * NSEC_PER_SEC + tv->tv_usec * NSEC_PER_USEC);
}

static struct linux_timeval ns_timeval(uint64_t ns)
{
	return (struct linux_timeval){(int64_t)(ns / NSEC_PER_SEC),
	                              (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC)};
}

static int itimerval_out(uint64_t uaddr, const struct ptimer_spec *spec)
{
	struct linux_itimerval v = {ns_timeval(spec->interval_ns), ns_timeval(spec->value_ns)};
	return copy_to_user((void *)uaddr, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

LINUX_SYSCALL(getitimer)
{
	LINUX_UNUSED();
	struct ptimer_spec cur;
	int r = itimer_get((int)a0, &cur);
	return r < 0 ? r : itimerval_out(a1, &cur);
}

LINUX_SYSCALL(setitimer)
{
	LINUX_UNUSED();
	struct linux_itimerval v = {0}; /* no new value: stop it, as Linux */
	if (a1 && copy_from_user(&v, (const void *)a1, sizeof(v)) < 0)
		return -EFAULT;
	if (!timeval_valid(&v.value) || !timeval_valid(&v.interval))
		return -EINVAL;
	struct ptimer_spec set = {timeval_ns(&v.value), timeval_ns(&v.interval)}, old;
	int r = itimer_set((int)a0, &set, &old);
	if (r < 0 || !a2)
		return r;
	return itimerval_out(a2, &old);
}

/* ------------------------------------------------------------ POSIX timers */

/* The clock of a timer: 0, or -EINVAL, -EOPNOTSUPP as Linux. */
static int timer_clock(int32_t id, struct ptimer_clock *clk)
{
	if (id < 0 && (id & 7) == 3)
		return -ENOTSUP; /* a clock device by fd (~fd << 3 | 3): none has timers */
	int cpu = linux_cpu_clock(id, clk);
	if (cpu)
		return cpu < 0 ? cpu : 0;
	*clk = (struct ptimer_clock){.kind = PTC_MONOTONIC};
	switch (id) {
	case LINUX_CLOCK_REALTIME:
	case LINUX_CLOCK_TAI: /* same offset as REALTIME until adjtimex moves it */
		clk->kind = PTC_REALTIME;
		return 0;
	case LINUX_CLOCK_MONOTONIC:
	case LINUX_CLOCK_BOOTTIME:
		return 0;
	case LINUX_CLOCK_MONOTONIC_RAW:
	case LINUX_CLOCK_REALTIME_COARSE:
	case LINUX_CLOCK_MONOTONIC_COARSE:
	case LINUX_CLOCK_REALTIME_ALARM:
	case LINUX_CLOCK_BOOTTIME_ALARM:
		return -ENOTSUP;
	}
	return -EINVAL;
}

/* Linux's good_sigevent. */
static int event_of(const struct linux_sigevent *se, struct ptimer_event *ev)
{
	*ev = (struct ptimer_event){.signo = se->signo, .value = se->value, .tid = se->tid};
	bool signo_ok = se->signo > 0 && se->signo <= SIG_MAX;
	switch (se->notify) {
	case LINUX_SIGEV_NONE:
		ev->notify = PTN_NONE;
		return 0;
	case LINUX_SIGEV_SIGNAL:
	case LINUX_SIGEV_THREAD: /* glibc never passes it; Linux takes it as SIGNAL */
		ev->notify = PTN_SIGNAL;
		return signo_ok ? 0 : -EINVAL;
	case LINUX_SIGEV_SIGNAL | LINUX_SIGEV_THREAD_ID:
		ev->notify = PTN_THREAD;
		return signo_ok && se->tid > 0 ? 0 : -EINVAL;
	}
	return -EINVAL;
}

LINUX_SYSCALL(timer_create)
{
	LINUX_UNUSED();
	struct linux_sigevent se;
	struct ptimer_event ev = {.notify = PTN_SIGNAL, .signo = SIGALRM, .value_is_id = true};
	if (a1 && copy_from_user(&se, (const void *)a1, sizeof(se)) < 0)
		return -EFAULT;
	struct ptimer_clock clk;
	int r = timer_clock((int32_t)a0, &clk);
	if (r == 0 && a1)
		r = event_of(&se, &ev);
	int id;
	if (r == 0)
		r = ptimer_create(&clk, &ev, &id);
	if (r < 0)
		return r;
	int32_t out = id;
	if (copy_to_user((void *)a2, &out, sizeof(out)) < 0) {
		ptimer_delete(id);
		return -EFAULT;
	}
	return 0;
}

static int itimerspec_out(uint64_t uaddr, const struct ptimer_spec *spec)
{
	struct linux_itimerspec v = {linux_ns_to_timespec((int64_t)spec->interval_ns),
	                             linux_ns_to_timespec((int64_t)spec->value_ns)};
	return copy_to_user((void *)uaddr, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

static bool timespec_valid(const struct linux_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NSEC_PER_SEC;
}

static uint64_t timespec_ns(const struct linux_timespec *ts)
{
	if (ts->tv_sec > INT64_MAX / NSEC_PER_SEC - 1)
		return INT64_MAX;
	return (uint64_t)(ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec);
}

LINUX_SYSCALL(timer_settime)
{
	LINUX_UNUSED();
	struct linux_itimerspec v;
	if (copy_from_user(&v, (const void *)a2, sizeof(v)) < 0)
		return -EFAULT;
	if (!timespec_valid(&v.value) || !timespec_valid(&v.interval))
		return -EINVAL;
	struct ptimer_spec set = {timespec_ns(&v.value), timespec_ns(&v.interval)}, old;
	int r = ptimer_settime((int)a0, a1 & LINUX_TIMER_ABSTIME, &set, &old);
	if (r < 0 || !a3)
		return r;
	return itimerspec_out(a3, &old);
}

LINUX_SYSCALL(timer_gettime)
{
	LINUX_UNUSED();
	struct ptimer_spec cur;
	int r = ptimer_gettime((int)a0, &cur);
	return r < 0 ? r : itimerspec_out(a1, &cur);
}

LINUX_SYSCALL(timer_getoverrun)
{
	LINUX_UNUSED();
	return ptimer_getoverrun((int)a0);
}

LINUX_SYSCALL(timer_delete)
{
	LINUX_UNUSED();
	return ptimer_delete((int)a0);
}
