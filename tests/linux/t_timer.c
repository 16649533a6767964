/*
 * POSIX timers as Linux gives them: timer_create on every clock that has
 * timers (and the errors of those that have none), SIGEV_SIGNAL with
 * its siginfo (SI_TIMER, si_value, si_timerid, si_overrun),
 * SIGEV_THREAD_ID, SIGEV_NONE, glibc's SIGEV_THREAD; timer_settime
 * (relative, TIMER_ABSTIME, periods, the old setting), timer_gettime,
 * timer_getoverrun, timer_delete; timers on CPU-time clocks (the
 * process's, a thread's, another process's); what fork and exec do to
 * them; the limit (RLIMIT_SIGPENDING, EAGAIN).
 *
 * qemu-user keeps its own table of at most 32 timers and gives the
 * program its own ids, not the kernel's: where a check needs the
 * kernel's id (si_timerid, the default si_value) it skips there.
 * Timings: only orderings and generous bounds.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

#define QEMU       "/usr/bin/qemu-riscv64-static"
#define QEMU_MAGIC 0x0caf0000 /* qemu-user's timer ids */
#define SEC        1000000000LL
#define MS         1000000LL
#define SIG        SIGRTMIN
#define CPUCLOCK(pid, thread, which)                                                               \
	((clockid_t)(((unsigned)~(pid) << 3) | ((thread) ? 4u : 0u) | (which)))

extern char **environ;
static char self[4096];
static int qemu_ids;

static int64_t now_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

static int64_t ts_ns(struct timespec ts)
{
	return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

static struct timespec ns_ts(int64_t ns)
{
	return (struct timespec){ns / SEC, ns % SEC};
}

static struct itimerspec its(int64_t value, int64_t interval)
{
	return (struct itimerspec){ns_ts(interval), ns_ts(value)};
}

static int kernel_id(timer_t t)
{
	return (int)(intptr_t)t;
}

/* A timer with SIGEV_SIGNAL sig and value v on clock c. */
static timer_t make_timer(clockid_t c, int sig, int v)
{
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = sig};
	ev.sigev_value.sival_int = v;
	timer_t t = 0;
	CHECK_EQ(timer_create(c, &ev, &t), 0);
	return t;
}

static void block(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
}

/* Waits up to ms for sig (blocked) and takes it; 0 when none came. */
static int take(int sig, siginfo_t *si, int64_t ms)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	struct timespec limit = ns_ts(ms * MS);
	int r = sigtimedwait(&s, si, &limit);
	return r == sig;
}

