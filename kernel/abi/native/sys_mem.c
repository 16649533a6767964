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
	/* the native ABI takes the address only with MAP_FIXED */
	bool fixed = flags & MAP_FIXED;
	return vm_mmap_anon(mm, fixed ? a0 : 0, len, prot, fixed);
}

SYSCALL_DEFINE(munmap)
{
	UNUSED_ARGS();
	return vm_unmap(current()->mm, a0, a1);
}
