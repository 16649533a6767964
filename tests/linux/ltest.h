/*
 * A small assertion kit for our Linux test programs.  They are built
 * static against glibc and must pass both on Scarlet and under
 * qemu-riscv64-static on the host (tools/host-linux-tests.sh), which is
 * what tells us the expectations are Linux's.
 *
 * Checks print only when they fail; ltest_done() prints the summary line
 * "ltest NAME: N passed, M failed" and gives main's exit status.
 */
#ifndef LTEST_H
#define LTEST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int ltest_passed, ltest_failed;

static inline void ltest_report(int ok, const char *what, const char *file, int line)
{
	if (ok) {
		ltest_passed++;
		return;
	}
	ltest_failed++;
	printf("FAIL %s:%d: %s (errno %d %s)\n", file, line, what, errno, strerror(errno));
	fflush(stdout);
}

/* cond must hold. */
#define CHECK(cond) ltest_report(!!(cond), #cond, __FILE__, __LINE__)

/* Two integers must be equal; prints both when not. */
#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		long long ltest_a = (long long)(a), ltest_b = (long long)(b);                      \
		if (ltest_a != ltest_b)                                                            \
			printf("  %s = %lld, %s = %lld\n", #a, ltest_a, #b, ltest_b);              \
		ltest_report(ltest_a == ltest_b, #a " == " #b, __FILE__, __LINE__);                \
	} while (0)

/* Two strings must be equal. */
#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *ltest_a = (a), *ltest_b = (b);                                         \
		int ltest_ok = ltest_a && ltest_b && strcmp(ltest_a, ltest_b) == 0;                \
		if (!ltest_ok)                                                                     \
			printf("  %s = \"%s\", %s = \"%s\"\n", #a, ltest_a ? ltest_a : "(null)",   \
			       #b, ltest_b ? ltest_b : "(null)");                                  \
		ltest_report(ltest_ok, #a " eq " #b, __FILE__, __LINE__);                          \
	} while (0)

/* expr must fail with -1 and errno err. */
#define CHECK_ERR(expr, err)                                                                       \
	do {                                                                                       \
		errno = 0;                                                                         \
		long ltest_r = (long)(expr);                                                       \
		int ltest_e = errno;                                                               \
		if (ltest_r != -1 || ltest_e != (err))                                             \
			printf("  %s returned %ld errno %d, wanted -1 errno %d (%s)\n", #expr,     \
			       ltest_r, ltest_e, (err), #err);                                     \
		ltest_report(ltest_r == -1 && ltest_e == (err), #expr " fails " #err, __FILE__,    \
		             __LINE__);                                                            \
	} while (0)

/* A part of the test that the environment cannot run (say, no terminal
 * under the host runner): said out loud, never counted as passed. */
#define SKIP(why) printf("skip %s:%d: %s\n", __FILE__, __LINE__, why)

static inline int ltest_done(const char *name)
{
	printf("ltest %s: %d passed, %d failed\n", name, ltest_passed, ltest_failed);
	fflush(stdout);
	return ltest_failed ? 1 : 0;
}

#endif
