/*
 * Linux memory calls of the first part: brk, anonymous mmap, munmap.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "arch/riscv64/memlayout.h"
#include "mm/vm.h"
#include "proc/task.h"

LINUX_SYSCALL(brk)
{
	LINUX_UNUSED();
	struct mm *mm = current()->mm;
	return (long)(a0 ? vm_brk(mm, a0) : mm->brk);
}

LINUX_SYSCALL(mmap)
{
	LINUX_UNUSED();
	struct mm *mm = current()->mm;
	uint64_t len = ALIGN_UP(a1, PAGE_SIZE);
	unsigned prot = (unsigned)a2, flags = (unsigned)a3;
	if (len == 0 || len < a1 || (a0 & (PAGE_SIZE - 1) && (flags & MAP_FIXED)))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		printk("linux: pid %d: file mappings are not implemented yet\n", current()->pid);
		return -ENOSYS;
	}
	if (!(flags & MAP_PRIVATE) || (prot & ~(unsigned)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	return vm_mmap_anon(mm, a0, len, prot, flags & MAP_FIXED);
}

LINUX_SYSCALL(munmap)
{
	LINUX_UNUSED();
	return vm_unmap(current()->mm, a0, a1);
}

LINUX_SYSCALL(mprotect)
{
	LINUX_UNUSED();
	if (a2 & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	return vm_protect(current()->mm, a0, a1, (unsigned)a2);
}
