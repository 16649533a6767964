/*
 * Vnode and path reference counting.  vnode_put calls the filesystem's
 * release operation when the last reference goes, then frees the vnode.
 */
#include "fs/notify.h"
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"
#include "mm/pcache.h"

struct vnode *vnode_alloc(struct superblock *sb, const struct vnode_ops *ops, uint32_t mode,
                          uint64_t ino)
{
	struct vnode *vn = kzalloc(sizeof(*vn));

	if (!vn)
		return NULL;
	vn->refcount = 1;
	vn->sb = sb;
	vn->ops = ops;
	vn->mode = mode;
	vn->ino = ino;
	return vn;
}

struct vnode *vnode_get(struct vnode *vn)
{
	__atomic_fetch_add(&vn->refcount, 1, __ATOMIC_RELAXED);
	return vn;
}

void vnode_put(struct vnode *vn)
{
	if (!vn)
		return;
	if (__atomic_sub_fetch(&vn->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	fsnotify_released(vn); /* a file with no link left is gone now */
	if (vn->pcache)
		pcache_destroy(vn);
	if (vn->ops && vn->ops->release)
		vn->ops->release(vn);
	kfree(vn);
}

void vnode_discard(struct vnode *vn)
{
	if (vn->pcache) {
		pcache_sync(vn);
		pcache_destroy(vn);
	}
	kfree(vn);
}

void path_get(struct path *p)
{
	if (p->mnt)
		mount_get(p->mnt);
	if (p->vn)
		vnode_get(p->vn);
}

/* Drops both references and clears the path. */
void path_put(struct path *p)
{
	vnode_put(p->vn);
	if (p->mnt)
		mount_put(p->mnt);
	p->vn = NULL;
	p->mnt = NULL;
}

/* Every truncation goes through here, so that a page cache (which
 * mappings may hold) drops or zeroes what lies past the new end. */
int vnode_truncate(struct vnode *vn, uint64_t size)
{
	struct vattr va;
	if (!vn->ops->truncate)
		return -EINVAL;
	if (S_ISREG(vn->mode) && vnode_getattr(vn, &va) == 0 && fsize_grow_check(va.size, size) < 0)
		return -EFBIG;
	if (vn->pcache)
		return pcache_truncate(vn, size);
	return vn->ops->truncate(vn, size);
}

/* getattr, or what the vnode itself knows for filesystems without it. */
int vnode_getattr(struct vnode *vn, struct vattr *va)
{
	memset(va, 0, sizeof(*va));
	if (vn->ops && vn->ops->getattr)
		return vn->ops->getattr(vn, va);
	va->dev = vn->sb ? vn->sb->dev : 0;
	va->ino = vn->ino;
	va->mode = vn->mode;
	va->nlink = 1;
	return 0;
}

int vfs_path_getattr(const struct path *p, struct vattr *va)
{
	return vnode_getattr(p->vn, va);
}

bool vnode_is_ancestor(struct vnode *anc, struct vnode *vn)
{
	struct vnode *cur = vnode_get(vn), *up;
	bool found = false;

	for (int guard = 0; guard < PATH_MAX; guard++) {
		if (vnode_same(cur, anc)) {
			found = true;
			break;
		}
		if (vnode_lookup(cur, "..", 2, &up) < 0)
			break;
		if (vnode_same(up, cur)) {
			vnode_put(up);
			break;
		}
		vnode_put(cur);
		cur = up;
	}
	vnode_put(cur);
	return found;
}
