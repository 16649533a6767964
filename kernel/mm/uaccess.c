/*
 * User memory access through the direct map (see core/uaccess.h).
 */
#include "core/uaccess.h"

#include "core/kernel.h"
#include "core/might_sleep.h"
#include "mm/vm.h"
#include "proc/task.h"

#define FAULT_IN_MAX (64 * 1024)

/* Calls fn on each page-bounded piece of [uva, uva+n).  With nofault,
 * a page that is not present (or not writable yet) fails the copy. */
static int user_chunks(uint64_t uva, size_t n, bool write, bool nofault,
                       void (*fn)(char *kva, size_t off, size_t len, void *ctx), void *ctx)
{
	struct mm *mm = current()->mm;
	size_t done = 0;
	if (!mm)
		return -EFAULT;
	if (uva + n < uva || uva + n > USER_TOP)
		return -EFAULT;
	while (done < n) {
		uint64_t va = uva + done;
		size_t len = MIN(n - done, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		char *k = nofault ? vm_user_ptr_nofault(mm, va, write) : vm_user_ptr(mm, va, write);
		if (!k)
			return -EFAULT;
		fn(k, done, len, ctx);
		done += len;
	}
	return 0;
}

static void to_user_fn(char *kva, size_t off, size_t len, void *ctx)
{
	memcpy(kva, (const char *)ctx + off, len);
}

static void from_user_fn(char *kva, size_t off, size_t len, void *ctx)
{
	memcpy((char *)ctx + off, kva, len);
}

int copy_to_user(void *udst, const void *src, size_t n)
{
	might_sleep();
	return user_chunks((uint64_t)udst, n, true, false, to_user_fn, (void *)src);
}

int copy_from_user(void *dst, const void *usrc, size_t n)
{
	might_sleep();
	return user_chunks((uint64_t)usrc, n, false, false, from_user_fn, dst);
}

long strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	might_sleep();
	struct mm *mm = current()->mm;
	uint64_t va = (uint64_t)usrc;
	size_t i = 0;
	if (!mm)
		return -EFAULT;
	while (i < max) {
		const char *k = vm_user_ptr(mm, va + i, false);
		if (!k)
			return -EFAULT;
		size_t room = PAGE_SIZE - ((va + i) & (PAGE_SIZE - 1));
		for (size_t j = 0; j < room && i < max; j++, i++) {
			dst[i] = k[j];
			if (k[j] == '\0')
				return (long)i;
		}
	}
	return -ENAMETOOLONG;
}

/* A user iobuf's copy: faulting (which may sleep), or not (nofault). */
static int iobuf_user_copy(struct iobuf *io, bool to_user, void *kbuf, size_t n)
{
	if (!io->nofault)
		might_sleep();
	int r = user_chunks((uint64_t)io->base, n, to_user, io->nofault,
	                    to_user ? to_user_fn : from_user_fn, kbuf);
	if (r < 0 && io->nofault)
		io->faulted = true;
	return r;
}

int iobuf_put(struct iobuf *io, const void *src, size_t n)
{
	if (n > io->len)
		return -EFAULT;
	if (io->user) {
		int r = iobuf_user_copy(io, true, (void *)src, n);
		if (r < 0)
			return r;
	} else {
		memcpy(io->base, src, n);
	}
	io->base += n;
	io->len -= n;
	return 0;
}

int iobuf_get(struct iobuf *io, void *dst, size_t n)
{
	if (n > io->len)
		return -EFAULT;
	if (io->user) {
		int r = iobuf_user_copy(io, false, dst, n);
		if (r < 0)
			return r;
	} else {
		memcpy(dst, io->base, n);
	}
	io->base += n;
	io->len -= n;
	return 0;
}

int iobuf_fault_in(struct iobuf *io, bool write)
{
	might_sleep();
	struct mm *mm = current()->mm;
	uint64_t va = (uint64_t)io->base, end = va + MIN(io->len, (size_t)FAULT_IN_MAX);
	if (!io->user || !mm || io->len == 0)
		return 0;
	for (uint64_t p = va; p < end; p = ALIGN_DOWN(p, PAGE_SIZE) + PAGE_SIZE) {
		if (!vm_user_ptr(mm, p, write))
			return p == va ? -EFAULT : 0;
	}
	return 0;
}