static void test_create_errors(void)
{
	timer_t t;
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
	CHECK_ERR(timer_create((clockid_t)12345, &ev, &t), EINVAL);
	CHECK_ERR(timer_create((clockid_t)10, &ev, &t), EINVAL);
	CHECK_ERR(timer_create(CLOCK_MONOTONIC_RAW, &ev, &t), EOPNOTSUPP);
	CHECK_ERR(timer_create(CLOCK_MONOTONIC_COARSE, &ev, &t), EOPNOTSUPP);
	CHECK_ERR(timer_create(CLOCK_REALTIME_COARSE, &ev, &t), EOPNOTSUPP);
	/* alarm clocks need an RTC to wake the system: without one (this
	 * host, Scarlet) there are none */
	CHECK_ERR(timer_create(CLOCK_REALTIME_ALARM, &ev, &t), EOPNOTSUPP);
	CHECK_ERR(timer_create(CLOCK_BOOTTIME_ALARM, &ev, &t), EOPNOTSUPP);
	ev.sigev_signo = 0;
	CHECK_ERR(timer_create(CLOCK_MONOTONIC, &ev, &t), EINVAL);
	ev.sigev_signo = 65;
	CHECK_ERR(timer_create(CLOCK_MONOTONIC, &ev, &t), EINVAL);
	ev.sigev_signo = SIGUSR1;
	ev.sigev_notify = 99;
	CHECK_ERR(timer_create(CLOCK_MONOTONIC, &ev, &t), EINVAL);
	/* a thread that is not ours */
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev._sigev_un._tid = getppid();
	CHECK_ERR(timer_create(CLOCK_MONOTONIC, &ev, &t), EINVAL);
	ev.sigev_notify = SIGEV_SIGNAL;
	CHECK_ERR(syscall(SYS_timer_create, CLOCK_MONOTONIC, (void *)8, &t), EFAULT);
	/* CPU clocks: no such process; a thread of another process */
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	CHECK_ERR(timer_create(CPUCLOCK(pid, 0, 2), &ev, &t), EINVAL);
	CHECK_ERR(timer_create(CPUCLOCK(getppid(), 1, 2), &ev, &t), EINVAL);
	CHECK_ERR(timer_create(CPUCLOCK(0, 1, 3), &ev, &t), EINVAL);
	/* ~fd << 3 | 3 names a clock device by descriptor: none has timers */
	CHECK_ERR(timer_create(CPUCLOCK(0, 0, 3), &ev, &t), EOPNOTSUPP);

	/* every clock with timers */
	clockid_t ok[] = {CLOCK_REALTIME,           CLOCK_MONOTONIC,         CLOCK_BOOTTIME,
	                  CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_TAI,
	                  CPUCLOCK(0, 0, 0),        CPUCLOCK(0, 0, 1),       CPUCLOCK(0, 1, 2)};
	for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		errno = 0;
		int r = timer_create(ok[i], &ev, &t);
		CHECK_EQ(r, 0);
		if (r == 0)
			CHECK_EQ(timer_delete(t), 0);
	}
}

static void test_bad_ids(void)
{
	timer_t t = make_timer(CLOCK_MONOTONIC, SIGUSR1, 0);
	struct itimerspec v = its(0, 0);
	v.it_value.tv_nsec = SEC;
	CHECK_ERR(timer_settime(t, 0, &v, NULL), EINVAL);
	v = its(0, 0);
	v.it_interval.tv_nsec = -1;
	CHECK_ERR(timer_settime(t, 0, &v, NULL), EINVAL);
	v = its(0, 0);
	v.it_value.tv_sec = -1;
	CHECK_ERR(timer_settime(t, 0, &v, NULL), EINVAL);
	CHECK_ERR(timer_gettime(t, (struct itimerspec *)8), EFAULT);
	CHECK_EQ(timer_delete(t), 0);
	/* the id is gone */
	v = its(SEC, 0);
	CHECK_ERR(timer_settime(t, 0, &v, NULL), EINVAL);
	CHECK_ERR(timer_gettime(t, &v), EINVAL);
	CHECK_ERR(timer_getoverrun(t), EINVAL);
	CHECK_ERR(timer_delete(t), EINVAL);
	CHECK_ERR(syscall(SYS_timer_delete, 123456), EINVAL);
	CHECK_ERR(syscall(SYS_timer_getoverrun, -1), EINVAL);
}

