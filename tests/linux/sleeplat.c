/*
 * sleeplat [N]: how late sleeps and timers wake, measured, never
 * asserted (the tests only check that they are never early).  For each
 * kind and length, N runs (default 40): the overshoot past the asked time
 * on CLOCK_MONOTONIC, as "kind length: min/median/max us late".
 *
 *   nanosleep, clock_nanosleep relative and TIMER_ABSTIME,
 *   a POSIX timer's signal (timer_create + sigwaitinfo),
 *   ITIMER_REAL's SIGALRM (setitimer + sigwaitinfo).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

#define MAXN 1000

static int64_t now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct timespec ts_of(int64_t ns)
{
	return (struct timespec){ns / 1000000000, ns % 1000000000};
}

static int cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

enum kind { NANOSLEEP, CLOCK_REL, CLOCK_ABS, POSIX_TIMER, ITIMER, KINDS };
static const char *const names[KINDS] = {"nanosleep", "clock_nanosleep", "clock_nanosleep_abs",
                                         "timer_create", "setitimer"};

/* One wait of ns in the way of kind; returns how late it woke. */
static int64_t once(enum kind k, int64_t ns, timer_t timer, sigset_t *set)
{
	int64_t t0 = now();
	struct timespec d = ts_of(ns), abs = ts_of(t0 + ns);
	struct itimerspec its = {{0, 0}, d};
	struct itimerval itv = {{0, 0}, {ns / 1000000000, ns % 1000000000 / 1000}};
	switch (k) {
	case NANOSLEEP:
		nanosleep(&d, NULL);
		break;
	case CLOCK_REL:
		clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL);
		break;
	case CLOCK_ABS:
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
		break;
	case POSIX_TIMER:
		timer_settime(timer, 0, &its, NULL);
		sigwaitinfo(set, NULL);
		break;
	case ITIMER:
		setitimer(ITIMER_REAL, &itv, NULL);
		sigwaitinfo(set, NULL);
		break;
	default:
		break;
	}
	return now() - t0 - ns;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 40;
	if (n < 1 || n > MAXN)
		n = 40;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN};
	timer_t timer;
	if (timer_create(CLOCK_MONOTONIC, &ev, &timer) != 0) {
		perror("timer_create");
		return 1;
	}
	static const int64_t lengths[] = {100000, 1000000, 5000000, 25000000};
	static int64_t late[MAXN];
	for (int k = 0; k < KINDS; k++) {
		for (unsigned l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
			for (int i = 0; i < n; i++)
				late[i] = once((enum kind)k, lengths[l], timer, &set);
			qsort(late, (size_t)n, sizeof(late[0]), cmp);
			printf("%s %lld us: %lld/%lld/%lld us late\n", names[k],
			       (long long)(lengths[l] / 1000), (long long)(late[0] / 1000),
			       (long long)(late[n / 2] / 1000), (long long)(late[n - 1] / 1000));
			fflush(stdout);
		}
	}
	return 0;
}
