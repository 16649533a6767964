/*
 * Detached mount trees and what the new mount API does with mounts
 * (Linux's fsmount, open_tree, move_mount, mount_setattr), ABI-neutral.
 *
 * A detached tree is an anonymous mount namespace (mnt_ns.anon) whose
 * root mount has no parent; the descriptor that names it (file_open_tree)
 * holds the namespace, so closing the last one frees the tree, while
 * files opened through it keep their own mounts alive as any path does.
 * Attaching it moves its mounts into the caller's namespace, which
 * propagates them like any new mount.
 */
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"

static struct mnt_ns *anon_alloc(struct mount *top)
{
	struct mnt_ns *ns = kzalloc(sizeof(*ns));

	if (!ns)
		return NULL;
	ns->refcount = 1;
	ns->anon = true;
	ns->inum = ns_new_inum();
	mutex_init(&ns->lock, "mnt_ns");
	list_init(&ns->mounts);
	ns->root = top;
	return ns;
}

/* Lists top and below (emptied) in a new anonymous namespace. */
static int anon_fill(struct mount *top, struct list *below, struct path *root, struct mnt_ns **out)
{
	struct mnt_ns *ns = anon_alloc(top);

	if (!ns) {
		mount_drop_list(below);
		mount_put(top);
		return -ENOMEM;
	}
	mutex_lock(&mount_lock);
	list_push_back(&all_namespaces, &ns->all);
	mount_attach_tree_locked(ns, top, below);
	mutex_unlock(&mount_lock);
	root->mnt = top;
	root->vn = top->root;
	path_get(root);
	*out = ns;
	return 0;
}

int vfs_tree_new(struct superblock *sb, unsigned flags, unsigned attrs, const char *source,
                 struct path *root, struct mnt_ns **out)
{
	struct list none = LIST_INIT(none);
	struct mount *m = mount_new(sb, sb->root, NULL, NULL, flags, source);

	if (!m)
		return -ENOMEM;
	m->attrs = attrs;
	return anon_fill(m, &none, root, out);
}

/* The mount ns of p's mount if the caller may act on it: its own or a
 * detached tree (Linux's check_mnt); mount_lock held. */
static struct mnt_ns *usable_ns(struct fs_struct *fs, struct mount *m)
{
	struct mnt_ns *ns = m->ns;

	return ns && (ns == fs->ns || ns->anon) ? ns : NULL;
}

int vfs_tree_clone(struct fs_struct *fs, const struct path *src, bool rec, struct path *root,
                   struct mnt_ns **out)
{
	struct list below = LIST_INIT(below);
	struct mount *top;
	struct mnt_ns *ns;
	int err = 0;

	if (src->mnt->unbindable)
		return -EINVAL;
	top = mount_new(src->mnt->sb, src->vn, NULL, NULL, src->mnt->flags, src->mnt->source);
	if (!top)
		return -ENOMEM;
	mutex_lock(&mount_lock);
	ns = usable_ns(fs, src->mnt);
	if (!ns)
		err = -EINVAL;
	mount_copy_prop(top, src->mnt);
	if (err == 0 && rec) {
		mutex_lock(&ns->lock);
		err = mount_copy_below(ns, src->mnt, src->vn, top, 0, &below);
		mutex_unlock(&ns->lock);
	}
	mutex_unlock(&mount_lock);
	if (err < 0) {
		mount_drop_list(&below);
		mount_put(top);
		return err;
	}
	return anon_fill(top, &below, root, out);
}

static bool mount_below(const struct mount *m, const struct mount *top)
{
	for (; m; m = m->parent)
		if (m == top)
			return true;
	return false;
}

/* Takes top and every mount below it out of ns, in list order (parents
 * first), onto out. */
static void take_subtree(struct mnt_ns *ns, struct mount *top, struct list *out)
{
	struct list *pos, *tmp;

	mutex_lock(&ns->lock);
	list_for_each_safe(pos, tmp, &ns->mounts)
	{
		struct mount *m = list_entry(pos, struct mount, node);
		if (!mount_below(m, top))
			continue;
		list_remove(&m->node);
		m->ns = NULL;
		list_push_back(out, &m->node);
	}
	mutex_unlock(&ns->lock);
}

