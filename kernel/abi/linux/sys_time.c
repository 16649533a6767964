/*
 * Linux clocks, sleeping, process times, system information and
 * randomness.
 *
 * Clocks: REALTIME (and TAI, with no leap-second offset) is the RTC time
 * read at boot advanced by the timer; MONOTONIC, MONOTONIC_RAW and
 * BOOTTIME are the timer (nothing suspends, nothing slews it); the
 * COARSE ones read the same clocks and report the scheduler tick as
 * their resolution.  CPU-time clocks count the time a task ran, user and
 * system together: tasks keep one total.
 */
#include "abi/linux/linux.h"
#include "core/time.h"
#include "dev/random.h"
#include "mm/page.h"
#include "proc/sched.h"
#include "proc/task.h"

#define LINUX_CLOCK_REALTIME           0
#define LINUX_CLOCK_MONOTONIC          1
#define LINUX_CLOCK_PROCESS_CPUTIME_ID 2
#define LINUX_CLOCK_THREAD_CPUTIME_ID  3
#define LINUX_CLOCK_MONOTONIC_RAW      4
#define LINUX_CLOCK_REALTIME_COARSE    5
#define LINUX_CLOCK_MONOTONIC_COARSE   6
#define LINUX_CLOCK_BOOTTIME           7
#define LINUX_CLOCK_TAI                11
#define LINUX_TIMER_ABSTIME            1

#define NSEC_PER_SEC  1000000000LL
#define CLK_TCK       100 /* AT_CLKTCK: times() counts in 1/100 s */
#define NSEC_PER_TICK (NSEC_PER_SEC / CLK_TCK)
#define GETRANDOM_MAX 4096

struct linux_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct linux_tms {
	int64_t utime, stime, cutime, cstime;
};

struct linux_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	uint32_t pad3;
};

_Static_assert(sizeof(struct linux_sysinfo) == 112, "struct sysinfo is 112 bytes");

/* ------------------------------------------------------------ clocks */

/* CPU time of t, counting the running slice when t is the caller. */
static int64_t task_cpu_ns(struct task *t)
{
	uint64_t ns = t->cpu_ns;
	if (t == current())
		ns += time_monotonic_ns() - t->last_run_start;
	return (int64_t)ns;
}

/* A clock id below 0 names another task's CPU clock: ~pid << 3, the
 * per-thread bit 4, and the kind in the low two bits (0 PROF, 1 VIRT,
 * 2 SCHED).  pid 0 is the caller. */
static int other_cpu_clock(int32_t id, int64_t *ns)
{
	pid_t pid = ~(id >> 3);
	if ((id & 3) == 3)
		return -EINVAL;
	if (pid == 0 || pid == current()->pid) {
		*ns = task_cpu_ns(current());
		return 0;
	}
	spin_lock(&task_tree_lock);
	struct task *t = task_find(pid);
	int r = t && t->state != TASK_ZOMBIE ? 0 : -EINVAL;
	if (r == 0)
		*ns = (int64_t)t->cpu_ns;
	spin_unlock(&task_tree_lock);
	return r;
}

/* Reads clock id; -EINVAL for an unknown one. */
static int clock_read(int32_t id, int64_t *ns)
{
	if (id < 0)
		return other_cpu_clock(id, ns);
	switch (id) {
	case LINUX_CLOCK_REALTIME:
	case LINUX_CLOCK_REALTIME_COARSE:
	case LINUX_CLOCK_TAI:
		*ns = time_realtime_ns();
		return 0;
	case LINUX_CLOCK_MONOTONIC:
	case LINUX_CLOCK_MONOTONIC_RAW:
	case LINUX_CLOCK_MONOTONIC_COARSE:
	case LINUX_CLOCK_BOOTTIME:
		*ns = (int64_t)time_monotonic_ns();
		return 0;
	case LINUX_CLOCK_PROCESS_CPUTIME_ID:
	case LINUX_CLOCK_THREAD_CPUTIME_ID:
		*ns = task_cpu_ns(current());
		return 0;
	}
	return -EINVAL;
}

static struct linux_timespec ns_to_timespec(int64_t ns)
{
	struct linux_timespec ts = {ns / NSEC_PER_SEC, ns % NSEC_PER_SEC};
	if (ts.tv_nsec < 0) {
		ts.tv_sec--;
		ts.tv_nsec += NSEC_PER_SEC;
	}
	return ts;
}

LINUX_SYSCALL(clock_gettime)
{
	LINUX_UNUSED();
	int64_t ns;
	int r = clock_read((int32_t)a0, &ns);
	if (r < 0)
		return r;
	struct linux_timespec ts = ns_to_timespec(ns);
	return copy_to_user((void *)a1, &ts, sizeof(ts));
}

LINUX_SYSCALL(clock_getres)
{
	LINUX_UNUSED();
	int64_t ns;
	int r = clock_read((int32_t)a0, &ns);
	if (r < 0)
		return r;
	bool coarse = a0 == LINUX_CLOCK_REALTIME_COARSE || a0 == LINUX_CLOCK_MONOTONIC_COARSE;
	struct linux_timespec res = {0, coarse ? (int64_t)SCHED_TICK_NS : 1};
	if (!a1)
		return 0;
	return copy_to_user((void *)a1, &res, sizeof(res));
}

LINUX_SYSCALL(gettimeofday)
{
	LINUX_UNUSED();
	if (a0) {
		int64_t ns = time_realtime_ns();
		struct linux_timeval tv = {ns / NSEC_PER_SEC, ns % NSEC_PER_SEC / 1000};
		if (copy_to_user((void *)a0, &tv, sizeof(tv)) < 0)
			return -EFAULT;
	}
	if (a1) {
		int32_t tz[2] = {0, 0}; /* UTC, no daylight saving */
		if (copy_to_user((void *)a1, tz, sizeof(tz)) < 0)
			return -EFAULT;
	}
	return 0;
}

