/*
 * Linux extended attribute calls: {,l,f}{set,get,list,remove}xattr.
 * Each resolves its target (a path, followed or not, or an open file),
 * copies the name and value into kernel memory and leaves the rules to
 * fs/xattr.c.  Sizes as Linux: a name of 1 to 255 bytes (else ERANGE), a
 * value of at most 64 KiB (E2BIG), buffers larger than that are used up
 * to 64 KiB.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "mm/kmalloc.h"
#include "proc/task.h"

/* How the target is named. */
enum xtarget { BY_PATH, BY_LPATH, BY_FD };

static long target_path(enum xtarget how, uint64_t arg, struct path *p)
{
	struct linux_at at;
	long r;

	if (how == BY_FD) {
		struct kobj *o = linux_fd_get_io((int)arg);
		if (!o)
			return -EBADF;
		r = file_path(o, p);
		kobj_put(o);
		if (r < 0) {
			abi_log_missing("linux: pid %d: extended attributes of a pipe, socket or "
			                "device object are not implemented\n",
			                current()->pid);
			return -EOPNOTSUPP;
		}
		return 0;
	}
	r = linux_at_begin(&at, (uint64_t)LINUX_AT_FDCWD, arg, false);
	if (r < 0)
		return r;
	r = linux_at_path(&at, how == BY_PATH, p);
	linux_at_end(&at);
	return r;
}

static long copy_name(uint64_t uname, char name[XATTR_NAME_MAX + 1])
{
	long r = strncpy_from_user(name, (const char *)uname, XATTR_NAME_MAX + 1);

	if (r == 0 || r == -ENAMETOOLONG)
		return -ERANGE;
	return r < 0 ? r : 0;
}

static long do_set(enum xtarget how, uint64_t target, uint64_t uname, uint64_t uvalue,
                   uint64_t size, uint64_t flags)
{
	char name[XATTR_NAME_MAX + 1];
	void *value = NULL;
	struct path p;
	long r = target_path(how, target, &p);

	if (r < 0)
		return r;
	if (flags & ~(uint64_t)(XATTR_CREATE | XATTR_REPLACE))
		r = -EINVAL;
	else if ((r = copy_name(uname, name)) < 0)
		;
	else if (size > XATTR_SIZE_MAX)
		r = -E2BIG;
	else if (size && !(value = kmalloc(size)))
		r = -ENOMEM;
	else if (size && copy_from_user(value, (const void *)uvalue, size) < 0)
		r = -EFAULT;
	else
		r = vfs_path_setxattr(&p, name, value, size, (int)flags);
	kfree(value);
	path_put(&p);
	return r;
}

static long do_get(enum xtarget how, uint64_t target, uint64_t uname, uint64_t ubuf, uint64_t size)
{
	char name[XATTR_NAME_MAX + 1];
	void *value = NULL;
	struct path p;
	long r = target_path(how, target, &p);

	if (r < 0)
		return r;
	if (size > XATTR_SIZE_MAX)
		size = XATTR_SIZE_MAX;
	if ((r = copy_name(uname, name)) < 0)
		;
	else if (size && !(value = kmalloc(size)))
		r = -ENOMEM;
	else {
		/* copied out after the filesystem let go of its locks */
		r = vfs_path_getxattr(&p, name, value, size);
		if (r > 0 && size && copy_to_user((void *)ubuf, value, (size_t)r) < 0)
			r = -EFAULT;
		if (r == -ERANGE && size >= XATTR_SIZE_MAX)
			r = -E2BIG;
	}
	kfree(value);
	path_put(&p);
	return r;
}

static long do_list(enum xtarget how, uint64_t target, uint64_t ubuf, uint64_t size)
{
	char *list = NULL;
	struct path p;
	long r = target_path(how, target, &p);

	if (r < 0)
		return r;
	if (size > XATTR_LIST_MAX)
		size = XATTR_LIST_MAX;
	if (size && !(list = kmalloc(size)))
		r = -ENOMEM;
	else {
		r = vfs_path_listxattr(&p, list, size);
		if (r > 0 && size && copy_to_user((void *)ubuf, list, (size_t)r) < 0)
			r = -EFAULT;
		if (r == -ERANGE && size >= XATTR_LIST_MAX)
			r = -E2BIG;
	}
	kfree(list);
	path_put(&p);
	return r;
}

static long do_remove(enum xtarget how, uint64_t target, uint64_t uname)
{
	char name[XATTR_NAME_MAX + 1];
	struct path p;
	long r = target_path(how, target, &p);

	if (r < 0)
		return r;
	r = copy_name(uname, name);
	if (r == 0)
		r = vfs_path_removexattr(&p, name);
	path_put(&p);
	return r;
}

LINUX_SYSCALL(setxattr)
{
	LINUX_UNUSED();
	return do_set(BY_PATH, a0, a1, a2, a3, a4);
}

LINUX_SYSCALL(lsetxattr)
{
	LINUX_UNUSED();
	return do_set(BY_LPATH, a0, a1, a2, a3, a4);
}

LINUX_SYSCALL(fsetxattr)
{
	LINUX_UNUSED();
	return do_set(BY_FD, a0, a1, a2, a3, a4);
}

LINUX_SYSCALL(getxattr)
{
	LINUX_UNUSED();
	return do_get(BY_PATH, a0, a1, a2, a3);
}

LINUX_SYSCALL(lgetxattr)
{
	LINUX_UNUSED();
	return do_get(BY_LPATH, a0, a1, a2, a3);
}

LINUX_SYSCALL(fgetxattr)
{
	LINUX_UNUSED();
	return do_get(BY_FD, a0, a1, a2, a3);
}

LINUX_SYSCALL(listxattr)
{
	LINUX_UNUSED();
	return do_list(BY_PATH, a0, a1, a2);
}

LINUX_SYSCALL(llistxattr)
{
	LINUX_UNUSED();
	return do_list(BY_LPATH, a0, a1, a2);
}

LINUX_SYSCALL(flistxattr)
{
	LINUX_UNUSED();
	return do_list(BY_FD, a0, a1, a2);
}

LINUX_SYSCALL(removexattr)
{
	LINUX_UNUSED();
	return do_remove(BY_PATH, a0, a1);
}

LINUX_SYSCALL(lremovexattr)
{
	LINUX_UNUSED();
	return do_remove(BY_LPATH, a0, a1);
}

LINUX_SYSCALL(fremovexattr)
{
	LINUX_UNUSED();
	return do_remove(BY_FD, a0, a1);
}
