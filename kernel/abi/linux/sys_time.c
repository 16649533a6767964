/*
 * Linux clocks, sleeping, process times, system information and
 * randomness.
 *
 * Clocks: REALTIME is the RTC time read at boot advanced by the timer,
 * which clock_settime, settimeofday and adjtimex's ADJ_SETOFFSET move
 * (proc/wallclock.h); TAI is REALTIME plus adjtimex's TAI offset;
 * MONOTONIC, MONOTONIC_RAW and BOOTTIME are the timer (nothing suspends,
 * nothing slews it); the COARSE ones read the same clocks and report the
 * scheduler tick as their resolution.  CPU-time clocks (proc/ptimer.h)
 * count the time a thread or a whole process ran; user time is kept
 * apart for the VIRT ones.  There is no RTC device for alarms: the ALARM
 * clocks are EINVAL here and EOPNOTSUPP for sleeps and timers, as on a
 * Linux without one.
 */
#include "abi/linux/ltime.h"
#include "core/time.h"
#include "dev/random.h"
#include "mm/page.h"
#include "proc/cred.h"
#include "proc/sched.h"
#include "proc/task.h"
#include "proc/thread_group.h"
#include "proc/wallclock.h"

#define CLK_TCK       100 /* AT_CLKTCK: times() counts in 1/100 s */
#define NSEC_PER_TICK (NSEC_PER_SEC / CLK_TCK)
#define GETRANDOM_MAX 4096
/* timespec64_valid_settod: the wall clock is kept 30 years short of the
 * end of 64-bit nanoseconds */
#define SETTOD_SEC_MAX (9223372036LL - 30LL * 31536000)

struct linux_tms {
	int64_t utime, stime, cutime, cstime;
};

