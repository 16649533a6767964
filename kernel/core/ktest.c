/*
 * Runner for in-kernel unit tests (see ktest.h).
 */
#include "core/ktest.h"

extern const struct ktest __ktests_start[], __ktests_end[];

int ktest_run_all(void)
{
	int passed = 0, failed = 0;
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		int failures = 0;
		t->fn(&failures);
		printk("%s %s\n", failures ? "FAIL" : "ok", t->name);
		if (failures)
			failed++;
		else
			passed++;
	}
	printk("ktest: %d passed, %d failed\n", passed, failed);
	return failed;
}
