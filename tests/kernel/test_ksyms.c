/*
 * Kernel symbol table (core/ksyms.h, built by tools/mksyms.sh).
 */
#include "core/kernel.h"
#include "core/ksyms.h"
#include "core/ktest.h"
#include "mm/page.h"

void kmain(unsigned long hartid, uint64_t dtb);

KTEST(ksyms_exact_and_offset)
{
	uint64_t off = 99;
	const char *name = ksym_lookup((uint64_t)kmain, &off);
	KT_CHECK(name != NULL);
	KT_CHECK(name && strcmp(name, "kmain") == 0);
	KT_CHECK(off == 0);

	off = 99;
	name = ksym_lookup((uint64_t)kmain + 6, &off);
	KT_CHECK(name && strcmp(name, "kmain") == 0);
	KT_CHECK(off == 6);

	off = 99;
	name = ksym_lookup((uint64_t)page_alloc, &off);
	KT_CHECK(name && strcmp(name, "page_alloc") == 0);
	KT_CHECK(off == 0);

	off = 99;
	name = ksym_lookup((uint64_t)ktest_run_all + 2, &off);
	KT_CHECK(name && strcmp(name, "ktest_run_all") == 0);
	KT_CHECK(off == 2);
}

KTEST(ksyms_first_symbol)
{
	extern char __kernel_start[];
	uint64_t off = 99;
	const char *name = ksym_lookup((uint64_t)__kernel_start, &off);
	/* __kernel_start and _start share the first address */
	KT_CHECK(name != NULL);
	KT_CHECK(name && (strcmp(name, "_start") == 0 || strcmp(name, "__kernel_start") == 0));
	KT_CHECK(off == 0);
}

KTEST(ksyms_outside_kernel)
{
	uint64_t off = 0;
	/* user and low physical addresses are below every kernel symbol */
	KT_CHECK(ksym_lookup(0, &off) == NULL);
	KT_CHECK(ksym_lookup(0x10000, &off) == NULL);
	KT_CHECK(ksym_lookup(0x80200000, &off) == NULL);
}
