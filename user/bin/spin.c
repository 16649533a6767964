/*
 * spin [seconds]: burns CPU for the given monotonic time (default 1,
 * decimals allowed) and prints the iterations done, to check that several
 * spinners run in parallel on several CPUs.  It also prints its time on a
 * CPU (the kernel's count, not the host's): two spinners sharing one CPU
 * get about half their wall time each, however busy the host is.
 */
#include <ctype.h>
#include <scarlet.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long long parse_ns(const char *s)
{
	long long sec = 0, frac = 0, scale = 100000000;
	int any = 0;

	for (; isdigit((unsigned char)*s); s++, any = 1)
		sec = sec * 10 + (*s - '0');
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++, any = 1, scale /= 10)
			frac += (*s - '0') * scale;
	return any && *s == '\0' && sec < 1000000 ? sec * 1000000000 + frac : -1;
}

/* This task's time on a CPU, in ms, or -1. */
static long long own_cpu_ms(void)
{
	enum { MAX_TASKS = 512 };
	struct sc_procinfo *p = calloc(MAX_TASKS, sizeof(*p));
	long long ms = -1;
	int n = p ? sc_procinfo(p, MAX_TASKS) : -1;

	for (int i = 0; i < n; i++)
		if (p[i].pid == getpid())
			ms = (long long)(p[i].cpu_ns / 1000000);
	free(p);
	return ms;
}

int main(int argc, char **argv)
{
	long long ns = argc > 1 ? parse_ns(argv[1]) : 1000000000;
	uint64_t start, end, now;
	unsigned long long iterations = 0;
	volatile unsigned long sink = 0;
	int i;

	if (ns < 0) {
		fprintf(stderr, "usage: spin [seconds]\n");
		return 1;
	}
	start = sc_clock_ns(CLOCK_MONOTONIC);
	end = start + (uint64_t)ns;
	do {
		for (i = 0; i < 1000; i++)
			sink += (unsigned long)i;
		iterations += 1000;
		now = sc_clock_ns(CLOCK_MONOTONIC);
	} while (now < end);
	printf("spin: pid %d: %llu iterations in %llu ms, %lld ms on a cpu\n", getpid(), iterations,
	       (unsigned long long)(now - start) / 1000000, own_cpu_ms());
	return 0;
}
