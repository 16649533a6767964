/* sleep seconds...: sleeps for the sum of its arguments, decimals allowed (0.5). */
#include <ctype.h>
#include <stdio.h>
#include <time.h>

/* Parses "12", "0.25" or ".5" into nanoseconds; -1 when malformed. */
static long long parse_ns(const char *s)
{
	long long sec = 0, frac = 0, scale = 100000000;
	int any = 0;

	for (; isdigit((unsigned char)*s); s++, any = 1)
		sec = sec * 10 + (*s - '0');
	if (*s == '.') {
		for (s++; isdigit((unsigned char)*s); s++, any = 1) {
			frac += (*s - '0') * scale;
			scale /= 10;
		}
	}
	if (!any || *s != '\0' || sec > 1000000000)
		return -1;
	return sec * 1000000000 + frac;
}

int main(int argc, char **argv)
{
	long long total = 0, ns;
	struct timespec ts;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: sleep seconds...\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if ((ns = parse_ns(argv[i])) < 0) {
			fprintf(stderr, "sleep: %s: invalid time interval\n", argv[i]);
			return 1;
		}
		total += ns;
	}
	ts.tv_sec = total / 1000000000;
	ts.tv_nsec = total % 1000000000;
	while (nanosleep(&ts, &ts) < 0)
		;
	return 0;
}
