/*
 * Native memory system calls: brk, anonymous mmap, munmap.
 */
#include <scarlet/abi.h>

#include "abi/native/native.h"
#include "mm/vm.h"
#include "proc/task.h"

SYSCALL_DEFINE(brk)
{
	UNUSED_ARGS();
	struct mm *mm = current()->mm;
	if (a0 == 0)
		return (long)mm->brk;
	return (long)vm_brk(mm, a0);
}

SYSCALL_DEFINE(mmap)
{
	UNUSED_ARGS();
	struct mm *mm = current()->mm;
	uint64_t len = ALIGN_UP(a1, PAGE_SIZE);
	unsigned prot = (unsigned)a2, flags = (unsigned)a3;
	if (len == 0 || len < a1)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -ENOTSUP; /* file mappings come with the page cache */
	if (!(flags & MAP_PRIVATE) || (prot & ~(unsigned)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	uint64_t addr = a0;
	if (flags & MAP_FIXED) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		vm_unmap(mm, addr, len);
	} else {
		addr = vm_find_free(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	int r = vm_map_anon(mm, addr, len, prot, 0);
	return r < 0 ? r : (long)addr;
}

SYSCALL_DEFINE(munmap)
{
	UNUSED_ARGS();
	return vm_unmap(current()->mm, a0, a1);
}
