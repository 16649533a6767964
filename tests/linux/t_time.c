/*
 * Time as Linux gives it: every clock_gettime clock and its resolution,
 * CPU-time clocks, gettimeofday, nanosleep and clock_nanosleep (relative,
 * absolute, interrupted with the time left), times() in 1/100 s ticks,
 * sysinfo; and their errors.  CPU-time clocks: the process's counts
 * every thread, a thread's and another process's can be read and slept
 * on, with Linux's errors for the ones that cannot.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

#define MS 1000000LL
#define CPUCLOCK(pid, thread, which)                                                               \
	((clockid_t)(((unsigned)~(pid) << 3) | ((thread) ? 4u : 0u) | (which)))

static int64_t ns_of(clockid_t id)
{
	struct timespec ts;
	if (clock_gettime(id, &ts) != 0)
		return -1;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void test_clocks(void)
{
	int64_t rt = ns_of(CLOCK_REALTIME);
	CHECK(rt > 1600000000LL * 1000000000); /* after 2020 */
	int64_t tai = ns_of(CLOCK_TAI);
	CHECK(tai >= rt && tai - rt < 60LL * 1000000000);
	int64_t rc = ns_of(CLOCK_REALTIME_COARSE);
	CHECK(rc > 0 && rc - rt < 1000000000 && rt - rc < 1000000000);

	int64_t coarse = ns_of(CLOCK_MONOTONIC_COARSE);
	int64_t mono = ns_of(CLOCK_MONOTONIC);
	int64_t raw = ns_of(CLOCK_MONOTONIC_RAW);
	int64_t boot = ns_of(CLOCK_BOOTTIME);
	CHECK(coarse > 0 && coarse <= mono && mono - coarse < 1000000000);
	CHECK(raw > 0);
	CHECK(boot >= mono);
	int64_t again = ns_of(CLOCK_MONOTONIC);
	CHECK(again >= mono);

	struct timespec ts;
	CHECK_ERR(clock_gettime((clockid_t)12345, &ts), EINVAL);
	CHECK_ERR(clock_getres((clockid_t)12345, &ts), EINVAL);
	CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)8), EFAULT);
}

static void test_resolution(void)
{
	struct timespec res;
	clockid_t fine[] = {CLOCK_REALTIME,      CLOCK_MONOTONIC,          CLOCK_BOOTTIME,
	                    CLOCK_MONOTONIC_RAW, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID};
	for (unsigned i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		CHECK_EQ(clock_getres(fine[i], &res), 0);
		CHECK_EQ(res.tv_sec, 0);
		CHECK(res.tv_nsec > 0 && res.tv_nsec <= 1000000);
	}
	CHECK_EQ(clock_getres(CLOCK_MONOTONIC_COARSE, &res), 0);
	CHECK(res.tv_sec == 0 && res.tv_nsec >= 1000000 && res.tv_nsec <= 10000000);
	CHECK_EQ(clock_getres(CLOCK_REALTIME_COARSE, &res), 0);
	CHECK(res.tv_sec == 0 && res.tv_nsec >= 1000000 && res.tv_nsec <= 10000000);
	CHECK_EQ(clock_getres(CLOCK_MONOTONIC, NULL), 0);
}

/* Spins until the CPU clock id has advanced ms milliseconds. */
static int spin_cpu(clockid_t id, long ms)
{
	int64_t start = ns_of(id), wall = ns_of(CLOCK_MONOTONIC);
	while (ns_of(id) - start < ms * 1000000) {
		if (ns_of(CLOCK_MONOTONIC) - wall > 20LL * 1000000000)
			return 0;
	}
	return 1;
}

static void test_cpu_clocks(void)
{
	int64_t wall = ns_of(CLOCK_MONOTONIC);
	int64_t p0 = ns_of(CLOCK_PROCESS_CPUTIME_ID), t0 = ns_of(CLOCK_THREAD_CPUTIME_ID);
	CHECK(p0 >= 0 && t0 >= 0);
	CHECK(spin_cpu(CLOCK_PROCESS_CPUTIME_ID, 30));
	int64_t p1 = ns_of(CLOCK_PROCESS_CPUTIME_ID), t1 = ns_of(CLOCK_THREAD_CPUTIME_ID);
	CHECK(t1 - t0 >= 25000000);
	/* one thread cannot run longer than the wall clock */
	CHECK(p1 - p0 <= ns_of(CLOCK_MONOTONIC) - wall + 2000000);

	/* a sleep takes no CPU time worth counting */
	int64_t before = ns_of(CLOCK_THREAD_CPUTIME_ID);
	struct timespec nap = {0, 100000000};
	CHECK_EQ(nanosleep(&nap, NULL), 0);
	CHECK(ns_of(CLOCK_THREAD_CPUTIME_ID) - before < 50000000);

	clockid_t mine;
	CHECK_EQ(clock_getcpuclockid(0, &mine), 0);
	CHECK(ns_of(mine) >= p1);
	CHECK_EQ(clock_getcpuclockid(getpid(), &mine), 0);
	CHECK(ns_of(mine) >= p1);
}

