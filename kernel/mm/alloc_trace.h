/*
 * Allocation tracing, for finding what holds memory after a workload
 * (a kernel built with `make ALLOC_TRACE=1`; nothing of it otherwise).
 *
 * Every page block and kmalloc object records the call chain that asked
 * for it (its "site") and the generation it was made in.  Writing 8 to
 * /proc/sys/vm/drop_caches starts a new generation; writing 9 prints, per
 * site, the objects and bytes made since then that are still held.  What
 * a workload leaves behind shows up by the code path that allocated it.
 */
#ifndef MM_ALLOC_TRACE_H
#define MM_ALLOC_TRACE_H

#include <stddef.h>
#include <stdint.h>

#ifdef ALLOC_TRACE
/* A record of the caller's call chain and the current generation. */
uint32_t alloc_trace_take(size_t bytes);
/* The object recorded by rec (bytes long) is freed. */
void alloc_trace_drop(uint32_t rec, size_t bytes);
void alloc_trace_mark(void);
void alloc_trace_report(void);
#endif

#endif