static void test_signal(void)
{
	block(SIG);
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIG};
	ev.sigev_value.sival_ptr = (void *)0x1234567890abcdefULL;
	timer_t t;
	CHECK_EQ(timer_create(CLOCK_MONOTONIC, &ev, &t), 0);
	qemu_ids = (kernel_id(t) & 0xffff0000) == QEMU_MAGIC;
	struct itimerspec v = its(30 * MS, 0), o;
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	CHECK_EQ(timer_gettime(t, &o), 0);
	CHECK(ts_ns(o.it_value) > 0 && ts_ns(o.it_value) <= 30 * MS);
	CHECK_EQ(ts_ns(o.it_interval), 0);
	siginfo_t si;
	CHECK(take(SIG, &si, 20000));
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 30 * MS);
	CHECK_EQ(si.si_code, SI_TIMER);
	CHECK(si.si_value.sival_ptr == (void *)0x1234567890abcdefULL);
	CHECK_EQ(si.si_overrun, 0);
	if (qemu_ids)
		SKIP("si_timerid: qemu-user gives its own timer ids");
	else
		CHECK_EQ(si.si_timerid, kernel_id(t));
	CHECK_EQ(timer_gettime(t, &o), 0); /* one-shot: over */
	CHECK_EQ(ts_ns(o.it_value), 0);
	CHECK(!take(SIG, &si, 50)); /* once */
	CHECK_EQ(timer_delete(t), 0);

	/* no sigevent: SIGALRM to the process; glibc passes one with a null
	 * si_value, the kernel itself puts the timer id there */
	block(SIGALRM);
	CHECK_EQ(timer_create(CLOCK_REALTIME, NULL, &t), 0);
	v = its(10 * MS, 0);
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	CHECK(take(SIGALRM, &si, 20000));
	CHECK_EQ(si.si_code, SI_TIMER);
	CHECK(si.si_value.sival_ptr == NULL);
	CHECK_EQ(timer_delete(t), 0);
	int kid = -1;
	CHECK_EQ(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &kid), 0);
	t = (timer_t)(intptr_t)kid;
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	CHECK(take(SIGALRM, &si, 20000));
	CHECK_EQ(si.si_code, SI_TIMER);
	if (qemu_ids)
		SKIP("default si_value: qemu-user gives its own timer ids");
	else
		CHECK_EQ(si.si_value.sival_int, kid);
	CHECK_EQ(timer_delete(t), 0);
}

/* Since Linux 6.13 the pending signal of a timer that is set again or
 * deleted is not delivered (the host's kernel, Scarlet); before (Debian
 * 13's 6.12) it still came, once.  Either way no other comes. */
static void stale_signal(int value)
{
	siginfo_t si;
	if (take(SIG, &si, 50)) {
		CHECK_EQ(si.si_code, SI_TIMER);
		CHECK_EQ(si.si_value.sival_int, value);
	}
	CHECK(!take(SIG, &si, 50));
}

static void test_periodic(void)
{
	block(SIG);
	timer_t t = make_timer(CLOCK_MONOTONIC, SIG, 7);
	struct itimerspec v = its(10 * MS, 10 * MS), o;
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	/* the signal stays pending: expirations meanwhile are overruns */
	struct timespec nap = {0, 200 * MS};
	nanosleep(&nap, NULL);
	CHECK_EQ(timer_getoverrun(t), 0); /* nothing delivered yet */
	CHECK_EQ(timer_gettime(t, &o), 0);
	CHECK(ts_ns(o.it_value) > 0 && ts_ns(o.it_value) <= 10 * MS);
	CHECK_EQ(ts_ns(o.it_interval), 10 * MS);
	siginfo_t si;
	CHECK(take(SIG, &si, 20000));
	CHECK_EQ(si.si_value.sival_int, 7);
	CHECK(si.si_overrun >= 5 && si.si_overrun <= 10000);
	CHECK_EQ(timer_getoverrun(t), si.si_overrun);
	/* then it goes on, one signal per period */
	CHECK(take(SIG, &si, 20000));
	CHECK(si.si_overrun >= 0 && si.si_overrun < 1000);
	CHECK(take(SIG, &si, 20000));

	/* a new setting returns the old one (and its pending signal goes) */
	v = its(10 * SEC, 0);
	nanosleep(&nap, NULL);
	CHECK_EQ(timer_settime(t, 0, &v, &o), 0);
	CHECK(ts_ns(o.it_value) > 0 && ts_ns(o.it_value) <= 10 * MS);
	CHECK_EQ(ts_ns(o.it_interval), 10 * MS);
	stale_signal(7);
	/* disarmed: nothing comes */
	v = its(0, 0);
	CHECK_EQ(timer_settime(t, 0, &v, &o), 0);
	CHECK(ts_ns(o.it_value) > 9 * SEC && ts_ns(o.it_value) <= 10 * SEC);
	CHECK_EQ(timer_gettime(t, &o), 0);
	CHECK_EQ(ts_ns(o.it_value), 0);
	CHECK(!take(SIG, &si, 100));

	/* deleting a timer (its pending signal goes) */
	v = its(MS, 0);
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	nanosleep(&nap, NULL);
	CHECK_EQ(timer_delete(t), 0);
	stale_signal(7);
}