static volatile int spin_stop;
static volatile pid_t spin_tid;

static void *spin_thread(void *arg)
{
	(void)arg;
	spin_tid = (pid_t)syscall(SYS_gettid);
	while (!spin_stop)
		;
	return NULL;
}

/* The process clock counts every thread; thread clocks are the caller's
 * process's only; a process clock names a process, not a thread. */
static void test_process_clocks(void)
{
	pthread_t th;
	spin_stop = 0;
	spin_tid = 0;
	CHECK_EQ(pthread_create(&th, NULL, spin_thread, NULL), 0);
	while (!spin_tid)
		sched_yield();
	int64_t p0 = ns_of(CLOCK_PROCESS_CPUTIME_ID), t0 = ns_of(CLOCK_THREAD_CPUTIME_ID);
	clockid_t other;
	CHECK_EQ(pthread_getcpuclockid(th, &other), 0);
	int64_t o0 = ns_of(other);
	struct timespec nap = {0, 300 * MS};
	nanosleep(&nap, NULL);
	int64_t p1 = ns_of(CLOCK_PROCESS_CPUTIME_ID), t1 = ns_of(CLOCK_THREAD_CPUTIME_ID);
	CHECK(p1 - p0 >= 50 * MS); /* the other thread ran meanwhile */
	CHECK(t1 - t0 < 50 * MS);  /* we slept */
	CHECK(ns_of(other) - o0 >= 50 * MS);
	CHECK(ns_of(CPUCLOCK(spin_tid, 1, 1)) >= 0); /* its user time (VIRT) */
	struct timespec ts;
	CHECK_ERR(syscall(SYS_clock_gettime, CPUCLOCK(spin_tid, 0, 2), &ts), EINVAL);
	CHECK_ERR(syscall(SYS_clock_gettime, CPUCLOCK(getppid(), 1, 2), &ts), EINVAL);
	CHECK_EQ(syscall(SYS_clock_gettime, CPUCLOCK(getppid(), 0, 2), &ts), 0);
	CHECK_ERR(syscall(SYS_clock_gettime, CPUCLOCK(0, 0, 3), &ts), EINVAL);

	/* sleeping on CPU time: the process's, the other thread's */
	int64_t c0 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
	struct timespec req = {0, 60 * MS};
	CHECK_EQ(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL), 0);
	CHECK(ns_of(CLOCK_PROCESS_CPUTIME_ID) - c0 >= 60 * MS);
	struct timespec target;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &target);
	target.tv_sec += 0;
	target.tv_nsec += 50 * MS;
	if (target.tv_nsec >= 1000000000) {
		target.tv_nsec -= 1000000000;
		target.tv_sec++;
	}
	CHECK_EQ(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &target, NULL), 0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	CHECK(ts.tv_sec > target.tv_sec ||
	      (ts.tv_sec == target.tv_sec && ts.tv_nsec >= target.tv_nsec));
	int64_t s0 = ns_of(other);
	req = (struct timespec){0, 40 * MS};
	CHECK_EQ(clock_nanosleep(other, 0, &req, NULL), 0);
	CHECK(ns_of(other) - s0 >= 40 * MS);
	spin_stop = 1;
	pthread_join(th, NULL);

	/* another process's */
	pid_t pid = fork();
	if (pid == 0)
		for (;;)
			;
	clockid_t pc;
	CHECK_EQ(clock_getcpuclockid(pid, &pc), 0);
	req = (struct timespec){0, 50 * MS};
	CHECK_EQ(clock_nanosleep(pc, 0, &req, NULL), 0);
	CHECK(ns_of(pc) >= 50 * MS);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* clock_nanosleep's errors, through the system call (glibc answers some
 * itself): the alarm clocks (no RTC) and one's own thread clock are
 * refused after the request is read. */
