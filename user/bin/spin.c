/*
 * spin [seconds]: burns CPU for the given monotonic time (default 1,
 * decimals allowed) and prints the iterations done, to check that several
 * spinners run in parallel on several CPUs.
 */
#include <ctype.h>
#include <scarlet.h>
#include <stdio.h>
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
	printf("spin: pid %d: %llu iterations in %llu ms\n", getpid(), iterations,
	       (unsigned long long)(now - start) / 1000000);
	return 0;
}
