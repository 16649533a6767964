/*
 * openat2: openat with its arguments in a versioned struct open_how and
 * RESOLVE_* restrictions on the path walk, which become an fs_struct
 * view's WALK_RES_* flags (lfs_at.c, fs/walk.c).  Argument checks in
 * Linux's order: the struct's size, then flags, mode and resolve.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "core/uaccess.h"
#include "obj/handle.h"
#include "proc/task.h"

#define OPEN_HOW_SIZE_VER0 24
#define OPEN_HOW_SIZE_MAX  4096 /* Linux: PAGE_SIZE */

#define LINUX_O_TMPFILE_BIT 0x400000
/* Linux's VALID_OPEN_FLAGS for riscv64 (generic values) */
#define LINUX_VALID_OPEN     0x7fffc3u
#define LINUX_O_PATH_ALLOWED (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

#define RESOLVE_NO_XDEV       0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS   0x04
#define RESOLVE_BENEATH       0x08
#define RESOLVE_IN_ROOT       0x10
#define RESOLVE_CACHED        0x20
#define RESOLVE_ALL           0x3f

struct open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

/* Linux's copy_struct_from_user: a shorter struct than ours is EINVAL
 * here (below version 0), a longer one must end in zeros (else E2BIG). */
static long copy_how(struct open_how *how, uint64_t uhow, uint64_t size)
{
	uint8_t b;

	if (size < OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	if (size > OPEN_HOW_SIZE_MAX)
		return -E2BIG;
	for (uint64_t i = sizeof(*how); i < size; i++) {
		if (copy_from_user(&b, (void *)(uhow + i), 1) < 0)
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	return copy_from_user(how, (void *)uhow, sizeof(*how)) < 0 ? -EFAULT : 0;
}

static long check_how(const struct open_how *how)
{
	uint64_t flags = how->flags;
	long r = linux_check_tmpfile((int)flags);

	if (flags & ~(uint64_t)LINUX_VALID_OPEN)
		return -EINVAL;
	if (r < 0)
		return r;
	if (how->resolve & ~(uint64_t)RESOLVE_ALL)
		return -EINVAL;
	if (how->mode & ~(uint64_t)07777)
		return -EINVAL;
	if (how->mode && !(flags & (O_CREAT | LINUX_O_TMPFILE_BIT)))
		return -EINVAL;
	if ((flags & O_PATH) && (flags & ~(uint64_t)LINUX_O_PATH_ALLOWED))
		return -EINVAL;
	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) && (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if ((how->resolve & RESOLVE_CACHED) && (flags & (O_CREAT | O_TRUNC | LINUX_O_TMPFILE_BIT)))
		return -EAGAIN;
	return 0;
}

static unsigned walk_resolve(uint64_t resolve)
{
	return ((resolve & RESOLVE_NO_XDEV) ? WALK_RES_NO_XDEV : 0) |
	       ((resolve & RESOLVE_NO_MAGICLINKS) ? WALK_RES_NO_MAGICLINKS : 0) |
	       ((resolve & RESOLVE_NO_SYMLINKS) ? WALK_RES_NO_SYMLINKS : 0) |
	       ((resolve & RESOLVE_BENEATH) ? WALK_RES_BENEATH : 0) |
	       ((resolve & RESOLVE_IN_ROOT) ? WALK_RES_IN_ROOT : 0);
}

LINUX_SYSCALL(openat2)
{
	LINUX_UNUSED();
	struct open_how how;
	long r = copy_how(&how, a2, a3);
	if (r == 0)
		r = check_how(&how);
	if (r < 0)
		return r;
	int flags = (int)how.flags;
	/* Linux may fail a cached-only lookup whenever the dentry cache
	 * cannot answer; there is no such cache here, so it always does. */
	if (how.resolve & RESOLVE_CACHED)
		return -EAGAIN;
	struct linux_at at;
	r = linux_at_begin_resolve(&at, a0, a1, walk_resolve(how.resolve));
	if (r < 0)
		return r;
	struct kobj *o;
	r = linux_open(at.fs, at.path, flags, (uint32_t)how.mode, &o);
	linux_at_end(&at);
	if (r < 0)
		return r;
	r = handle_install(current()->handles, o, (flags & O_CLOEXEC) ? HANDLE_CLOEXEC : 0, 0);
	if (r < 0)
		kobj_put(o);
	return r;
}
