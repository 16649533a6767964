/*
 * xv6 name-space system calls: chdir, mkdir, mknod, unlink, link, and
 * the path arguments they all take.
 *
 * xv6 semantics kept: a path is at most MAXPATH-1 characters; only the
 * first DIRSIZ characters of a name count, so names are created cut to
 * DIRSIZ and found by their first DIRSIZ characters (a longer name that
 * only exists whole, e.g. made by another ABI, is still found by lookups);
 * unlink also removes empty directories (xv6 has no rmdir), never "." or
 * "..".
 */
#include <scarlet/abi.h>

#include "abi/xv6/xv6.h"
#include "core/kernel.h"
#include "fs/vfs.h"
#include "proc/task.h"

int xv6_path_get(uint64_t upath, struct xv6_path *p)
{
	long n = strncpy_from_user(p->full, (const char *)upath, XV6_MAXPATH);
	if (n < 0)
		return (int)n;
	memcpy(p->cut, p->full, sizeof(p->cut));
	p->differs = xv6_path_truncate(p->cut);
	return 0;
}

const char *xv6_path_retry(const struct xv6_path *p, int r)
{
	return r == -ENOENT && p->differs ? p->full : NULL;
}

static struct fs_struct *fs(void)
{
	return current()->fs;
}

XV6_SYSCALL(chdir)
{
	(void)a1, (void)a2;
	struct xv6_path p;
	int r = xv6_path_get(a0, &p);
	if (r < 0)
		return r;
	r = vfs_chdir(fs(), p.cut);
	const char *retry = xv6_path_retry(&p, r);
	return retry ? vfs_chdir(fs(), retry) : r;
}

XV6_SYSCALL(mkdir)
{
	(void)a1, (void)a2;
	struct xv6_path p;
	int r = xv6_path_get(a0, &p);
	return r < 0 ? r : vfs_mkdir(fs(), p.cut, 0777);
}

XV6_SYSCALL(mknod)
{
	(void)a2;
	struct xv6_path p;
	int r = xv6_path_get(a0, &p);
	if (r < 0)
		return r;
	uint64_t rdev = xv6_rdev((int16_t)a1, (int16_t)a2);
	return vfs_mknod(fs(), p.cut, S_IFCHR | 0666, rdev);
}

/* The last component of path ("" for "/"). */
static const char *last_name(const char *path)
{
	const char *end = path + strlen(path);
	while (end > path && end[-1] == '/')
		end--;
	const char *s = end;
	while (s > path && s[-1] != '/')
		s--;
	return s;
}

static bool is_dot_name(const char *name)
{
	return (name[0] == '.' && (name[1] == '\0' || name[1] == '/')) ||
	       (name[0] == '.' && name[1] == '.' && (name[2] == '\0' || name[2] == '/'));
}

/* Removes a file, or an empty directory. */
static int remove_path(const char *path)
{
	if (is_dot_name(last_name(path)))
		return -EINVAL;
	struct vattr va;
	int r = vfs_stat(fs(), path, false, &va);
	if (r < 0)
		return r;
	return S_ISDIR(va.mode) ? vfs_rmdir(fs(), path) : vfs_unlink(fs(), path);
}

XV6_SYSCALL(unlink)
{
	(void)a1, (void)a2;
	struct xv6_path p;
	int r = xv6_path_get(a0, &p);
	if (r < 0)
		return r;
	r = remove_path(p.cut);
	const char *retry = xv6_path_retry(&p, r);
	return retry ? remove_path(retry) : r;
}

XV6_SYSCALL(link)
{
	(void)a2;
	struct xv6_path old, new;
	int r = xv6_path_get(a0, &old);
	if (r == 0)
		r = xv6_path_get(a1, &new);
	if (r < 0)
		return r;
	r = vfs_link(fs(), old.cut, new.cut);
	const char *retry = xv6_path_retry(&old, r);
	return retry ? vfs_link(fs(), retry, new.cut) : r;
}
