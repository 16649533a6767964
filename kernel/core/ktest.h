/*
 * In-kernel unit tests.  KTEST(name) { ... } registers a test in section
 * .ktests; booting with "ktest" on the command line runs them all instead
 * of init and reports "ktest: N passed, M failed" through the QEMU exit
 * status.  KT_CHECK records a failure and continues.
 */
#ifndef CORE_KTEST_H
#define CORE_KTEST_H

#include "core/kernel.h"

struct ktest {
	const char *name;
	void (*fn)(int *failures);
};

#define KTEST(tname)                                                                               \
	static void ktest_fn_##tname(int *ktest_failures);                                         \
	static const struct ktest ktest_##tname                                                    \
	    __attribute__((used, section(".ktests"), aligned(8))) = {.name = #tname,               \
	                                                             .fn = ktest_fn_##tname};      \
	static void ktest_fn_##tname(int *ktest_failures)

#define KT_CHECK(cond)                                                                             \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printk("  check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);         \
			(*ktest_failures)++;                                                       \
		}                                                                                  \
	} while (0)

/* Runs every registered test; returns the number that failed. */
int ktest_run_all(void);

#endif
