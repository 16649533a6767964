/*
 * Setting the wall clock as Linux allows it: clock_settime, settimeofday,
 * adjtimex and clock_adjtime; who may (root; EPERM for others, read-only
 * adjtimex for everyone), which clocks (EINVAL, EOPNOTSUPP), bad values.
 *
 * With the argument --set-clock (and only then: never on a machine whose
 * clock others use) it changes the clock as root and checks what follows:
 * the clock moves, ADJ_SETOFFSET steps it, a sleep, a timer or a timerfd
 * set for an absolute wall-clock time wakes when the clock jumps past it
 * (a timerfd with TFD_TIMER_CANCEL_ON_SET is cancelled), relative ones do
 * not move, the adjtimex bookkeeping and the time zone come back.
 * test_linux.py runs it so on Scarlet; on the host (qemu-user, the host's
 * own clock) it skips that part, which tools/linux-vm.sh runs on Debian's
 * Linux kernel in QEMU.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

#define SEC 1000000000LL
#define MS  1000000LL

static int64_t now_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

static struct timespec ns_ts(int64_t ns)
{
	return (struct timespec){ns / SEC, ns % SEC};
}

/* Runs fn in a child that has given up root (its failures print). */
static void as_nobody(void (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(2);
		fn();
		_exit(ltest_failed ? 1 : 0);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	CHECK_EQ(st, 0);
}

static void unprivileged(void)
{
	struct timespec ts = ns_ts(now_ns(CLOCK_REALTIME));
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &ts), EPERM);
	struct timeval tv = {ts.tv_sec, 0};
	CHECK_ERR(settimeofday(&tv, NULL), EPERM);
	struct timezone tz = {0, 0};
	CHECK_ERR(settimeofday(NULL, &tz), EPERM);
	/* an invalid time is refused before the permission */
	ts.tv_nsec = SEC;
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &ts), EINVAL);
	/* reading is for everyone */
	struct timex tx = {0};
	int r = adjtimex(&tx);
	CHECK(r >= 0 && r <= 5);
	CHECK_EQ(tx.tick, 10000);
	CHECK(llabs(tx.time.tv_sec - time(NULL)) <= 2);
	tx = (struct timex){.modes = ADJ_OFFSET_SS_READ};
	CHECK(adjtimex(&tx) >= 0);
	tx = (struct timex){0};
	CHECK(clock_adjtime(CLOCK_REALTIME, &tx) >= 0);
	/* changing is not */
	tx = (struct timex){.modes = ADJ_SETOFFSET};
	CHECK_ERR(adjtimex(&tx), EPERM);
	tx = (struct timex){.modes = ADJ_MAXERROR, .maxerror = 100};
	CHECK_ERR(adjtimex(&tx), EPERM);
	tx = (struct timex){.modes = ADJ_OFFSET_SINGLESHOT};
	CHECK_ERR(adjtimex(&tx), EPERM);
	tx = (struct timex){.modes = ADJ_STATUS};
	CHECK_ERR(clock_adjtime(CLOCK_REALTIME, &tx), EPERM);
	CHECK_ERR(syscall(SYS_settimeofday, &tv, NULL), EPERM);
}

/* Checks that change nothing, even as root. */
static void test_errors(void)
{
	struct timespec ts = {1, 0};
	clockid_t fixed[] = {CLOCK_MONOTONIC,          CLOCK_BOOTTIME,          CLOCK_TAI,
	                     CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW,
	                     CLOCK_REALTIME_COARSE,    (clockid_t)10,           (clockid_t)12345};
	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		CHECK_ERR(clock_settime(fixed[i], &ts), EINVAL);
	ts.tv_nsec = SEC;
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &ts), EINVAL);
	ts = (struct timespec){-1, 0};
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &ts), EINVAL);
	CHECK_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, (void *)8), EFAULT);
	struct timeval tv = {1, 1000000};
	CHECK_ERR(settimeofday(&tv, NULL), EINVAL);
	tv = (struct timeval){-1, 0};
	CHECK_ERR(settimeofday(&tv, NULL), EINVAL);
	struct timezone tz = {16 * 60, 0};
	CHECK_ERR(settimeofday(NULL, &tz), EINVAL);
	CHECK_ERR(syscall(SYS_settimeofday, (void *)8, NULL), EFAULT);
	tv = (struct timeval){1, 1000000};
	CHECK_ERR(syscall(SYS_settimeofday, &tv, NULL), EINVAL);
	tv = (struct timeval){1, -1};
	CHECK_ERR(syscall(SYS_settimeofday, &tv, NULL), EINVAL);

	struct timex tx = {0};
	CHECK_ERR(clock_adjtime(CLOCK_MONOTONIC, &tx), EOPNOTSUPP);
	CHECK_ERR(clock_adjtime(CLOCK_TAI, &tx), EOPNOTSUPP);
	CHECK_ERR(clock_adjtime(CLOCK_PROCESS_CPUTIME_ID, &tx), EOPNOTSUPP);
	CHECK_ERR(clock_adjtime((clockid_t)12345, &tx), EINVAL);
	CHECK_ERR(adjtimex((struct timex *)8), EFAULT);
	tx = (struct timex){.modes = ADJ_TICK, .tick = 1};
	CHECK_ERR(adjtimex(&tx), EINVAL);
	tx = (struct timex){.modes = ADJ_SETOFFSET, .time = {0, 1000000}};
	CHECK_ERR(adjtimex(&tx), EINVAL);
	tx = (struct timex){.modes = ADJ_SETOFFSET, .time = {0, -1}};
	CHECK_ERR(adjtimex(&tx), EINVAL);
	tx = (struct timex){.modes = ADJ_SETOFFSET | ADJ_NANO, .time = {0, SEC}};
	CHECK_ERR(adjtimex(&tx), EINVAL);
	tx = (struct timex){.modes = 0x8000}; /* singleshot bit alone */
	CHECK_ERR(adjtimex(&tx), EINVAL);

	/* the read-only state */
	tx = (struct timex){0};
	int r = adjtimex(&tx);
	CHECK(r >= 0 && r <= 5);
	CHECK_EQ(tx.precision, 1);
	CHECK_EQ(tx.tolerance, 32768000);
	CHECK_EQ(tx.tick, 10000);
	CHECK(tx.constant >= 0 && tx.constant <= 10);
	CHECK(tx.maxerror >= 0 && tx.maxerror <= 16000000);
	CHECK(tx.time.tv_usec >= 0 && tx.time.tv_usec < 1000000000);
	tx = (struct timex){.modes = ADJ_OFFSET_SS_READ, .offset = 12345};
	CHECK(adjtimex(&tx) >= 0);
	CHECK_EQ(tx.offset, 0); /* no adjtime() in progress */
}

