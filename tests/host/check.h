/*
 * Checks for the standalone host test programs (vfs, ext2, fat, xv6):
 * a failed check prints where and why and marks the current test failed;
 * the program counts passed and failed tests itself.
 */
#ifndef TESTS_HOST_CHECK_H
#define TESTS_HOST_CHECK_H

#include <stdio.h>
#include <string.h>

static int npass __attribute__((unused)), nfail, cur_fail;

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #c);             \
			cur_fail = 1;                                                              \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (a_ != b_) {                                                                    \
			printf("  %s:%d: %s is %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, \
			       b_);                                                                \
			cur_fail = 1;                                                              \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (strcmp(a_, b_) != 0) {                                                         \
			printf("  %s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
			       a_, b_);                                                            \
			cur_fail = 1;                                                              \
		}                                                                                  \
	} while (0)

#endif
