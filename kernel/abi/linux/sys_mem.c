/*
 * Linux memory calls: brk, mmap (anonymous, shared anonymous, files,
 * /dev/zero), munmap, mprotect, mremap, msync, madvise, mincore and the
 * mlock family.  Argument checks follow Linux's order of errors; the work
 * is done by kernel/mm (vm.h, pcache.h).
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "arch/riscv64/memlayout.h"
#include "fs/vfs.h"
#include "mm/vm.h"
#include "obj/kobj.h"
#include "proc/cred.h"
#include "proc/task.h"

/* mmap flags (asm-generic/mman.h, mman-common.h, linux/mman.h) */
#define L_MAP_SHARED          0x01
#define L_MAP_PRIVATE         0x02
#define L_MAP_SHARED_VALIDATE 0x03
#define L_MAP_TYPE            0x0f
#define L_MAP_FIXED           0x10
#define L_MAP_ANONYMOUS       0x20
#define L_MAP_GROWSDOWN       0x100
#define L_MAP_DENYWRITE       0x800
#define L_MAP_EXECUTABLE      0x1000
#define L_MAP_LOCKED          0x2000
#define L_MAP_NORESERVE       0x4000
#define L_MAP_POPULATE        0x8000
#define L_MAP_NONBLOCK        0x10000
#define L_MAP_STACK           0x20000
#define L_MAP_HUGETLB         0x40000
#define L_MAP_SYNC            0x80000
#define L_MAP_FIXED_NOREPLACE 0x100000
#define L_MAP_UNINITIALIZED   0x4000000
/* what MAP_SHARED_VALIDATE knows; anything else is EOPNOTSUPP */
#define L_MAP_KNOWN                                                                                \
	(L_MAP_TYPE | L_MAP_FIXED | L_MAP_ANONYMOUS | L_MAP_GROWSDOWN | L_MAP_DENYWRITE |          \
	 L_MAP_EXECUTABLE | L_MAP_LOCKED | L_MAP_NORESERVE | L_MAP_POPULATE | L_MAP_NONBLOCK |     \
	 L_MAP_STACK | L_MAP_HUGETLB | L_MAP_FIXED_NOREPLACE | L_MAP_UNINITIALIZED)
#define L_PROT_SEM 0x8

#define L_MREMAP_MAYMOVE   1
#define L_MREMAP_FIXED     2
#define L_MREMAP_DONTUNMAP 4

#define L_MS_ASYNC      1
#define L_MS_INVALIDATE 2
#define L_MS_SYNC       4

#define L_MADV_NORMAL     0
#define L_MADV_RANDOM     1
#define L_MADV_SEQUENTIAL 2
#define L_MADV_WILLNEED   3
#define L_MADV_DONTNEED   4
#define L_MADV_FREE       8
#define L_MADV_HUGEPAGE   14
#define L_MADV_NOHUGEPAGE 15
#define L_MADV_DONTDUMP   16
#define L_MADV_DODUMP     17
#define L_MADV_COLD       20
#define L_MADV_PAGEOUT    21

#define L_MCL_CURRENT   1
#define L_MCL_FUTURE    2
#define L_MCL_ONFAULT   4
#define L_MLOCK_ONFAULT 1

#define PAGE_MASK_LOW (PAGE_SIZE - 1)

/* RLIMIT_MEMLOCK's soft value. */
static uint64_t memlock_limit(void)
{
	struct krlimit lim;
	rlimit_get_set(current(), RLIMIT_MEMLOCK, NULL, &lim);
	return lim.cur;
}

/* False (EPERM) when the caller may lock nothing at all: a zero limit. */
static bool may_lock_any(void)
{
	return cred_capable(cred_current(), CAP_IPC_LOCK) || memlock_limit() != 0;
}

/* Locking more bytes (not locked yet) stays within the limit. */
static bool lock_fits(struct mm *mm, uint64_t more)
{
	uint64_t limit = memlock_limit(), locked = vm_locked_bytes(mm, 0, USER_TOP) + more;
	if (cred_capable(cred_current(), CAP_IPC_LOCK) || limit == RLIM_INFINITY)
		return true;
	return locked / PAGE_SIZE <= limit / PAGE_SIZE;
}