struct linux_timezone {
	int32_t minuteswest, dsttime;
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

/* settimeofday's time zone, which gettimeofday gives back (Linux's sys_tz:
 * the kernel itself keeps UTC). */
static struct linux_timezone sys_tz;

/* ------------------------------------------------------------ clocks */

int linux_cpu_clock(int32_t id, struct ptimer_clock *clk)
{
	*clk = (struct ptimer_clock){.kind = PTC_CPU};
	if (id == LINUX_CLOCK_PROCESS_CPUTIME_ID || id == LINUX_CLOCK_THREAD_CPUTIME_ID) {
		clk->thread = id == LINUX_CLOCK_THREAD_CPUTIME_ID;
		return 1;
	}
	if (id >= 0)
		return 0;
	if ((id & 3) == 3)
		return -EINVAL; /* neither PROF, VIRT nor SCHED (or an fd clock) */
	clk->pid = ~(id >> 3);
	clk->thread = (id & 4) != 0;
	clk->user_only = (id & 3) == 1;
	return 1;
}

struct linux_timespec linux_ns_to_timespec(int64_t ns)
{
	struct linux_timespec ts = {ns / NSEC_PER_SEC, ns % NSEC_PER_SEC};
	if (ts.tv_nsec < 0) {
		ts.tv_sec--;
		ts.tv_nsec += NSEC_PER_SEC;
	}
	return ts;
}

int linux_timespec_read(uint64_t uaddr, int64_t *ns)
{
	struct linux_timespec ts;
	if (copy_from_user(&ts, (const void *)uaddr, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	*ns = ts.tv_sec > INT64_MAX / NSEC_PER_SEC - 1 ? INT64_MAX
	                                               : ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

/* Reads clock id; -EINVAL for an unknown one. */
static int clock_read(int32_t id, int64_t *ns)
{
	struct ptimer_clock clk;
	int cpu = linux_cpu_clock(id, &clk);
	if (cpu < 0)
		return cpu;
	if (cpu) {
		uint64_t v;
		int r = ptimer_cpu_clock_read(&clk, &v);
		*ns = (int64_t)v;
		return r;
	}
	switch (id) {
	case LINUX_CLOCK_REALTIME:
	case LINUX_CLOCK_REALTIME_COARSE:
		*ns = time_realtime_ns();
		return 0;
	case LINUX_CLOCK_TAI:
		*ns = time_realtime_ns() + linux_tai_offset() * NSEC_PER_SEC;
		return 0;
	case LINUX_CLOCK_MONOTONIC:
	case LINUX_CLOCK_MONOTONIC_RAW:
	case LINUX_CLOCK_MONOTONIC_COARSE:
	case LINUX_CLOCK_BOOTTIME:
		*ns = (int64_t)time_monotonic_ns();
		return 0;
	}
	return -EINVAL;
}

LINUX_SYSCALL(clock_gettime)
{
	LINUX_UNUSED();
	int64_t ns;
	int r = clock_read((int32_t)a0, &ns);
	if (r < 0)
		return r;
	struct linux_timespec ts = linux_ns_to_timespec(ns);
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
		struct linux_timezone tz = sys_tz;
		if (copy_to_user((void *)a1, &tz, sizeof(tz)) < 0)
			return -EFAULT;
	}
	return 0;
}

/* ------------------------------------------------------------ setting the clock */

/* Linux's do_sys_settimeofday64: the time (may be NULL) must be one the
 * clock can hold, the caller needs CAP_SYS_TIME (root here) even for the
 * zone alone, which must be within 15 hours. */
static int settime(const struct linux_timespec *ts, const struct linux_timezone *tz)
{
	if (ts && (ts->tv_sec < 0 || ts->tv_sec >= SETTOD_SEC_MAX || ts->tv_nsec < 0 ||
	           ts->tv_nsec >= NSEC_PER_SEC))
		return -EINVAL;
	if (!cred_capable(cred_current(), CAP_SYS_TIME))
		return -EPERM;
	if (tz && (tz->minuteswest > 15 * 60 || tz->minuteswest < -15 * 60))
		return -EINVAL;
	if (tz)
		sys_tz = *tz;
	if (ts)
		wallclock_set(ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec);
	return 0;
}

LINUX_SYSCALL(clock_settime)
{
	LINUX_UNUSED();
	int32_t id = (int32_t)a0;
	struct ptimer_clock clk;
	int cpu = linux_cpu_clock(id, &clk);
	/* Linux: only REALTIME can be set; a CPU clock named by pid says
	 * EPERM once the clock is known to exist, the others EINVAL */
	if (id != LINUX_CLOCK_REALTIME && !(cpu > 0 && id < 0))
		return -EINVAL;
	struct linux_timespec ts;
	if (copy_from_user(&ts, (const void *)a1, sizeof(ts)) < 0)
		return -EFAULT;
	if (cpu > 0) {
		uint64_t ns;
		return ptimer_cpu_clock_read(&clk, &ns) < 0 ? -EINVAL : -EPERM;
	}
	return settime(&ts, NULL);
}

LINUX_SYSCALL(settimeofday)
{
	LINUX_UNUSED();
	struct linux_timeval tv;
	struct linux_timespec ts;
	struct linux_timezone tz;
	if (a0) {
		if (copy_from_user(&tv, (const void *)a0, sizeof(tv)) < 0)
			return -EFAULT;
		if (tv.tv_usec < 0 || tv.tv_usec >= 1000000 || tv.tv_sec < 0)
			return -EINVAL;
		ts = (struct linux_timespec){tv.tv_sec, tv.tv_usec * NSEC_PER_USEC};
	}
	if (a1 && copy_from_user(&tz, (const void *)a1, sizeof(tz)) < 0)
		return -EFAULT;
	return settime(a0 ? &ts : NULL, a1 ? &tz : NULL);
}

/* ------------------------------------------------------------ sleeping */

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

static long write_left(uint64_t urem, int64_t left)
{
	struct linux_timespec rem = linux_ns_to_timespec(left > 0 ? left : 0);
	if (urem && copy_to_user((void *)urem, &rem, sizeof(rem)) < 0)
		return -EFAULT;
	return -EINTR;
}

/* A relative sleep of ns; on -EINTR the time left goes to urem. */
static long sleep_relative(int64_t ns, uint64_t urem)
{
	uint64_t now = time_monotonic_ns();
	uint64_t deadline = (uint64_t)ns > UINT64_MAX - now ? UINT64_MAX : now + (uint64_t)ns;
	if (sleep_until(deadline) == 0)
		return 0;
	now = time_monotonic_ns();
	return write_left(urem, deadline > now ? (int64_t)(deadline - now) : 0);
}

LINUX_SYSCALL(nanosleep)
{
	LINUX_UNUSED();
	int64_t ns;
	int r = linux_timespec_read(a0, &ns);
	if (r < 0)
		return r;
	return sleep_relative(ns, a1);
}

enum sleep_kind { SLEEP_MONO, SLEEP_REAL, SLEEP_CPU, SLEEP_NONE };

/* Which clocks have sleeps, as Linux: a kind, -EINVAL for no clock,
 * -EOPNOTSUPP for a clock without sleeps.  Linux looks at the request
 * before it refuses the alarm clocks (SLEEP_NONE: EOPNOTSUPP without an
 * RTC) or one's own thread clock. */
static int sleep_clock(int32_t id, struct ptimer_clock *clk)
{
	if (id < 0 && (id & 7) == 3)
		return -ENOTSUP; /* a clock device by fd: none sleeps */
	int cpu = linux_cpu_clock(id, clk);
	if (cpu < 0)
		return cpu;
	if (id == LINUX_CLOCK_THREAD_CPUTIME_ID)
		return -ENOTSUP; /* Linux's thread clock has no sleep */
	if (cpu)
		return SLEEP_CPU;
	switch (id) {
	case LINUX_CLOCK_MONOTONIC:
	case LINUX_CLOCK_BOOTTIME:
		return SLEEP_MONO;
	case LINUX_CLOCK_REALTIME:
	case LINUX_CLOCK_TAI:
		return SLEEP_REAL;
	case LINUX_CLOCK_REALTIME_ALARM: /* no RTC to wake the system */
	case LINUX_CLOCK_BOOTTIME_ALARM:
		return SLEEP_NONE;
	case LINUX_CLOCK_MONOTONIC_RAW:
	case LINUX_CLOCK_REALTIME_COARSE:
	case LINUX_CLOCK_MONOTONIC_COARSE:
		return -ENOTSUP;
	}
	return -EINVAL;
}

static long cpu_sleep(const struct ptimer_clock *clk, bool abs, int64_t ns, uint64_t urem)
{
	if (clk->thread && (clk->pid == 0 || clk->pid == current()->pid))
		return -EINVAL; /* one's own thread clock */
	uint64_t left;
	int r = ptimer_cpu_sleep(clk, abs, (uint64_t)ns, &left);
	return r == -EINTR && !abs ? write_left(urem, (int64_t)left) : r;
}

LINUX_SYSCALL(clock_nanosleep)
{
	LINUX_UNUSED();
	int32_t id = (int32_t)a0;
	bool abs = a1 & LINUX_TIMER_ABSTIME;
	struct ptimer_clock clk;
	int kind = sleep_clock(id, &clk);
	if (kind < 0)
		return kind;
	int64_t ns;
	int r = linux_timespec_read(a2, &ns);
	if (r < 0)
		return r;
	if (kind == SLEEP_NONE)
		return -ENOTSUP;
	if (kind == SLEEP_CPU)
		return cpu_sleep(&clk, abs, ns, a3);
	if (!abs)
		return sleep_relative(ns, a3);
	if (kind == SLEEP_MONO)
		return sleep_until((uint64_t)ns);
	/* the wall clock: wakes when it passes ns, however it is set meanwhile */
	if (id == LINUX_CLOCK_TAI)
		ns -= linux_tai_offset() * NSEC_PER_SEC;
	return wallclock_sleep_until(ns);
}

/* ------------------------------------------------------------ times, sysinfo */

LINUX_SYSCALL(times)
{
	LINUX_UNUSED();
	struct task *t = current();
	if (a0) {
		uint64_t cpu, user;
		thread_group_cputime(t->tg, &cpu, &user);
		spin_lock(&task_tree_lock);
		struct task *l = task_leader(t); /* children belong to the process */
		uint64_t ccpu = l->cpu_ns_children, cuser = l->user_ns_children;
		spin_unlock(&task_tree_lock);
		struct linux_tms tms = {
		    .utime = (int64_t)(user / NSEC_PER_TICK),
		    .stime = (int64_t)((cpu - user) / NSEC_PER_TICK),
		    .cutime = (int64_t)(cuser / NSEC_PER_TICK),
		    .cstime = (int64_t)((ccpu - cuser) / NSEC_PER_TICK),
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