static volatile int sleeper_done;

static void *abs_sleeper(void *arg)
{
	struct timespec *target = arg;
	int r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, target, NULL);
	sleeper_done = r == 0 ? 1 : -1;
	return NULL;
}

/* Moves the wall clock by delta ns (root). */
static int shift_clock(int64_t delta)
{
	struct timespec ts = ns_ts(now_ns(CLOCK_REALTIME) + delta);
	return clock_settime(CLOCK_REALTIME, &ts);
}

static void test_set_clock(void)
{
	int64_t mono0 = now_ns(CLOCK_MONOTONIC), real0 = now_ns(CLOCK_REALTIME);
	/* clock_settime moves REALTIME (and TAI), not MONOTONIC */
	CHECK_EQ(shift_clock(1000 * SEC), 0);
	int64_t moved = now_ns(CLOCK_REALTIME) - real0 - (now_ns(CLOCK_MONOTONIC) - mono0);
	CHECK(moved > 999 * SEC && moved < 1001 * SEC);
	CHECK(now_ns(CLOCK_TAI) - now_ns(CLOCK_REALTIME) < 60 * SEC);
	CHECK(now_ns(CLOCK_MONOTONIC) - mono0 < 60 * SEC);
	CHECK_EQ(shift_clock(-1000 * SEC), 0);
	/* settimeofday, ADJ_SETOFFSET */
	struct timeval tv;
	gettimeofday(&tv, NULL);
	tv.tv_sec += 500;
	CHECK_EQ(syscall(SYS_settimeofday, &tv, NULL), 0);
	int64_t r1 = now_ns(CLOCK_REALTIME);
	struct timex tx = {.modes = ADJ_SETOFFSET, .time = {-500, 0}};
	CHECK(adjtimex(&tx) >= 0);
	int64_t back = r1 - now_ns(CLOCK_REALTIME);
	CHECK(back > 499 * SEC && back < 501 * SEC);
	tx = (struct timex){.modes = ADJ_SETOFFSET | ADJ_NANO, .time = {-1, 999000000}};
	CHECK(adjtimex(&tx) >= 0); /* -1 ms */
	tx = (struct timex){.modes = ADJ_SETOFFSET | ADJ_NANO, .time = {0, 1000000}};
	CHECK(adjtimex(&tx) >= 0);
	int64_t drift = now_ns(CLOCK_REALTIME) - real0 - (now_ns(CLOCK_MONOTONIC) - mono0);
	CHECK(drift > -2 * SEC && drift < 2 * SEC); /* all undone */

	/* the time zone comes back from gettimeofday */
	struct timezone tz = {-60, 0}, got = {1, 1};
	CHECK_EQ(settimeofday(NULL, &tz), 0);
	CHECK_EQ(syscall(SYS_gettimeofday, &tv, &got), 0); /* glibc zeroes it */
	CHECK_EQ(got.tz_minuteswest, -60);
	tz.tz_minuteswest = 0;
	CHECK_EQ(settimeofday(NULL, &tz), 0);
}

/* A sleep and a timer for an absolute wall-clock time an hour ahead wake
 * when the clock jumps past it; relative ones do not move. */