static void test_absolute(void)
{
	block(SIG);
	siginfo_t si;
	clockid_t clocks[] = {CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME};
	for (unsigned i = 0; i < 3; i++) {
		timer_t t = make_timer(clocks[i], SIG, (int)i);
		int64_t target = now_ns(clocks[i]) + 50 * MS;
		struct itimerspec v = its(target, 0), o;
		CHECK_EQ(timer_settime(t, TIMER_ABSTIME, &v, NULL), 0);
		CHECK_EQ(timer_gettime(t, &o), 0); /* relative, as always */
		CHECK(ts_ns(o.it_value) > 0 && ts_ns(o.it_value) <= 50 * MS);
		CHECK(take(SIG, &si, 20000));
		CHECK(now_ns(clocks[i]) >= target);
		CHECK_EQ(si.si_value.sival_int, (int)i);
		/* a time already past: at once */
		v = its(now_ns(clocks[i]) - SEC, 0);
		CHECK_EQ(timer_settime(t, TIMER_ABSTIME, &v, NULL), 0);
		CHECK(take(SIG, &si, 5000));
		CHECK_EQ(timer_delete(t), 0);
	}
}

static void test_sigev_none(void)
{
	struct sigevent ev = {.sigev_notify = SIGEV_NONE};
	timer_t t;
	CHECK_EQ(timer_create(CLOCK_MONOTONIC, &ev, &t), 0);
	struct itimerspec v = its(60 * MS, 0), o;
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	CHECK_EQ(timer_gettime(t, &o), 0);
	CHECK(ts_ns(o.it_value) > 0 && ts_ns(o.it_value) <= 60 * MS);
	struct timespec nap = {0, 100 * MS};
	nanosleep(&nap, NULL);
	CHECK_EQ(timer_gettime(t, &o), 0); /* expired */
	CHECK_EQ(ts_ns(o.it_value), 0);
	v = its(20 * MS, 20 * MS);
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	nanosleep(&nap, NULL);
	CHECK_EQ(timer_gettime(t, &o), 0); /* a period runs on */
	CHECK(ts_ns(o.it_value) > 0 && ts_ns(o.it_value) <= 20 * MS);
	CHECK_EQ(ts_ns(o.it_interval), 20 * MS);
	CHECK_EQ(timer_delete(t), 0);
}

static volatile pid_t worker_tid;
static volatile int worker_got, worker_stop;
static siginfo_t worker_info;

/* Waits for SIG, which every thread blocks. */
static void *sig_worker(void *arg)
{
	(void)arg;
	worker_tid = (pid_t)syscall(SYS_gettid);
	siginfo_t si;
	if (take(SIG, &si, 20000)) {
		worker_info = si;
		worker_got = 1;
	}
	return NULL;
}

static void test_thread_id(void)
{
	block(SIG);
	pthread_t th;
	worker_tid = 0;
	worker_got = 0;
	CHECK_EQ(pthread_create(&th, NULL, sig_worker, NULL), 0);
	while (!worker_tid)
		sched_yield();
	struct sigevent ev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIG};
	ev._sigev_un._tid = worker_tid;
	ev.sigev_value.sival_int = 42;
	timer_t t;
	CHECK_EQ(timer_create(CLOCK_MONOTONIC, &ev, &t), 0);
	struct itimerspec v = its(20 * MS, 0);
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	pthread_join(th, NULL);
	CHECK(worker_got);
	CHECK_EQ(worker_info.si_code, SI_TIMER);
	CHECK_EQ(worker_info.si_value.sival_int, 42);
	/* it went to that thread, not to the process */
	sigset_t pending;
	sigpending(&pending);
	CHECK(!sigismember(&pending, SIG));
	CHECK_EQ(timer_delete(t), 0);
}