static void test_sleep_clocks(void)
{
	struct timespec req = {0, 1000};
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL), EOPNOTSUPP);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &req, NULL), EOPNOTSUPP);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_REALTIME_COARSE, 0, &req, NULL), EOPNOTSUPP);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CPUCLOCK(0, 0, 3), 0, &req, NULL), EOPNOTSUPP);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_BOOTTIME_ALARM, 0, (void *)8, NULL), EFAULT);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_REALTIME_ALARM, 0, &req, NULL), EOPNOTSUPP);
	CHECK_ERR(syscall(SYS_clock_nanosleep, 10, 0, &req, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CPUCLOCK(getpid(), 1, 2), 0, &req, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CPUCLOCK(0, 1, 2), 0, &req, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CPUCLOCK(getppid(), 1, 2), 0, &req, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, (void *)8, NULL),
	          EFAULT);
	req = (struct timespec){0, 2000000000};
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL), EINVAL);
	req = (struct timespec){0, 0};
	CHECK_EQ(syscall(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL), 0);
	req = (struct timespec){0, 1000}; /* long past */
	CHECK_EQ(syscall(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &req, NULL),
	         0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	req = (struct timespec){0, 1000};
	CHECK_ERR(syscall(SYS_clock_nanosleep, CPUCLOCK(pid, 0, 2), 0, &req, NULL), EINVAL);
	/* TAI sleeps too */
	struct timespec target;
	clock_gettime(CLOCK_TAI, &target);
	CHECK_EQ(clock_nanosleep(CLOCK_TAI, TIMER_ABSTIME, &target, NULL), 0);
}

static void test_gettimeofday(void)
{
	struct timeval tv;
	struct {
		int minuteswest, dsttime;
	} tz = {123, 456};
	CHECK_EQ(syscall(SYS_gettimeofday, &tv, &tz), 0);
	int64_t rt = ns_of(CLOCK_REALTIME) / 1000000000;
	CHECK(tv.tv_sec <= rt && rt - tv.tv_sec <= 2);
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK_EQ(tz.minuteswest, 0);
	CHECK_EQ(tz.dsttime, 0);
	CHECK_EQ(syscall(SYS_gettimeofday, NULL, NULL), 0);
	CHECK_ERR(syscall(SYS_gettimeofday, (void *)8, NULL), EFAULT);
}

static void test_nanosleep(void)
{
	int64_t t0 = ns_of(CLOCK_MONOTONIC);
	struct timespec req = {0, 50000000}, rem = {9, 9};
	CHECK_EQ(nanosleep(&req, &rem), 0);
	int64_t took = ns_of(CLOCK_MONOTONIC) - t0;
	CHECK(took >= 50000000 && took < 2000000000);

	req = (struct timespec){0, 1000000000};
	CHECK_ERR(nanosleep(&req, NULL), EINVAL);
	req = (struct timespec){-1, 0};
	CHECK_ERR(nanosleep(&req, NULL), EINVAL);
	req = (struct timespec){0, -1};
	CHECK_ERR(nanosleep(&req, NULL), EINVAL);
	/* (qemu-user answers EINVAL for nanosleep's bad pointer, so the
	 * kernel's EFAULT is checked through clock_nanosleep) */
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (void *)8, NULL), EFAULT);
	req = (struct timespec){0, 0};
	CHECK_EQ(nanosleep(&req, NULL), 0);
}