int vfs_move_mount(struct fs_struct *fs, const struct path *from, const struct path *to)
{
	struct mount *m = from->mnt, *old_parent;
	struct vnode *old_mp;
	struct list moved = LIST_INIT(moved);
	struct mnt_ns *src, *dst;
	int err = 0;

	if (!vnode_same(from->vn, m->root))
		return -EINVAL; /* not a mount's root */
	if (S_ISDIR(from->vn->mode) != S_ISDIR(to->vn->mode))
		return -EINVAL;
	mutex_lock(&mount_lock);
	src = usable_ns(fs, m);
	dst = to->mnt->ns;
	if (!src || dst != fs->ns)
		err = -EINVAL;
	else if (src->anon ? m != src->root : !m->parent)
		err = -EINVAL; /* a namespace's root, or inside a detached tree */
	else if (!src->anon && m->parent->group)
		err = -EINVAL; /* Linux moves nothing out of a shared mount */
	else if (!src->anon && mount_below(to->mnt, m))
		err = -ELOOP;
	if (err < 0) {
		mutex_unlock(&mount_lock);
		return err;
	}
	take_subtree(src, m, &moved);
	list_remove(&m->node); /* moved holds the rest, parents first */
	if (src->anon)
		src->root = NULL; /* attached: nothing detached is left */
	old_parent = m->parent;
	old_mp = m->mountpoint;
	mount_get(to->mnt);
	m->parent = to->mnt;
	m->mountpoint = vnode_get(to->vn);
	mount_attach_tree_locked(dst, m, &moved);
	mutex_unlock(&mount_lock);
	mount_put(old_parent);
	vnode_put(old_mp);
	return 0;
}

int vfs_mount_set_group(struct fs_struct *fs, const struct path *from, const struct path *to)
{
	int err = 0;

	if (!vnode_same(from->vn, from->mnt->root) || !vnode_same(to->vn, to->mnt->root))
		return -EINVAL;
	mutex_lock(&mount_lock);
	if (!usable_ns(fs, from->mnt) || !usable_ns(fs, to->mnt))
		err = -EINVAL;
	else if (from->mnt->sb != to->mnt->sb || !vnode_is_ancestor(from->mnt->root, to->mnt->root))
		err = -EINVAL; /* Linux: the same filesystem, to's root inside from's */
	else if (to->mnt->group)
		err = -EBUSY;
	else if (!from->mnt->group && !from->mnt->master)
		err = -EINVAL; /* nothing to copy */
	else {
		to->mnt->group = from->mnt->group;
		to->mnt->master = from->mnt->master;
	}
	mutex_unlock(&mount_lock);
	return err;
}

int vfs_mount_setattr(struct fs_struct *fs, const struct path *p, bool rec, unsigned set,
                      unsigned clr, enum mount_prop prop)
{
	struct mount **sel;
	struct mnt_ns *ns;
	struct list *pos;
	size_t n = 0, count = 0;
	int err = 0;

	if (!vnode_same(p->vn, p->mnt->root))
		return -EINVAL;
	mutex_lock(&mount_lock);
	ns = usable_ns(fs, p->mnt);
	if (!ns) {
		mutex_unlock(&mount_lock);
		return -EINVAL;
	}
	mutex_lock(&ns->lock);
	list_for_each(pos, &ns->mounts) count++;
	sel = kmalloc(count * sizeof(*sel));
	list_for_each(pos, &ns->mounts)
	{
		struct mount *m = list_entry(pos, struct mount, node);
		if (sel && (m == p->mnt || (rec && mount_below(m, p->mnt))))
			sel[n++] = m;
	}
	for (size_t i = 0; i < n; i++) {
		struct mount *m = sel[i];
		if (clr & MNT_A_RDONLY)
			m->flags &= ~(unsigned)MS_RDONLY;
		if (set & MNT_A_RDONLY)
			m->flags |= MS_RDONLY;
		m->attrs = (m->attrs & ~clr) | (set & ~(unsigned)MNT_A_RDONLY);
	}
	mutex_unlock(&ns->lock);
	for (size_t i = 0; i < n; i++)
		mount_set_prop_locked(sel[i], prop);
	mutex_unlock(&mount_lock);
	if (!sel)
		err = -ENOMEM;
	kfree(sel);
	return err;
}