static volatile int thread_calls;
static volatile int thread_value;

static void on_expiry(union sigval v)
{
	thread_value = v.sival_int;
	__atomic_add_fetch(&thread_calls, 1, __ATOMIC_SEQ_CST);
}

/* glibc's SIGEV_THREAD: a helper thread takes SIGEV_THREAD_ID signals. */
static void test_sigev_thread(void)
{
	struct sigevent ev = {.sigev_notify = SIGEV_THREAD, .sigev_notify_function = on_expiry};
	ev.sigev_value.sival_int = 99;
	timer_t t;
	CHECK_EQ(timer_create(CLOCK_MONOTONIC, &ev, &t), 0);
	struct itimerspec v = its(20 * MS, 20 * MS);
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	int64_t end = now_ns(CLOCK_MONOTONIC) + 20 * SEC;
	while (__atomic_load_n(&thread_calls, __ATOMIC_SEQ_CST) < 3 &&
	       now_ns(CLOCK_MONOTONIC) < end) {
		struct timespec nap = {0, 5 * MS};
		nanosleep(&nap, NULL);
	}
	CHECK(thread_calls >= 3);
	CHECK_EQ(thread_value, 99);
	CHECK_EQ(timer_delete(t), 0);
}

static void *spin(void *arg)
{
	(void)arg;
	while (!worker_stop)
		;
	return NULL;
}

static void test_cpu_clocks(void)
{
	block(SIG);
	siginfo_t si;
	/* the process clock runs with any thread: we sleep, another spins */
	worker_stop = 0;
	pthread_t th;
	CHECK_EQ(pthread_create(&th, NULL, spin, NULL), 0);
	int64_t mine = now_ns(CLOCK_THREAD_CPUTIME_ID);
	int64_t p0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	timer_t t = make_timer(CLOCK_PROCESS_CPUTIME_ID, SIG, 1);
	struct itimerspec v = its(100 * MS, 0), o;
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	CHECK_EQ(timer_gettime(t, &o), 0);
	CHECK(ts_ns(o.it_value) > 0 && ts_ns(o.it_value) <= 100 * MS);
	CHECK(take(SIG, &si, 20000));
	CHECK_EQ(si.si_value.sival_int, 1);
	CHECK(now_ns(CLOCK_PROCESS_CPUTIME_ID) - p0 >= 100 * MS);
	CHECK(now_ns(CLOCK_THREAD_CPUTIME_ID) - mine < 50 * MS);
	/* an absolute time on it, already past: at once */
	v = its(1, 0);
	CHECK_EQ(timer_settime(t, TIMER_ABSTIME, &v, NULL), 0);
	CHECK(take(SIG, &si, 5000));
	CHECK_EQ(timer_delete(t), 0);

	/* the spinning thread's own clock */
	clockid_t tc;
	CHECK_EQ(pthread_getcpuclockid(th, &tc), 0);
	t = make_timer(tc, SIG, 2);
	v = its(50 * MS, 50 * MS);
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	CHECK(take(SIG, &si, 20000));
	CHECK_EQ(si.si_value.sival_int, 2);
	CHECK(take(SIG, &si, 20000));
	CHECK_EQ(timer_delete(t), 0);
	worker_stop = 1;
	pthread_join(th, NULL);

	/* this thread's clock does not move while it sleeps */
	t = make_timer(CLOCK_THREAD_CPUTIME_ID, SIG, 3);
	v = its(30 * MS, 0);
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	CHECK(!take(SIG, &si, 200));
	int64_t end = now_ns(CLOCK_MONOTONIC) + 20 * SEC;
	sigset_t pending;
	do /* spin until it is pending */
		sigpending(&pending);
	while (!sigismember(&pending, SIG) && now_ns(CLOCK_MONOTONIC) < end);
	CHECK(take(SIG, &si, 0));
	CHECK_EQ(si.si_value.sival_int, 3);
	CHECK_EQ(timer_delete(t), 0);

	/* another process's clock */
	pid_t pid = fork();
	if (pid == 0)
		for (;;)
			;
	clockid_t pc;
	CHECK_EQ(clock_getcpuclockid(pid, &pc), 0);
	t = make_timer(pc, SIG, 4);
	v = its(50 * MS, 0);
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	CHECK(take(SIG, &si, 20000));
	CHECK_EQ(si.si_value.sival_int, 4);
	struct timespec ts;
	CHECK_EQ(clock_gettime(pc, &ts), 0);
	CHECK(ts_ns(ts) >= 50 * MS);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	CHECK_EQ(timer_gettime(t, &o), 0);
	CHECK_EQ(timer_delete(t), 0);
}