/* ------------------------------------------------------------ sleeping */

/* Reads a sleep request; EFAULT, or EINVAL when it is not a time. */
static int read_request(uint64_t ureq, int64_t *ns)
{
	struct linux_timespec ts;
	if (copy_from_user(&ts, (const void *)ureq, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	*ns = ts.tv_sec > INT64_MAX / NSEC_PER_SEC - 1 ? INT64_MAX
	                                               : ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

/* Sleeps until monotonic time deadline; 0 or -EINTR. */
static int sleep_until(uint64_t deadline)
{
	struct waitqueue wq;
	wq_init(&wq, "nanosleep");
	while (time_monotonic_ns() < deadline) {
		if (wq_sleep_until(&wq, NULL, deadline) == -EINTR)
			return -EINTR;
	}
	return 0;
}

/* A relative sleep of ns; on -EINTR the time left goes to urem. */
static long sleep_relative(int64_t ns, uint64_t urem)
{
	uint64_t now = time_monotonic_ns();
	uint64_t deadline = (uint64_t)ns > UINT64_MAX - now ? UINT64_MAX : now + (uint64_t)ns;
	if (sleep_until(deadline) == 0)
		return 0;
	if (urem) {
		now = time_monotonic_ns();
		struct linux_timespec rem =
		    ns_to_timespec(deadline > now ? (int64_t)(deadline - now) : 0);
		if (copy_to_user((void *)urem, &rem, sizeof(rem)) < 0)
			return -EFAULT;
	}
	return -EINTR;
}

LINUX_SYSCALL(nanosleep)
{
	LINUX_UNUSED();
	int64_t ns;
	int r = read_request(a0, &ns);
	if (r < 0)
		return r;
	return sleep_relative(ns, a1);
}

/* Which clocks one can sleep on: -EINVAL, -EOPNOTSUPP as Linux. */
static int sleep_clock_check(int32_t id)
{
	switch (id) {
	case LINUX_CLOCK_REALTIME:
	case LINUX_CLOCK_MONOTONIC:
	case LINUX_CLOCK_BOOTTIME:
	case LINUX_CLOCK_TAI:
		return 0;
	case LINUX_CLOCK_MONOTONIC_RAW:
	case LINUX_CLOCK_REALTIME_COARSE:
	case LINUX_CLOCK_MONOTONIC_COARSE:
		return -ENOTSUP; /* EOPNOTSUPP: no sleeping on it */
	case LINUX_CLOCK_PROCESS_CPUTIME_ID:
		abi_log_missing(
		    "linux: pid %d: clock_nanosleep on a CPU-time clock is not supported\n",
		    current()->pid);
		return -EINVAL;
	}
	return -EINVAL;
}

LINUX_SYSCALL(clock_nanosleep)
{
	LINUX_UNUSED();
	int32_t id = (int32_t)a0;
	int r = sleep_clock_check(id);
	if (r < 0)
		return r;
	int64_t ns;
	r = read_request(a2, &ns);
	if (r < 0)
		return r;
	if (!(a1 & LINUX_TIMER_ABSTIME))
		return sleep_relative(ns, a3);
	/* An absolute time on the wall clock becomes a monotonic deadline. */
	int64_t now;
	clock_read(id, &now);
	if (ns <= now)
		return 0;
	uint64_t mono = time_monotonic_ns();
	uint64_t left = (uint64_t)(ns - now);
	return sleep_until(left > UINT64_MAX - mono ? UINT64_MAX : mono + left);
}

/* ------------------------------------------------------------ times, sysinfo */

LINUX_SYSCALL(times)
{
	LINUX_UNUSED();
	struct task *t = current();
	if (a0) {
		struct linux_tms tms = {
		    .utime = task_cpu_ns(t) / NSEC_PER_TICK,
		    .stime = 0,
		    .cutime = (int64_t)t->cpu_ns_children / NSEC_PER_TICK,
		    .cstime = 0,
		};
		if (copy_to_user((void *)a0, &tms, sizeof(tms)) < 0)
			return -EFAULT;
	}
	return (long)(time_monotonic_ns() / NSEC_PER_TICK);
}

static int count_task(struct task *t, void *arg)
{
	if (t->state != TASK_UNUSED)
		(*(unsigned *)arg)++;
	return 0;
}

LINUX_SYSCALL(sysinfo)
{
	LINUX_UNUSED();
	uint64_t up = time_monotonic_ns();
	unsigned procs = 0;
	task_for_each(count_task, &procs);
	struct linux_sysinfo si = {
	    .uptime = (int64_t)(up / NSEC_PER_SEC + (up % NSEC_PER_SEC ? 1 : 0)),
	    .totalram = page_total_count() * PAGE_SIZE,
	    .freeram = page_free_count() * PAGE_SIZE,
	    .procs = (uint16_t)MIN(procs, 65535u),
	    .mem_unit = 1,
	};
	return copy_to_user((void *)a0, &si, sizeof(si));
}

/* ------------------------------------------------------------ randomness */

LINUX_SYSCALL(getrandom)
{
	LINUX_UNUSED();
	uint8_t buf[256];
	size_t n = MIN(a1, (uint64_t)GETRANDOM_MAX), done = 0;
	while (done < n) {
		size_t chunk = MIN(n - done, sizeof(buf));
		random_get_bytes(buf, chunk);
		if (copy_to_user((char *)a0 + done, buf, chunk) < 0)
			return done ? (long)done : -EFAULT;
		done += chunk;
	}
	return (long)done;
}