/* Linux's numbers; guarded, as another part may add them to errno.h */
#ifndef EOVERFLOW
#define EOVERFLOW 75
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP 95
#endif

LINUX_SYSCALL(brk)
{
	LINUX_UNUSED();
	struct mm *mm = current()->mm;
	return (long)(a0 ? vm_brk(mm, a0) : mm->brk);
}

static long do_mmap(struct kobj *o, uint64_t addr, uint64_t len, unsigned prot, unsigned flags,
                    uint64_t off)
{
	unsigned type = flags & L_MAP_TYPE, vflags = 0;
	uint64_t alen = ALIGN_UP(len, PAGE_SIZE);
	if (flags & L_MAP_HUGETLB) {
		abi_log_missing("linux: pid %d: mmap MAP_HUGETLB is not supported\n",
		                current()->pid);
		return -EINVAL;
	}
	if (len == 0 || (prot & ~(unsigned)(PROT_READ | PROT_WRITE | PROT_EXEC | L_PROT_SEM)))
		return -EINVAL;
	if (alen < len)
		return -ENOMEM;
	if ((off >> PAGE_SHIFT) + (alen >> PAGE_SHIFT) < (off >> PAGE_SHIFT))
		return -EOVERFLOW;
	if (type != L_MAP_SHARED && type != L_MAP_PRIVATE && type != L_MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == L_MAP_SHARED_VALIDATE && (flags & ~(unsigned)L_MAP_KNOWN))
		return -EOPNOTSUPP; /* MAP_SYNC included: no DAX here */
	/* Linux's mmap_min_addr (its default, 4096): page 0 stays unmapped */
	if ((flags & (L_MAP_FIXED | L_MAP_FIXED_NOREPLACE)) && addr < PAGE_SIZE)
		return -EPERM;
	bool shared = type != L_MAP_PRIVATE;
	struct vnode *vn = NULL;
	if (o) {
		long r = vm_mmap_object(o, prot, shared, &vn, &vflags);
		if (r < 0)
			return r;
	}
	vflags |= shared ? VM_MAP_SHARED : 0;
	if (flags & L_MAP_FIXED_NOREPLACE)
		vflags |= VM_MAP_NOREPLACE;
	else if (flags & L_MAP_FIXED)
		vflags |= VM_MAP_FIXED;
	if (flags & (L_MAP_POPULATE | L_MAP_LOCKED))
		vflags |= VM_MAP_POPULATE;
	struct mm *mm = current()->mm;
	if ((flags & L_MAP_LOCKED) || mm->lock_new) {
		/* Linux: EPERM without any lock allowance, EAGAIN over the limit */
		long r = !may_lock_any() ? -EPERM : !lock_fits(mm, alen) ? -EAGAIN : 0;
		if (r < 0) {
			if (vn)
				vnode_put(vn);
			return r;
		}
		vflags |= VM_MAP_LOCKED;
	}
	/* MAP_GROWSDOWN, MAP_STACK and MAP_NORESERVE need nothing here: areas
	 * are demand-zero and never reserved */
	if (mm->populate_new)
		vflags |= VM_MAP_POPULATE;
	long r = vm_mmap(mm, addr, alen, prot & ~(unsigned)L_PROT_SEM, vflags, vn,
	                 vn ? off >> PAGE_SHIFT : 0);
	if (vn)
		vnode_put(vn);
	return r;
}

LINUX_SYSCALL(mmap)
{
	LINUX_UNUSED();
	unsigned flags = (unsigned)a3;
	struct kobj *o = NULL;
	if (a5 & PAGE_MASK_LOW)
		return -EINVAL;
	if (!(flags & L_MAP_ANONYMOUS) && !(o = linux_fd_get((int)a4)))
		return -EBADF;
	long r = do_mmap(o, a0, a1, (unsigned)a2, flags, a5);
	if (o)
		kobj_put(o);
	return r;
}

LINUX_SYSCALL(munmap)
{
	LINUX_UNUSED();
	return vm_unmap(current()->mm, a0, a1);
}

