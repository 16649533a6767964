/*
 * Native memory system calls: brk, mmap, munmap.
 */
#include <scarlet/abi.h>

#include "abi/native/native.h"
#include "fs/vfs.h"
#include "mm/vm.h"
#include "obj/handle.h"
#include "obj/kobj.h"
#include "proc/task.h"

SYSCALL_DEFINE(brk)
{
	UNUSED_ARGS();
	struct mm *mm = current()->mm;
	if (a0 == 0)
		return (long)mm->brk;
	return (long)vm_brk(mm, a0);
}

/* Anonymous (private or shared) and file mappings, as POSIX mmap; the
 * address is taken only with MAP_FIXED. */
SYSCALL_DEFINE(mmap)
{
	UNUSED_ARGS();
	uint64_t len = ALIGN_UP(a1, PAGE_SIZE);
	unsigned prot = (unsigned)a2, flags = (unsigned)a3, vflags = 0;
	unsigned type = flags & (MAP_SHARED | MAP_PRIVATE);
	if (len == 0 || len < a1 || (a5 & (PAGE_SIZE - 1)))
		return -EINVAL;
	if ((type != MAP_SHARED && type != MAP_PRIVATE) ||
	    (prot & ~(unsigned)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	struct vnode *vn = NULL;
	if (!(flags & MAP_ANONYMOUS)) {
		struct kobj *o = handle_get(current()->handles, (int)a4);
		if (!o)
			return -EBADF;
		long r = vm_mmap_object(o, prot, type == MAP_SHARED, &vn, &vflags);
		kobj_put(o);
		if (r < 0)
			return r;
	}
	bool fixed = flags & MAP_FIXED;
	vflags |= (type == MAP_SHARED ? VM_MAP_SHARED : 0) | (fixed ? VM_MAP_FIXED : 0);
	long r =
	    vm_mmap(current()->mm, fixed ? a0 : 0, len, prot, vflags, vn, vn ? a5 / PAGE_SIZE : 0);
	if (vn)
		vnode_put(vn);
	return r;
}

SYSCALL_DEFINE(munmap)
{
	UNUSED_ARGS();
	return vm_unmap(current()->mm, a0, a1);
}
