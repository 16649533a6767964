/*
 * Interval timers as Linux gives them: setitimer/getitimer for
 * ITIMER_REAL (SIGALRM, wall time), ITIMER_VIRTUAL (SIGVTALRM, the
 * process's user CPU time) and ITIMER_PROF (SIGPROF, its CPU time), their
 * errors, old values, periods, glibc's alarm(); they belong to the
 * process (a thread sees another's, CPU time of every thread counts), a
 * fork child starts without them, exec keeps them.
 *
 * Exec: where qemu-user cannot run a riscv64 file directly (no
 * binfmt_misc), the program re-executes itself through
 * qemu-riscv64-static, so the host kernel's exec still decides what
 * survives it.  Timings: only orderings and generous bounds.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

#define QEMU "/usr/bin/qemu-riscv64-static"

extern char **environ;
static char self[4096];

static int64_t now_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t tv_ns(struct timeval tv)
{
	return (int64_t)tv.tv_sec * 1000000000 + tv.tv_usec * 1000;
}

static struct itimerval itv(long value_us, long interval_us)
{
	struct itimerval v = {{interval_us / 1000000, interval_us % 1000000},
	                      {value_us / 1000000, value_us % 1000000}};
	return v;
}

static volatile sig_atomic_t got[65];
static siginfo_t last_info;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got[sig]++;
	last_info = *si;
}

static void catch (int sig)
{
	struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO};
	sigaction(sig, &sa, NULL);
}

/* Waits (sleeping) up to 20 s for got[sig] to reach n. */
static int wait_count(int sig, int n)
{
	int64_t end = now_ns(CLOCK_MONOTONIC) + 20LL * 1000000000;
	while (got[sig] < n && now_ns(CLOCK_MONOTONIC) < end) {
		struct timespec d = {0, 2000000};
		nanosleep(&d, NULL);
	}
	return got[sig] >= n;
}

/* Spins in user mode until got[sig] reaches n (20 s at most). */
static int spin_until(int sig, int n)
{
	int64_t end = now_ns(CLOCK_MONOTONIC) + 20LL * 1000000000;
	while (got[sig] < n)
		if (now_ns(CLOCK_MONOTONIC) > end)
			return 0;
	return 1;
}

static void test_errors(void)
{
	struct itimerval v = itv(0, 0), o;
	CHECK_ERR(getitimer(3, &o), EINVAL);
	CHECK_ERR(getitimer(-1, &o), EINVAL);
	CHECK_ERR(setitimer(3, &v, &o), EINVAL);
	CHECK_ERR(setitimer(-1, &v, NULL), EINVAL);
	v.it_value.tv_usec = 1000000;
	CHECK_ERR(setitimer(ITIMER_REAL, &v, &o), EINVAL);
	v.it_value.tv_usec = -1;
	CHECK_ERR(setitimer(ITIMER_REAL, &v, &o), EINVAL);
	v = itv(0, 0);
	v.it_value.tv_sec = -1;
	CHECK_ERR(setitimer(ITIMER_VIRTUAL, &v, &o), EINVAL);
	v = itv(0, 0);
	v.it_interval.tv_usec = 2000000;
	CHECK_ERR(setitimer(ITIMER_PROF, &v, &o), EINVAL);
	CHECK_ERR(getitimer(ITIMER_REAL, (struct itimerval *)8), EFAULT);
	v = itv(0, 0);
	CHECK_ERR(syscall(SYS_setitimer, ITIMER_REAL, (void *)8, NULL), EFAULT);
	/* no new value: the timer stops (Linux accepts it) */
	v = itv(5000000, 0);
	CHECK_EQ(setitimer(ITIMER_REAL, &v, NULL), 0);
	CHECK_EQ(syscall(SYS_setitimer, ITIMER_REAL, NULL, NULL), 0);
	CHECK_EQ(getitimer(ITIMER_REAL, &o), 0);
	CHECK(o.it_value.tv_sec == 0 && o.it_value.tv_usec == 0);
}