static void test_fork(void)
{
	timer_t t = make_timer(CLOCK_MONOTONIC, SIG, 0);
	struct itimerspec v = its(10 * SEC, 0), o;
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	pid_t pid = fork();
	if (pid == 0) /* not inherited */
		_exit(timer_gettime(t, &o) == -1 && errno == EINVAL ? 0 : 1);
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK_EQ(st, 0);
	CHECK_EQ(timer_gettime(t, &o), 0);
	CHECK(ts_ns(o.it_value) > 0);
	CHECK_EQ(timer_delete(t), 0);
}

/* After exec the timer of the old image is gone, the id free again. */
static int after_exec(const char *id)
{
	struct itimerspec o;
	timer_t t = (timer_t)(intptr_t)atoi(id);
	return timer_gettime(t, &o) == -1 && errno == EINVAL ? 0 : 1;
}

static void test_exec(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		block(SIG);
		timer_t t = make_timer(CLOCK_MONOTONIC, SIG, 0);
		struct itimerspec v = its(30 * SEC, 0);
		timer_settime(t, 0, &v, NULL);
		char id[16];
		snprintf(id, sizeof(id), "%d", kernel_id(t));
		char *av[] = {self, "after-exec", id, NULL};
		execve(self, av, environ);
		if (errno != ENOEXEC)
			_exit(100 + errno);
		char *qv[] = {QEMU, self, "after-exec", id, NULL};
		execve(QEMU, qv, environ);
		_exit(100 + errno);
	}
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) >= 100)
		SKIP("cannot exec riscv64 programs here");
	else
		CHECK_EQ(st, 0);
}

static void test_limit(void)
{
	/* timers are queued signals held in advance: RLIMIT_SIGPENDING */
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit none = {0, 0};
		setrlimit(RLIMIT_SIGPENDING, &none);
		timer_t t;
		struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIG};
		errno = 0;
		int r = timer_create(CLOCK_MONOTONIC, &ev, &t);
		_exit(r == -1 && errno == EAGAIN ? 0 : 1);
	}
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK_EQ(st, 0);
	/* many at once (qemu-user holds 32) */
	timer_t t[20];
	for (int i = 0; i < 20; i++)
		t[i] = make_timer(CLOCK_MONOTONIC, SIG, i);
	for (int i = 0; i < 20; i++)
		CHECK_EQ(timer_delete(t[i]), 0);
}

int main(int argc, char **argv)
{
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0)
		self[n] = 0;
	if (argc > 2 && !strcmp(argv[1], "after-exec"))
		return after_exec(argv[2]);
	test_create_errors();
	test_bad_ids();
	test_signal();
	test_periodic();
	test_absolute();
	test_sigev_none();
	test_thread_id();
	test_sigev_thread();
	test_cpu_clocks();
	test_fork();
	test_exec();
	test_limit();
	return ltest_done("timer");
}
