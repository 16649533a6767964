/*
 * The path argument of Linux *at calls: dirfd-relative paths resolve
 * through an fs_struct view (fs_view_at) whose cwd is the directory open
 * on dirfd, so every vfs_* call by path serves them unchanged.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "mm/kmalloc.h"
#include "proc/task.h"

static long at_dirfd(struct linux_at *at, int dirfd)
{
	struct kobj *o = linux_fd_get(dirfd);
	struct path dir;
	long r;

	if (!o)
		return -EBADF;
	r = file_path(o, &dir);
	kobj_put(o);
	if (r < 0)
		return -ENOTDIR; /* a pipe, a terminal...: not a directory */
	r = fs_view_at(current()->fs, &dir, &at->view);
	path_put(&dir);
	if (r < 0)
		return r;
	at->has_view = true;
	at->fs = &at->view;
	return 0;
}

long linux_at_begin(struct linux_at *at, uint64_t dirfd, uint64_t upath, bool empty_ok)
{
	long r;

	at->fs = current()->fs;
	at->has_view = false;
	at->obj = NULL;
	at->path = kmalloc(PATH_MAX);
	if (!at->path)
		return -ENOMEM;
	r = strncpy_from_user(at->path, (const char *)upath, PATH_MAX);
	at->empty = r == 0;
	if (r == 0 && !empty_ok)
		r = -ENOENT;
	else if (r == 0 && (int)dirfd == LINUX_AT_FDCWD)
		strcpy(at->path, ".");
	else if (r == 0)
		r = (at->obj = linux_fd_get((int)dirfd)) ? 0 : -EBADF;
	else if (r > 0 && at->path[0] != '/' && (int)dirfd != LINUX_AT_FDCWD)
		r = at_dirfd(at, (int)dirfd);
	if (r < 0) {
		linux_at_end(at);
		return r;
	}
	return 0;
}

long linux_at_begin_resolve(struct linux_at *at, uint64_t dirfd, uint64_t upath, unsigned resolve)
{
	struct path dir;
	long r = linux_at_begin(at, dirfd, upath, false);

	if (r < 0 || resolve == 0)
		return r;
	if (at->has_view) {
		dir = at->view.cwd;
		path_get(&dir);
		fs_view_end(&at->view);
		at->has_view = false;
	} else if ((int)dirfd == LINUX_AT_FDCWD) {
		fs_get_cwd(current()->fs, &dir);
	} else {
		/* an absolute path: dirfd still has to be a directory */
		struct kobj *o = linux_fd_get((int)dirfd);
		if (!o) {
			linux_at_end(at);
			return -EBADF;
		}
		r = file_path(o, &dir);
		kobj_put(o);
		if (r < 0) {
			linux_at_end(at);
			return -ENOTDIR;
		}
	}
	r = fs_view_resolve(current()->fs, &dir, resolve, &at->view);
	path_put(&dir);
	if (r < 0) {
		linux_at_end(at);
		return r;
	}
	at->has_view = true;
	at->fs = &at->view;
	return 0;
}

void linux_at_end(struct linux_at *at)
{
	if (at->has_view)
		fs_view_end(&at->view);
	at->has_view = false;
	kobj_put(at->obj);
	at->obj = NULL;
	kfree(at->path);
	at->path = NULL;
}

long linux_at_path(struct linux_at *at, bool follow, struct path *out)
{
	if (at->obj)
		return file_path(at->obj, out);
	return vfs_walk(at->fs, at->path, follow ? WALK_FOLLOW : 0, out);
}
