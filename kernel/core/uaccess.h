/*
 * Moving data between the kernel and user address spaces.
 *
 * User memory is reached through the kernel's direct map after looking
 * the page up (and faulting it in) in the current task's address space,
 * so the kernel itself never takes a page fault on a user address.  Every
 * function returns 0 or -EFAULT (bad or unmapped address, or no write
 * permission for copy_to_user).
 *
 * Faulting a page in may sleep (reading a file page from disk, taking the
 * file system's mutexes), so these must be called with no spinlock held
 * and interrupts on (might_sleep checks), and with no lock the fault of a
 * file mapping may need (see struct iobuf's nofault).
 */
#ifndef CORE_UACCESS_H
#define CORE_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/types.h"

int copy_to_user(void *udst, const void *src, size_t n);
int copy_from_user(void *dst, const void *usrc, size_t n);
/* Copies a NUL-terminated string of at most max-1 characters; returns its
 * length, -EFAULT, or -ENAMETOOLONG when no NUL is found within max. */
long strncpy_from_user(char *dst, const char *usrc, size_t max);

/*
 * An I/O buffer that is either in user or in kernel memory, consumed from
 * the front as data moves.  Object read/write operations take one, so the
 * same code serves system calls and in-kernel callers.
 */
struct iobuf {
	char *base;
	size_t len;
	bool user;
	/* Set by whoever hands a user iobuf to code that holds file system
	 * locks while it copies (file.c): pages not present are not faulted
	 * in; the copy fails instead and sets faulted, and the caller, with
	 * the locks dropped, calls iobuf_fault_in and goes on. */
	bool nofault;
	bool faulted;
};

static inline struct iobuf iobuf_user(void *p, size_t n)
{
	return (struct iobuf){.base = p, .len = n, .user = true};
}

static inline struct iobuf iobuf_kernel(void *p, size_t n)
{
	return (struct iobuf){.base = p, .len = n, .user = false};
}

/* Copies n bytes from src into the buffer (a read fills it), advancing. */
int iobuf_put(struct iobuf *io, const void *src, size_t n);
/* Copies n bytes out of the buffer into dst (a write drains it), advancing. */
int iobuf_get(struct iobuf *io, void *dst, size_t n);
/* Faults in the next pages of a user iobuf (at most 64 KiB), for writing
 * when `write` (the iobuf is being filled): 0 when at least the first one
 * is now present, else -EFAULT.  May sleep. */
int iobuf_fault_in(struct iobuf *io, bool write);

#endif