static void test_values(void)
{
	struct itimerval v = itv(3000000, 500000), o;
	CHECK_EQ(setitimer(ITIMER_REAL, &v, NULL), 0);
	CHECK_EQ(getitimer(ITIMER_REAL, &o), 0);
	CHECK(tv_ns(o.it_value) > 1000000000LL && tv_ns(o.it_value) <= 3000000000LL);
	CHECK_EQ(tv_ns(o.it_interval), 500000000);
	CHECK(o.it_value.tv_usec >= 0 && o.it_value.tv_usec < 1000000);
	/* the old value comes back; a zero value stops the timer and, for
	 * ITIMER_REAL, forgets the period */
	v = itv(0, 700000);
	CHECK_EQ(setitimer(ITIMER_REAL, &v, &o), 0);
	CHECK(tv_ns(o.it_value) > 1000000000LL && tv_ns(o.it_value) <= 3000000000LL);
	CHECK_EQ(tv_ns(o.it_interval), 500000000);
	CHECK_EQ(getitimer(ITIMER_REAL, &o), 0);
	CHECK_EQ(tv_ns(o.it_value), 0);
	CHECK_EQ(tv_ns(o.it_interval), 0);
	/* ... but a CPU-time one keeps it */
	v = itv(0, 1000000);
	CHECK_EQ(setitimer(ITIMER_VIRTUAL, &v, NULL), 0);
	CHECK_EQ(getitimer(ITIMER_VIRTUAL, &o), 0);
	CHECK_EQ(tv_ns(o.it_value), 0);
	CHECK_EQ(tv_ns(o.it_interval), 1000000000);
	/* a CPU-time timer counts CPU time: a sleep leaves it where it was
	 * (Linux adds up to a tick to the first expiry) */
	v = itv(2000000, 0);
	CHECK_EQ(setitimer(ITIMER_PROF, &v, NULL), 0);
	struct timespec nap = {0, 100000000};
	nanosleep(&nap, NULL);
	CHECK_EQ(getitimer(ITIMER_PROF, &o), 0);
	CHECK(tv_ns(o.it_value) > 1900000000LL && tv_ns(o.it_value) <= 2100000000LL);
	v = itv(0, 0);
	CHECK_EQ(setitimer(ITIMER_PROF, &v, &o), 0);
	CHECK(tv_ns(o.it_value) > 1900000000LL && tv_ns(o.it_value) <= 2100000000LL);
	CHECK_EQ(setitimer(ITIMER_VIRTUAL, &v, NULL), 0);
}

static void test_real(void)
{
	catch (SIGALRM);
	got[SIGALRM] = 0;
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	struct itimerval v = itv(100000, 0);
	CHECK_EQ(setitimer(ITIMER_REAL, &v, NULL), 0);
	CHECK(wait_count(SIGALRM, 1));
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 100000000); /* never early */
	CHECK_EQ(last_info.si_code, SI_KERNEL);
	CHECK_EQ(last_info.si_pid, 0);
	struct itimerval o;
	CHECK_EQ(getitimer(ITIMER_REAL, &o), 0); /* one-shot: over */
	CHECK_EQ(tv_ns(o.it_value), 0);

	/* periodic */
	got[SIGALRM] = 0;
	t0 = now_ns(CLOCK_MONOTONIC);
	v = itv(20000, 20000);
	CHECK_EQ(setitimer(ITIMER_REAL, &v, NULL), 0);
	CHECK(wait_count(SIGALRM, 5));
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 5 * 20000000LL - 1000000);
	CHECK_EQ(getitimer(ITIMER_REAL, &o), 0);
	CHECK(tv_ns(o.it_value) > 0 && tv_ns(o.it_value) <= 20000000);
	CHECK_EQ(tv_ns(o.it_interval), 20000000);
	v = itv(0, 0);
	CHECK_EQ(setitimer(ITIMER_REAL, &v, NULL), 0);
	int n = got[SIGALRM];
	struct timespec nap = {0, 100000000};
	nanosleep(&nap, NULL);
	CHECK_EQ(got[SIGALRM], n); /* stopped */

	/* a sleep is cut short by it */
	v = itv(50000, 0);
	CHECK_EQ(setitimer(ITIMER_REAL, &v, NULL), 0);
	struct timespec req = {10, 0}, rem = {0, 0};
	CHECK_ERR(nanosleep(&req, &rem), EINTR);
	CHECK(rem.tv_sec >= 5 && rem.tv_sec <= 10);
}

static void test_alarm(void)
{
	catch (SIGALRM);
	CHECK_EQ(alarm(0), 0);
	CHECK_EQ(alarm(5), 0);
	unsigned left = alarm(7);
	CHECK(left >= 4 && left <= 5);
	struct itimerval o;
	CHECK_EQ(getitimer(ITIMER_REAL, &o), 0);
	CHECK(o.it_value.tv_sec >= 5 && o.it_value.tv_sec <= 7);
	CHECK_EQ(alarm(0), 7);
	CHECK_EQ(getitimer(ITIMER_REAL, &o), 0);
	CHECK_EQ(tv_ns(o.it_value), 0);

	got[SIGALRM] = 0;
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	alarm(1);
	sigset_t none;
	sigemptyset(&none);
	while (!got[SIGALRM])
		sigsuspend(&none);
	int64_t took = now_ns(CLOCK_MONOTONIC) - t0;
	CHECK(took >= 1000000000LL && took < 20000000000LL);
}