static void test_clock_nanosleep(void)
{
	/* relative */
	int64_t t0 = ns_of(CLOCK_MONOTONIC);
	struct timespec req = {0, 30000000};
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), 0);
	CHECK(ns_of(CLOCK_MONOTONIC) - t0 >= 30000000);

	/* absolute, on the monotonic and the wall clock */
	struct timespec target;
	clock_gettime(CLOCK_MONOTONIC, &target);
	t0 = ns_of(CLOCK_MONOTONIC);
	target.tv_nsec += 40000000;
	if (target.tv_nsec >= 1000000000) {
		target.tv_nsec -= 1000000000;
		target.tv_sec++;
	}
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL), 0);
	CHECK(ns_of(CLOCK_MONOTONIC) - t0 >= 39000000);
	clock_gettime(CLOCK_REALTIME, &target);
	target.tv_sec += 0;
	target.tv_nsec = target.tv_nsec >= 970000000 ? 999999999 : target.tv_nsec + 30000000;
	CHECK_EQ(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &target, NULL), 0);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	CHECK(now.tv_sec > target.tv_sec ||
	      (now.tv_sec == target.tv_sec && now.tv_nsec >= target.tv_nsec));
	/* a time already past returns at once */
	target = (struct timespec){1, 0};
	t0 = ns_of(CLOCK_MONOTONIC);
	CHECK_EQ(clock_nanosleep(CLOCK_BOOTTIME, TIMER_ABSTIME, &target, NULL), 0);
	CHECK(ns_of(CLOCK_MONOTONIC) - t0 < 1000000000);

	/* glibc returns the error number */
	req = (struct timespec){0, 1000};
	CHECK_EQ(clock_nanosleep((clockid_t)12345, 0, &req, NULL), EINVAL);
	CHECK_EQ(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL), EINVAL);
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC_COARSE, 0, &req, NULL), ENOTSUP);
	req = (struct timespec){0, 1000000000};
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), EINVAL);
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* A signal cuts a sleep short; the time left comes back. */
static void test_interrupted_sleep(void)
{
	struct sigaction sa = {.sa_handler = on_usr1};
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	for (int relative_clock = 0; relative_clock < 3; relative_clock++) {
		pid_t parent = getpid(), pid = fork();
		CHECK(pid >= 0);
		if (pid < 0)
			break;
		if (pid == 0) {
			struct timespec d = {0, 150000000};
			nanosleep(&d, NULL);
			kill(parent, SIGUSR1);
			_exit(0);
		}
		struct timespec req = {5, 0}, rem = {0, 0};
		got_usr1 = 0;
		if (relative_clock == 2) { /* CPU time: almost none passes */
			CHECK_EQ(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, &rem), EINTR);
			CHECK(rem.tv_sec >= 4 && rem.tv_sec <= 5);
		} else if (relative_clock) {
			CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem), EINTR);
			CHECK(rem.tv_sec >= 2 && rem.tv_sec <= 4);
		} else {
			CHECK_ERR(nanosleep(&req, &rem), EINTR);
			CHECK(rem.tv_sec >= 2 && rem.tv_sec <= 4);
		}
		CHECK(got_usr1);
		int st;
		CHECK_EQ(waitpid(pid, &st, 0), pid);
	}
	signal(SIGUSR1, SIG_DFL);
}

static void test_times(void)
{
	struct tms a, b;
	clock_t t0 = times(&a);
	CHECK(t0 != (clock_t)-1);
	struct timespec nap = {0, 200000000};
	nanosleep(&nap, NULL);
	CHECK(spin_cpu(CLOCK_PROCESS_CPUTIME_ID, 100));
	clock_t t1 = times(&b);
	CHECK(t1 - t0 >= 29 && t1 - t0 < 2000); /* 0.3 s at least, in 1/100 s */
	long cpu = (b.tms_utime + b.tms_stime) - (a.tms_utime + a.tms_stime);
	CHECK(cpu >= 8 && cpu <= t1 - t0 + 2);
	CHECK(b.tms_cutime >= 0 && b.tms_cstime >= 0);
	CHECK(times(NULL) != (clock_t)-1);
	CHECK_ERR(syscall(SYS_times, (void *)8), EFAULT);
}

static void test_sysinfo(void)
{
	struct sysinfo si;
	memset(&si, 0xff, sizeof(si));
	CHECK_EQ(sysinfo(&si), 0);
	int64_t up = ns_of(CLOCK_BOOTTIME) / 1000000000;
	CHECK(si.uptime >= up - 1 && si.uptime <= up + 2);
	CHECK(si.mem_unit >= 1);
	CHECK(si.totalram > 0);
	CHECK(si.freeram > 0 && si.freeram <= si.totalram);
	CHECK((unsigned long long)si.totalram * si.mem_unit >= 16ULL << 20);
	CHECK(si.procs >= 1);
	CHECK(si.freeswap <= si.totalswap);
	CHECK_ERR(sysinfo((struct sysinfo *)8), EFAULT);
}

int main(void)
{
	test_clocks();
	test_resolution();
	test_cpu_clocks();
	test_process_clocks();
	test_sleep_clocks();
	test_gettimeofday();
	test_nanosleep();
	test_clock_nanosleep();
	test_interrupted_sleep();
	test_times();
	test_sysinfo();
	return ltest_done("time");
}
