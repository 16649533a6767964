/*
 * The kernel's own function symbols, embedded at link time (see
 * tools/mksyms.sh), for symbolized backtraces.
 */
#ifndef CORE_KSYMS_H
#define CORE_KSYMS_H

#include <stdint.h>

/* Name of the function containing addr and addr's offset in it, or NULL. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#endif