static void test_cpu_timers(void)
{
	catch (SIGVTALRM);
	catch (SIGPROF);
	/* a sleeping process uses no CPU time: nothing fires */
	got[SIGVTALRM] = got[SIGPROF] = 0;
	struct itimerval v = itv(50000, 0);
	CHECK_EQ(setitimer(ITIMER_VIRTUAL, &v, NULL), 0);
	CHECK_EQ(setitimer(ITIMER_PROF, &v, NULL), 0);
	struct timespec nap = {0, 300000000};
	nanosleep(&nap, NULL);
	CHECK_EQ(got[SIGVTALRM], 0);
	CHECK_EQ(got[SIGPROF], 0);
	/* spinning uses it */
	int64_t c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(spin_until(SIGVTALRM, 1));
	CHECK(spin_until(SIGPROF, 1));
	CHECK(now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0 >= 40000000);
	CHECK_EQ(last_info.si_code, SI_KERNEL);

	/* periodic */
	got[SIGPROF] = 0;
	v = itv(10000, 10000);
	CHECK_EQ(setitimer(ITIMER_PROF, &v, NULL), 0);
	CHECK(spin_until(SIGPROF, 4));
	struct itimerval o;
	CHECK_EQ(getitimer(ITIMER_PROF, &o), 0);
	CHECK_EQ(tv_ns(o.it_interval), 10000000);
	v = itv(0, 0);
	CHECK_EQ(setitimer(ITIMER_PROF, &v, NULL), 0);
}

static volatile int spinner_stop;
static pthread_t spinner;

static void *spin_thread(void *arg)
{
	(void)arg;
	while (!spinner_stop)
		;
	return NULL;
}

static void *set_alarm_thread(void *arg)
{
	(void)arg;
	struct itimerval v = itv(4000000, 0);
	setitimer(ITIMER_REAL, &v, NULL);
	return NULL;
}

/* The timers belong to the process. */
static void test_threads(void)
{
	pthread_t t;
	CHECK_EQ(pthread_create(&t, NULL, set_alarm_thread, NULL), 0);
	pthread_join(t, NULL);
	struct itimerval o, zero = itv(0, 0);
	CHECK_EQ(getitimer(ITIMER_REAL, &o), 0);
	CHECK(tv_ns(o.it_value) > 2000000000LL && tv_ns(o.it_value) <= 4000000000LL);
	CHECK_EQ(setitimer(ITIMER_REAL, &zero, NULL), 0);

	/* another thread's CPU time runs this thread's process timer; the
	 * signal goes to the process (here the only thread not blocking it) */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGPROF);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	spinner_stop = 0;
	CHECK_EQ(pthread_create(&spinner, NULL, spin_thread, NULL), 0);
	int64_t mine = now_ns(CLOCK_THREAD_CPUTIME_ID);
	struct itimerval v = itv(100000, 0);
	CHECK_EQ(setitimer(ITIMER_PROF, &v, NULL), 0);
	struct timespec limit = {20, 0};
	siginfo_t si;
	CHECK_EQ(sigtimedwait(&set, &si, &limit), SIGPROF);
	CHECK(now_ns(CLOCK_THREAD_CPUTIME_ID) - mine < 50000000); /* we slept */
	spinner_stop = 1;
	pthread_join(spinner, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void test_fork(void)
{
	struct itimerval v = itv(5000000, 1000000), o;
	CHECK_EQ(setitimer(ITIMER_REAL, &v, NULL), 0);
	v = itv(5000000, 0);
	CHECK_EQ(setitimer(ITIMER_VIRTUAL, &v, NULL), 0);
	pid_t pid = fork();
	if (pid == 0) {
		int bad = 0;
		for (int w = 0; w < 3; w++) {
			getitimer(w, &o);
			bad |= tv_ns(o.it_value) != 0 || tv_ns(o.it_interval) != 0;
		}
		_exit(bad);
	}
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK_EQ(st, 0);
	CHECK_EQ(getitimer(ITIMER_REAL, &o), 0); /* the parent's stay */
	CHECK(tv_ns(o.it_value) > 0);
	v = itv(0, 0);
	setitimer(ITIMER_REAL, &v, NULL);
	setitimer(ITIMER_VIRTUAL, &v, NULL);
}

/* After exec: ITIMER_REAL and ITIMER_PROF set before it still run. */
static int after_exec(void)
{
	struct itimerval o;
	getitimer(ITIMER_REAL, &o);
	int ok = tv_ns(o.it_value) > 0 && tv_ns(o.it_value) <= 30000000000LL &&
	         tv_ns(o.it_interval) == 1000000000;
	getitimer(ITIMER_PROF, &o);
	ok &= tv_ns(o.it_value) > 0 && tv_ns(o.it_value) <= 30100000000LL;
	return ok ? 0 : 1;
}

static void test_exec(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct itimerval v = itv(30000000, 1000000);
		setitimer(ITIMER_REAL, &v, NULL);
		v = itv(30000000, 0);
		setitimer(ITIMER_PROF, &v, NULL);
		char *av[] = {self, "after-exec", NULL};
		execve(self, av, environ);
		if (errno != ENOEXEC)
			_exit(100 + errno);
		char *qv[] = {QEMU, self, "after-exec", NULL};
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

int main(int argc, char **argv)
{
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0)
		self[n] = 0;
	if (argc > 1 && !strcmp(argv[1], "after-exec"))
		return after_exec();
	test_errors();
	test_values();
	test_real();
	test_alarm();
	test_cpu_timers();
	test_threads();
	test_fork();
	test_exec();
	return ltest_done("itimer");
}