LINUX_SYSCALL(mprotect)
{
	LINUX_UNUSED();
	if (a2 & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC | L_PROT_SEM))
		return -EINVAL;
	if (a0 & PAGE_MASK_LOW)
		return -EINVAL;
	if (ALIGN_UP(a1, PAGE_SIZE) < a1)
		return -ENOMEM;
	return vm_protect(current()->mm, a0, a1, (unsigned)a2 & ~(unsigned)L_PROT_SEM);
}

LINUX_SYSCALL(mremap)
{
	LINUX_UNUSED();
	uint64_t old = a0, old_len = a1, new_len = a2, new_addr = a4;
	unsigned flags = (unsigned)a3;
	if (flags & ~(unsigned)(L_MREMAP_MAYMOVE | L_MREMAP_FIXED | L_MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & L_MREMAP_FIXED) && !(flags & L_MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & L_MREMAP_DONTUNMAP) {
		abi_log_missing("linux: pid %d: mremap MREMAP_DONTUNMAP is not supported\n",
		                current()->pid);
		return -EINVAL;
	}
	if (old & PAGE_MASK_LOW)
		return -EINVAL;
	if (ALIGN_UP(old_len, PAGE_SIZE) < old_len || ALIGN_UP(new_len, PAGE_SIZE) < new_len ||
	    new_len == 0)
		return -EINVAL;
	unsigned vflags = ((flags & L_MREMAP_MAYMOVE) ? VM_REMAP_MAYMOVE : 0) |
	                  ((flags & L_MREMAP_FIXED) ? VM_REMAP_FIXED : 0);
	return vm_mremap(current()->mm, old, old_len, new_len, vflags, new_addr);
}

LINUX_SYSCALL(msync)
{
	LINUX_UNUSED();
	uint64_t start = a0, end = a0 + ALIGN_UP(a1, PAGE_SIZE);
	unsigned flags = (unsigned)a2;
	if (flags & ~(unsigned)(L_MS_ASYNC | L_MS_INVALIDATE | L_MS_SYNC))
		return -EINVAL;
	if ((start & PAGE_MASK_LOW) || ((flags & L_MS_ASYNC) && (flags & L_MS_SYNC)))
		return -EINVAL;
	if (end < start || ALIGN_UP(a1, PAGE_SIZE) < a1)
		return -ENOMEM;
	/* Linux refuses to invalidate locked pages */
	if ((flags & L_MS_INVALIDATE) && vm_range_locked(current()->mm, start, end))
		return -EBUSY;
	/* MS_ASYNC and MS_INVALIDATE: read/write and mappings share the page
	 * cache, so there is nothing to schedule or to invalidate */
	return vm_msync(current()->mm, start, end, flags & L_MS_SYNC);
}

/* The page range [*start, *end) of an advice or lock call; false on
 * overflow. */
static bool page_range(uint64_t addr, uint64_t len, uint64_t *start, uint64_t *end)
{
	uint64_t alen = ALIGN_UP(len, PAGE_SIZE);
	*start = addr;
	*end = addr + alen;
	return !(len && !alen) && *end >= *start;
}

LINUX_SYSCALL(madvise)
{
	LINUX_UNUSED();
	struct mm *mm = current()->mm;
	uint64_t start, end;
	int advice = (int)a2;
	switch (advice) {
	case L_MADV_NORMAL:
	case L_MADV_RANDOM:
	case L_MADV_SEQUENTIAL:
	case L_MADV_WILLNEED:
	case L_MADV_DONTNEED:
	case L_MADV_FREE:
	case L_MADV_HUGEPAGE:
	case L_MADV_NOHUGEPAGE:
	case L_MADV_DONTDUMP: /* core dumps write no memory yet */
	case L_MADV_DODUMP:
	case L_MADV_COLD: /* nothing is ever paged out */
	case L_MADV_PAGEOUT:
		break;
	default:
		abi_log_missing("linux: pid %d: madvise advice %d is not supported\n",
		                current()->pid, advice);
		return -EINVAL;
	}
	if ((a0 & PAGE_MASK_LOW) || !page_range(a0, a1, &start, &end))
		return -EINVAL;
	if (start == end)
		return 0;
	if (advice == L_MADV_DONTNEED)
		return vm_dontneed(mm, start, end);
	if (advice == L_MADV_FREE)
		return vm_free_anon(mm, start, end);
	/* the rest are hints about access patterns and page sizes */
	return vm_range_mapped(mm, start, end) ? 0 : -ENOMEM;
}

LINUX_SYSCALL(mincore)
{
	LINUX_UNUSED();
	struct mm *mm = current()->mm;
	uint64_t start = a0, npages = ALIGN_UP(a1, PAGE_SIZE) / PAGE_SIZE;
	uint8_t vec[256];
	if (start & PAGE_MASK_LOW)
		return -EINVAL;
	if (start + a1 < start || start + a1 > USER_TOP)
		return -ENOMEM;
	for (uint64_t done = 0; done < npages;) {
		uint64_t n = MIN(npages - done, (uint64_t)sizeof(vec));
		int r = vm_mincore(mm, start + done * PAGE_SIZE, n, vec);
		if (r < 0)
			return r;
		if (copy_to_user((uint8_t *)a2 + done, vec, n) < 0)
			return -EFAULT;
		done += n;
	}
	return 0;
}

/*
 * mlock and friends: nothing is ever paged out, so locking is marking
 * the areas locked (VmLck, msync's EBUSY) and making the pages present
 * (unless only on fault), within RLIMIT_MEMLOCK for all but root (who
 * has CAP_IPC_LOCK on Linux), in Linux's order of checks.
 */

static long lock_range(uint64_t addr, uint64_t len, bool lock, bool populate)
{
	uint64_t start = ALIGN_DOWN(addr, PAGE_SIZE), end;
	struct mm *mm = current()->mm;
	if (lock && !may_lock_any())
		return -EPERM;
	if (!page_range(start, len + (addr & PAGE_MASK_LOW), &start, &end))
		return -EINVAL;
	if (lock && !lock_fits(mm, (end - start) - vm_locked_bytes(mm, start, end)))
		return -ENOMEM;
	if (start == end)
		return 0;
	long r = vm_set_locked(mm, start, end, lock);
	if (r == 0 && populate)
		r = vm_populate(mm, start, end);
	return r;
}

LINUX_SYSCALL(mlock)
{
	LINUX_UNUSED();
	return lock_range(a0, a1, true, true);
}

LINUX_SYSCALL(mlock2)
{
	LINUX_UNUSED();
	if (a2 & ~(uint64_t)L_MLOCK_ONFAULT)
		return -EINVAL;
	return lock_range(a0, a1, true, !(a2 & L_MLOCK_ONFAULT));
}

LINUX_SYSCALL(munlock)
{
	LINUX_UNUSED();
	return lock_range(a0, a1, false, false);
}

LINUX_SYSCALL(mlockall)
{
	LINUX_UNUSED();
	unsigned flags = (unsigned)a0;
	struct mm *mm = current()->mm;
	if (!flags || (flags & ~(unsigned)(L_MCL_CURRENT | L_MCL_FUTURE | L_MCL_ONFAULT)) ||
	    flags == L_MCL_ONFAULT)
		return -EINVAL;
	if (!may_lock_any())
		return -EPERM;
	uint64_t limit = memlock_limit();
	if ((flags & L_MCL_CURRENT) && !cred_capable(cred_current(), CAP_IPC_LOCK) &&
	    limit != RLIM_INFINITY && vm_total_bytes(mm) / PAGE_SIZE > limit / PAGE_SIZE)
		return -ENOMEM;
	bool onfault = flags & L_MCL_ONFAULT;
	mm->lock_new = flags & L_MCL_FUTURE;
	mm->populate_new = (flags & L_MCL_FUTURE) && !onfault;
	if (!(flags & L_MCL_CURRENT))
		return 0;
	vm_set_locked_all(mm, true);
	return onfault ? 0 : vm_populate_all(mm);
}

LINUX_SYSCALL(munlockall)
{
	LINUX_UNUSED();
	struct mm *mm = current()->mm;
	mm->populate_new = false;
	mm->lock_new = false;
	vm_set_locked_all(mm, false);
	return 0;
}
