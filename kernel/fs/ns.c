/*
 * Mount namespaces beyond the first: mnt_ns_clone (a private copy of a
 * task's mount tree), mnt_ns_fresh (a new tree with one filesystem at its
 * root: what a per-ABI environment starts from), bind mounts (vfs_bind, vfs_bind_path, with MS_REC
 * copying the mounts below the source) and chroot (vfs_chroot).
 *
 * A copied or bound mount is a new `struct mount` on the same superblock:
 * filesystems are shared, the tree that attaches them is not.  A bind
 * mount's root is the source vnode rather than the superblock's root, and
 * it may be a single file mounted on a file.
 */
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"

struct mount_pair {
	struct mount *old, *copy;
};

static struct mount *copy_of(struct mount_pair *map, size_t n, struct mount *old)
{
	for (size_t i = 0; i < n; i++) {
		if (map[i].old == old)
			return map[i].copy;
	}
	return NULL;
}

/* After Linux's initial ones (4026531834..4026531839 and the first
 * dynamic ones), so numbers never collide with the fixed ones. */
static uint32_t next_inum = 4026532160u;

uint32_t ns_new_inum(void)
{
	return __atomic_fetch_add(&next_inum, 1, __ATOMIC_RELAXED);
}

static struct mnt_ns *ns_alloc(void)
{
	struct mnt_ns *ns = kzalloc(sizeof(*ns));

	if (!ns)
		return NULL;
	ns->refcount = 1;
	ns->inum = ns_new_inum();
	mutex_init(&ns->lock, "mnt_ns");
	list_init(&ns->mounts);
	return ns;
}

/* Copies every mount of old into ns (parents come before their children
 * in the list); old->lock held. */
static int copy_mounts(struct mnt_ns *old, struct mnt_ns *ns, struct mount_pair *map, size_t *n)
{
	struct list *pos;

	list_for_each(pos, &old->mounts)
	{
		struct mount *m = list_entry(pos, struct mount, node);
		struct mount *parent = m->parent ? copy_of(map, *n, m->parent) : NULL;
		struct mount *c;

		if (m->parent && !parent)
			continue; /* detached from the tree: not visible anyway */
		c = mount_new(m->sb, m->root, parent, m->mountpoint, m->flags, m->source);
		if (!c)
			return -ENOMEM;
		/* Linux's copy keeps all of these: a shared mount's copy is
		 * its peer, a slave's a slave of the same master */
		c->unbindable = m->unbindable;
		c->attrs = m->attrs;
		c->group = m->group;
		c->master = m->master;
		c->ns = ns;
		list_push_back(&ns->mounts, &c->node);
		map[*n].old = m;
		map[(*n)++].copy = c;
		if (m == old->root)
			ns->root = c;
	}
	return ns->root ? 0 : -EINVAL;
}

/* Moves p to the copy of its mount, if there is one. */
static void translate(struct path *p, struct mount_pair *map, size_t n, struct mount **drop)
{
	struct mount *c = copy_of(map, n, p->mnt);

	*drop = NULL;
	if (!c)
		return;
	mount_get(c);
	*drop = p->mnt;
	p->mnt = c;
}

int mnt_ns_clone(struct fs_struct *fs)
{
	struct mnt_ns *old = fs->ns, *ns = ns_alloc();
	struct mount_pair *map = NULL;
	struct mount *drop_root, *drop_cwd;
	struct list *pos;
	size_t n = 0, count = 0;
	int err = -ENOMEM;

	if (!ns)
		return -ENOMEM;
	mutex_lock(&mount_lock);
	list_push_back(&all_namespaces, &ns->all);
	mutex_lock(&old->lock);
	list_for_each(pos, &old->mounts) count++;
	map = kmalloc(count * sizeof(*map));
	if (map)
		err = copy_mounts(old, ns, map, &n);
	mutex_unlock(&old->lock);
	mutex_unlock(&mount_lock);
	if (err < 0) {
		mnt_ns_put(ns);
		kfree(map);
		return err;
	}
	spin_lock(&fs->lock);
	translate(&fs->root, map, n, &drop_root);
	translate(&fs->cwd, map, n, &drop_cwd);
	fs->ns = ns;
	spin_unlock(&fs->lock);
	mount_put(drop_root);
	mount_put(drop_cwd);
	mnt_ns_put(old);
	kfree(map);
	return 0;
}

/* Moves fs into ns, whose reference it takes over. */
static void install(struct fs_struct *fs, struct mnt_ns *ns)
{
	struct mnt_ns *old;
	struct path old_root, old_cwd;

	spin_lock(&fs->lock);
	old = fs->ns;
	old_root = fs->root;
	old_cwd = fs->cwd;
	fs->ns = ns;
	fs->root.mnt = ns->root;
	fs->root.vn = ns->root->root;
	path_get(&fs->root);
	fs->cwd = fs->root;
	path_get(&fs->cwd);
	spin_unlock(&fs->lock);
	path_put(&old_root);
	path_put(&old_cwd);
	mnt_ns_put(old);
}

int mnt_ns_fresh(struct fs_struct *fs, struct superblock *root_sb)
{
	struct mnt_ns *ns = mnt_ns_create(root_sb);

	if (!ns)
		return -ENOMEM;
	install(fs, ns);
	return 0;
}

