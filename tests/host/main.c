/*
 * Host test runner: runs every registered TEST (or those whose name
 * contains argv[1]) and prints one line per test, then
 * "host: N passed, M failed".  Exits non-zero if any test failed.
 */
#include <stdarg.h>
#include <stdio.h>

#include "tests/host/test.h"

#define MAX_REPORTED 20

static struct test_case *first, **last = &first;
static int current_failures;

void test_register(struct test_case *tc)
{
	*last = tc;
	last = &tc->next;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (current_failures++ >= MAX_REPORTED)
		return;
	printf("  %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int test_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

void test_srand(unsigned long long seed)
{
	rng_state = seed ? seed : 1;
}

unsigned long long test_rand(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int matches(const char *name, const char *filter)
{
	for (; *name; name++) {
		const char *n = name, *f = filter;
		while (*f && *n == *f) {
			n++;
			f++;
		}
		if (!*f)
			return 1;
	}
	return !*filter;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : "";
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (struct test_case *tc = first; tc; tc = tc->next) {
		if (!matches(tc->name, filter))
			continue;
		current_failures = 0;
		test_srand(0x5ca41e7ULL);
		tc->fn();
		if (current_failures) {
			printf("FAIL %s\n", tc->name);
			failed++;
		} else {
			printf("ok %s\n", tc->name);
			passed++;
		}
	}
	printf("host: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
