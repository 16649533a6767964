/*
 * execveat: execve of a path relative to a directory descriptor, or
 * (AT_EMPTY_PATH) of the file open on a descriptor, O_PATH ones
 * included; AT_SYMLINK_NOFOLLOW refuses a final symlink (ELOOP).  The
 * program goes by "/dev/fd/N" or "/dev/fd/N/PATH" as Linux names it,
 * which is what a script's interpreter is given.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "core/kernel.h"
#include "exec/exec.h"
#include "mm/kmalloc.h"
#include "proc/task.h"

/* The file to run, opened for exec. */
static long open_program(struct linux_at *at, uint64_t flags, struct kobj **out)
{
	struct path p;

	if (at->obj) {
		if (file_path(at->obj, &p) < 0)
			return -EACCES; /* a pipe, a socket...: not a regular file */
		long r = vfs_path_open_exec(&p, out);
		path_put(&p);
		return r;
	}
	if (flags & LINUX_AT_SYMLINK_NOFOLLOW)
		return vfs_open_exec_nofollow(at->fs, at->path, out);
	return vfs_open_exec(at->fs, at->path, out);
}

/* What the program goes by: path itself unless it is relative to a dirfd. */
static void program_name(char *name, const struct linux_at *at, int dirfd)
{
	if (dirfd == LINUX_AT_FDCWD || at->path[0] == '/')
		strlcpy(name, at->path, PATH_MAX);
	else if (at->empty)
		fmt_snprintf(name, PATH_MAX, "/dev/fd/%d", dirfd);
	else
		fmt_snprintf(name, PATH_MAX, "/dev/fd/%d/%s", dirfd, at->path);
}

LINUX_SYSCALL(execveat)
{
	LINUX_UNUSED();
	uint64_t flags = a4;
	if (flags & ~(uint64_t)(LINUX_AT_EMPTY_PATH | LINUX_AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	struct linux_at at;
	long r = linux_at_begin(&at, a0, a1, (flags & LINUX_AT_EMPTY_PATH) != 0);
	if (r < 0)
		return r;
	char *name = kmalloc(PATH_MAX);
	struct kobj *file = NULL;
	r = name ? open_program(&at, flags, &file) : -ENOMEM;
	if (r == 0)
		program_name(name, &at, (int)a0);
	linux_at_end(&at);
	if (r == 0) {
		struct exec_args args;
		r = exec_args_from_user(&args, (const char *const *)a2, (const char *const *)a3);
		if (r == 0) {
			r = exec_program_file(file, name, &args);
			exec_args_free(&args);
		}
	}
	kobj_put(file);
	kfree(name);
	return r;
}