void mnt_ns_install(struct fs_struct *fs, struct mnt_ns *ns)
{
	install(fs, mnt_ns_get(ns));
}

struct mnt_ns *fs_get_ns(struct fs_struct *fs)
{
	spin_lock(&fs->lock);
	struct mnt_ns *ns = mnt_ns_get(fs->ns);
	spin_unlock(&fs->lock);
	return ns;
}

bool path_is_under(const struct path *p, const struct path *root)
{
	struct path cur = *p;
	struct vnode *up;
	bool found = false;

	path_get(&cur);
	for (int guard = 0; guard < PATH_MAX; guard++) {
		if (path_same(&cur, root)) {
			found = true;
			break;
		}
		if (vnode_same(cur.vn, cur.mnt->root)) {
			if (!cur.mnt->parent)
				break;
			struct path next = {.mnt = cur.mnt->parent, .vn = cur.mnt->mountpoint};
			path_get(&next);
			path_put(&cur);
			cur = next;
			continue;
		}
		if (vnode_lookup(cur.vn, "..", 2, &up) < 0)
			break;
		vnode_put(cur.vn);
		cur.vn = up;
	}
	path_put(&cur);
	return found;
}

/* MS_REC: copies the mounts of ns below (src_mnt, src_root) onto dst,
 * recursively, into out; ns->lock held. */
int mount_copy_below(struct mnt_ns *ns, struct mount *src_mnt, struct vnode *src_root,
                     struct mount *dst, unsigned ro, struct list *out)
{
	struct list *pos;

	list_for_each(pos, &ns->mounts)
	{
		struct mount *c = list_entry(pos, struct mount, node);
		struct mount *d;

		if (c->parent != src_mnt || !vnode_is_ancestor(src_root, c->mountpoint))
			continue;
		if (c->unbindable)
			continue; /* Linux leaves unbindable mounts out of a recursive bind */
		d = mount_new(c->sb, c->root, dst, c->mountpoint, c->flags | ro, c->source);
		if (!d)
			return -ENOMEM;
		mount_copy_prop(d, c);
		list_push_back(out, &d->node);
		if (mount_copy_below(ns, c, c->root, d, ro, out) < 0)
			return -ENOMEM;
	}
	return 0;
}

void mount_copy_prop(struct mount *copy, const struct mount *m)
{
	copy->attrs = m->attrs;
	copy->group = m->group;
	copy->master = m->master;
}

static int bind_check(const struct path *src, const struct path *mp)
{
	if (S_ISDIR(src->vn->mode) && !S_ISDIR(mp->vn->mode))
		return -ENOTDIR;
	if (!S_ISDIR(src->vn->mode) && S_ISDIR(mp->vn->mode))
		return -EISDIR;
	return 0;
}

int vfs_bind(struct fs_struct *fs, struct mnt_ns *src_ns, const struct path *src,
             const char *target, const char *source, unsigned flags)
{
	unsigned ro = (flags | src->mnt->flags) & MS_RDONLY;
	struct list below = LIST_INIT(below);
	struct mount *top;
	struct path mp;
	int err = vfs_walk(fs, target, WALK_FOLLOW, &mp);

	if (err < 0)
		return err;
	err = src->mnt->unbindable ? -EINVAL : bind_check(src, &mp);
	top = err ? NULL : mount_new(src->mnt->sb, src->vn, mp.mnt, mp.vn, ro, source);
	path_put(&mp);
	if (err < 0)
		return err;
	if (!top)
		return -ENOMEM;
	mutex_lock(&mount_lock);
	/* a bind of a shared mount is its peer, of a slave a slave of the
	 * same master (Linux) */
	mount_copy_prop(top, src->mnt);
	if (flags & MS_REC) {
		mutex_lock(&src_ns->lock);
		err = mount_copy_below(src_ns, src->mnt, src->vn, top, ro, &below);
		mutex_unlock(&src_ns->lock);
	}
	if (err == 0)
		mount_attach_tree_locked(fs->ns, top, &below);
	mutex_unlock(&mount_lock);
	if (err < 0) {
		mount_drop_list(&below);
		mount_put(top);
	}
	return err;
}

int vfs_bind_path(struct fs_struct *fs, const char *source, const char *target, unsigned flags)
{
	struct path src;
	int err;

	if (!source)
		return -EINVAL;
	err = vfs_walk(fs, source, WALK_FOLLOW, &src);
	if (err < 0)
		return err;
	err = vfs_bind(fs, fs->ns, &src, target, source, flags);
	path_put(&src);
	return err;
}

int vfs_chroot(struct fs_struct *fs, const char *path)
{
	struct path p, cwd, old_root, old_cwd = {0};
	bool inside;
	int err = vfs_walk(fs, path, WALK_FOLLOW | WALK_DIR, &p);

	if (err < 0)
		return err;
	fs_get_cwd(fs, &cwd);
	inside = path_is_under(&cwd, &p);
	path_put(&cwd);
	spin_lock(&fs->lock);
	old_root = fs->root;
	fs->root = p;
	if (!inside) {
		old_cwd = fs->cwd;
		fs->cwd = p;
		path_get(&fs->cwd);
	}
	spin_unlock(&fs->lock);
	path_put(&old_root);
	path_put(&old_cwd);
	return 0;
}
