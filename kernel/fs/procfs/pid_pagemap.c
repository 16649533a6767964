/*
 * /proc/PID/pagemap: one 64-bit entry per virtual page, at file offset
 * (address / page size) * 8, as Linux's (Documentation/admin-guide/mm/
 * pagemap.rst): bit 63 present, 61 file page or shared anonymous, 56
 * mapped exclusively (a present private anonymous page: Scarlet does not
 * count mappings), bits 0-54 the page frame number, which only an
 * administrator sees (others read 0 there, as on Linux since 4.2).
 * Nothing is swapped and there is no soft-dirty tracking, so bits 62 and
 * 55 are 0.  Reads must start at and cover a multiple of 8 bytes
 * (EINVAL); past the end of the user address space there is nothing.
 */
#include "arch/riscv64/memlayout.h"
#include "fs/procfs/procfs_impl.h"
#include "mm/vm.h"
#include "proc/cred.h"

#define PM_PRESENT    (1UL << 63)
#define PM_FILE       (1UL << 61)
#define PM_EXCLUSIVE  (1UL << 56)
#define PM_PFN_MASK   ((1UL << 55) - 1)
#define PAGEMAP_CHUNK 64

static uint64_t entry_of(const struct vm_page_state *st, bool show_pfn)
{
	uint64_t e = 0;

	if (!st->mapped)
		return 0;
	if (st->file || st->shared)
		e |= PM_FILE;
	if (st->present) {
		e |= PM_PRESENT;
		if (!st->file && !st->shared)
			e |= PM_EXCLUSIVE;
		if (show_pfn)
			e |= st->pfn & PM_PFN_MASK;
	}
	return e;
}

ssize_t proc_read_pid_pagemap(const struct proc_node *n, struct iobuf *io, uint64_t off)
{
	struct vm_page_state st[PAGEMAP_CHUNK];
	uint64_t entries[PAGEMAP_CHUNK];
	bool show_pfn = cred_capable(cred_current(), CAP_SYS_ADMIN);
	struct proc_task pt;
	ssize_t done = 0;
	int err;

	if (off % 8 || io->len % 8)
		return -EINVAL;
	err = proc_task_get(n->pid, &pt);
	if (err < 0)
		return err;
	uint64_t page = off / 8, last = USER_TOP / PAGE_SIZE;
	while (pt.mm && io->len > 0 && page < last) {
		size_t count = MIN((size_t)PAGEMAP_CHUNK, MIN(io->len / 8, (size_t)(last - page)));
		vm_page_states(pt.mm, page * PAGE_SIZE, count, st);
		for (size_t i = 0; i < count; i++)
			entries[i] = entry_of(&st[i], show_pfn);
		err = iobuf_put(io, entries, count * 8);
		if (err < 0)
			break;
		done += (ssize_t)(count * 8);
		page += count;
	}
	proc_task_put(&pt);
	return done > 0 || err == 0 ? done : err;
}
