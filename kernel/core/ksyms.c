/*
 * Symbol lookup over the table tools/mksyms.sh generates.
 */
#include "core/ksyms.h"

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const uint64_t ksyms_names[];
extern const char ksyms_strtab[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;
	if (hi == 0 || addr < ksyms_addrs[0])
		return 0;
	while (hi - lo > 1) { /* largest index with ksyms_addrs[i] <= addr */
		uint64_t mid = (lo + hi) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_addrs[lo];
	return ksyms_strtab + ksyms_names[lo];
}