static void test_jump(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
	timer_t abs_timer, rel_timer;
	CHECK_EQ(timer_create(CLOCK_REALTIME, &ev, &abs_timer), 0);
	ev.sigev_signo = SIGUSR2;
	CHECK_EQ(timer_create(CLOCK_REALTIME, &ev, &rel_timer), 0);
	int64_t hour = 3600 * SEC;
	struct itimerspec at = {{0, 0}, ns_ts(now_ns(CLOCK_REALTIME) + hour)};
	CHECK_EQ(timer_settime(abs_timer, TIMER_ABSTIME, &at, NULL), 0);
	struct itimerspec in = {{0, 0}, ns_ts(400 * MS)};
	CHECK_EQ(timer_settime(rel_timer, 0, &in, NULL), 0);
	int tfd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	int cfd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	CHECK(tfd >= 0 && cfd >= 0);
	CHECK_EQ(timerfd_settime(tfd, TFD_TIMER_ABSTIME, &at, NULL), 0);
	CHECK_EQ(timerfd_settime(cfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &at, NULL), 0);
	struct timespec target = ns_ts(now_ns(CLOCK_REALTIME) + hour);
	pthread_t th;
	sleeper_done = 0;
	CHECK_EQ(pthread_create(&th, NULL, abs_sleeper, &target), 0);
	struct timespec nap = {0, 100 * MS};
	nanosleep(&nap, NULL);
	CHECK_EQ(sleeper_done, 0);

	int64_t mono = now_ns(CLOCK_MONOTONIC);
	CHECK_EQ(shift_clock(hour + 10 * SEC), 0);
	siginfo_t si;
	struct timespec limit = {10, 0};
	sigset_t one;
	sigemptyset(&one);
	sigaddset(&one, SIGUSR1);
	CHECK_EQ(sigtimedwait(&one, &si, &limit), SIGUSR1);
	pthread_join(th, NULL);
	CHECK_EQ(sleeper_done, 1);
	CHECK(now_ns(CLOCK_MONOTONIC) - mono < 10 * SEC);
	uint64_t ticks = 0;
	CHECK_EQ(read(tfd, &ticks, sizeof(ticks)), 8);
	CHECK_EQ(ticks, 1);
	CHECK_ERR(read(cfd, &ticks, sizeof(ticks)), ECANCELED);
	CHECK_ERR(read(cfd, &ticks, sizeof(ticks)), EAGAIN); /* told once */
	close(tfd);
	close(cfd);
	/* the relative timer keeps its own time, whatever the clock does */
	CHECK_EQ(shift_clock(-(hour + 10 * SEC)), 0);
	sigemptyset(&one);
	sigaddset(&one, SIGUSR2);
	CHECK_EQ(sigtimedwait(&one, &si, &limit), SIGUSR2);
	int64_t took = now_ns(CLOCK_MONOTONIC) - mono;
	CHECK(took >= 250 * MS && took < 10 * SEC);
	timer_delete(abs_timer);
	timer_delete(rel_timer);
}

static void test_ntp_state(void)
{
	struct timex tx = {.modes =
	                       ADJ_MAXERROR | ADJ_ESTERROR | ADJ_STATUS | ADJ_TIMECONST | ADJ_MICRO,
	                   .maxerror = 1000,
	                   .esterror = 20,
	                   .status = 0,
	                   .constant = 3};
	CHECK(adjtimex(&tx) >= 0);
	tx = (struct timex){0};
	int r = adjtimex(&tx);
	CHECK_EQ(r, TIME_OK); /* synchronized now */
	CHECK(!(tx.status & STA_UNSYNC));
	CHECK(tx.maxerror >= 1000 && tx.maxerror < 100000);
	CHECK_EQ(tx.esterror, 20);
	CHECK_EQ(tx.constant, 7); /* microsecond mode adds 4 */
	CHECK(!(tx.status & STA_NANO));
	CHECK(tx.time.tv_usec >= 0 && tx.time.tv_usec < 1000000);
	/* zero frequency and offset: what the clock does anyway */
	tx = (struct timex){.modes = ADJ_FREQUENCY | ADJ_OFFSET, .freq = 0, .offset = 0};
	CHECK(adjtimex(&tx) >= 0);
	tx = (struct timex){.modes = ADJ_OFFSET_SINGLESHOT, .offset = 0};
	CHECK(adjtimex(&tx) >= 0);
	/* TAI offset */
	tx = (struct timex){.modes = ADJ_TAI, .constant = 37};
	CHECK(adjtimex(&tx) >= 0);
	int64_t d = now_ns(CLOCK_TAI) - now_ns(CLOCK_REALTIME);
	CHECK(d > 36 * SEC && d < 38 * SEC);
	tx = (struct timex){.modes = ADJ_TAI, .constant = 0};
	CHECK(adjtimex(&tx) >= 0);
	/* back to unsynchronized */
	tx = (struct timex){.modes = ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR,
	                    .status = STA_UNSYNC,
	                    .maxerror = 16000000,
	                    .esterror = 16000000};
	CHECK_EQ(adjtimex(&tx), TIME_ERROR);
}

int main(int argc, char **argv)
{
	as_nobody(unprivileged);
	test_errors();
	if (argc > 1 && !strcmp(argv[1], "--set-clock")) {
		test_set_clock();
		test_jump();
		test_ntp_state();
	} else {
		SKIP("setting the clock: only with --set-clock, on a machine of one's own");
	}
	return ltest_done("settime");
}
