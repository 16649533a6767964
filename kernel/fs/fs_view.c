/*
 * fs_struct views: what the *at system calls of every ABI walk from.  A
 * view is a temporary fs_struct that shares a task's root, namespace and
 * umask but whose "cwd" is another directory (the one open on a dirfd),
 * so every vfs_* operation by path resolves relative names from there
 * without a second set of *_at entry points.  A view lives on the
 * caller's stack for the length of one system call and is never shared.
 */
#include "fs/vfs_impl.h"

int fs_view_at(struct fs_struct *fs, const struct path *dir, struct fs_struct *view)
{
	if (!S_ISDIR(dir->vn->mode))
		return -ENOTDIR;
	memset(view, 0, sizeof(*view));
	view->refcount = 1;
	spin_init(&view->lock, "fs_view");
	spin_lock(&fs->lock);
	view->ns = mnt_ns_get(fs->ns);
	view->root = fs->root;
	path_get(&view->root);
	view->umask = fs->umask;
	spin_unlock(&fs->lock);
	view->cwd = *dir;
	path_get(&view->cwd);
	return 0;
}

int fs_view_resolve(struct fs_struct *fs, const struct path *dir, unsigned resolve,
                    struct fs_struct *view)
{
	int err = fs_view_at(fs, dir, view);

	if (err < 0)
		return err;
	view->resolve = resolve;
	if (resolve & (WALK_RES_BENEATH | WALK_RES_IN_ROOT)) {
		path_put(&view->root);
		view->root = *dir;
		path_get(&view->root);
	}
	return 0;
}

void fs_view_end(struct fs_struct *view)
{
	path_put(&view->cwd);
	path_put(&view->root);
	mnt_ns_put(view->ns);
}

uint32_t fs_umask_exchange(struct fs_struct *fs, uint32_t mask)
{
	return __atomic_exchange_n(&fs->umask, mask & 0777, __ATOMIC_RELAXED);
}
