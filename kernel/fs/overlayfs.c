/*
 * overlay filesystem: mount, node cache and lookup.
 *
 * One writable upper directory (any filesystem; only vnode operations are
 * used) over up to OVL_MAX_LOWER read-only lower directories.  A name is
 * looked up in the upper first, then in each lower in order:
 *
 *  - a whiteout (character device 0/0) hides the name in the layers below;
 *  - a directory merges with directories of the same name below, unless it
 *    is opaque (it holds an entry named ".wh..wh..opq", the mark written
 *    when a directory is created where a whiteout was);
 *  - anything else hides what is below; a directory and a non-directory
 *    never merge.
 *
 * Inode numbers come from the topmost lower layer holding the object (so
 * they survive copy-up), else from the upper, with the layer in the top
 * byte.  Nodes are cached per superblock by (inode, parent, name) so a
 * file has one vnode and every user sees its copy-up.  Layers are not
 * crossed into their own mounts.
 */
#include "fs/overlay_impl.h"
#include "mm/kmalloc.h"

static bool get_unless_zero(struct vnode *vn)
{
	int c = __atomic_load_n(&vn->refcount, __ATOMIC_RELAXED);

	while (c > 0) {
		if (__atomic_compare_exchange_n(&vn->refcount, &c, c + 1, false, __ATOMIC_ACQ_REL,
		                                __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

void ovl_found_put(struct ovl_found *f)
{
	vnode_put(f->upper);
	for (int i = 0; i < f->nlower; i++)
		vnode_put(f->lower[i]);
	f->upper = NULL;
	f->nlower = 0;
}

/* Adds the lower layers of dir under name to f, per the rules above. */
static int find_lower(struct onode *d, const char *name, size_t len, struct ovl_found *f, bool have,
                      bool is_dir)
{
	struct vnode *vn;
	int err;

	for (int i = 0; i < d->nlower; i++) {
		err = vnode_lookup(d->lower[i], name, len, &vn);
		if (err == -ENOENT)
			continue;
		if (err < 0)
			return err;
		if (ovl_is_whiteout(vn) || (have && S_ISDIR(vn->mode) != is_dir)) {
			vnode_put(vn);
			break;
		}
		f->layer[f->nlower] = d->layer[i];
		f->lower[f->nlower++] = vn;
		have = true;
		is_dir = S_ISDIR(vn->mode);
		if (!is_dir || ovl_is_opaque(vn))
			break;
	}
	return have ? 0 : -ENOENT;
}

int ovl_find(struct vnode *dir, const char *name, size_t len, struct ovl_found *f)
{
	struct onode *d = ON(dir);
	struct vnode *vn;
	int err;

	memset(f, 0, sizeof(*f));
	if (d->upper) {
		err = vnode_lookup(d->upper, name, len, &vn);
		if (err == 0 && ovl_is_whiteout(vn)) {
			vnode_put(vn);
			return -ENOENT;
		}
		if (err == 0)
			f->upper = vn;
		else if (err != -ENOENT)
			return err;
		if (f->upper && S_ISDIR(vn->mode) && ovl_is_opaque(vn))
			return 0;
	}
	err = find_lower(d, name, len, f, f->upper != NULL, f->upper && S_ISDIR(f->upper->mode));
	if (err < 0)
		ovl_found_put(f);
	return err;
}

static uint64_t found_ino(const struct ovl_found *f)
{
	if (f->nlower)
		return OVL_INO(f->layer[0], f->lower[0]->ino);
	return OVL_INO(0, f->upper->ino);
}

static struct onode *cached(struct ovl_sb *osb, uint64_t ino, struct vnode *dir, const char *name,
                            size_t len)
{
	struct list *pos;

	list_for_each(pos, &osb->hash[ino % OVL_HASH])
	{
		struct onode *on = list_entry(pos, struct onode, hnode);
		if (on->vn->ino == ino && on->parent == dir && on->len == len &&
		    memcmp(on->name, name, len) == 0 && !on->removed && get_unless_zero(on->vn))
			return on;
	}
	return NULL;
}

/* A node taking over f's references (no parent: the root). */
static struct onode *node_new(struct superblock *sb, struct vnode *dir, const char *name,
                              size_t len, struct ovl_found *f)
{
	struct onode *on = kzalloc(sizeof(*on));
	struct vnode *real = f->upper ? f->upper : f->lower[0];

	if (!on || !(on->name = kmalloc(len + 1)))
		goto fail;
	on->vn = vnode_alloc(sb, &ovl_vops, real->mode, found_ino(f));
	if (!on->vn)
		goto fail;
	on->vn->priv = on;
	list_init(&on->hnode);
	memcpy(on->name, name, len);
	on->name[len] = 0;
	on->len = len;
	on->parent = dir ? vnode_get(dir) : NULL;
	on->upper = f->upper;
	on->nlower = f->nlower;
	memcpy(on->lower, f->lower, sizeof(on->lower));
	memcpy(on->layer, f->layer, sizeof(on->layer));
	return on;
fail:
	if (on)
		kfree(on->name);
	kfree(on);
	ovl_found_put(f);
	return NULL;
}

int ovl_node(struct vnode *dir, const char *name, size_t len, struct ovl_found *f,
             struct vnode **out)
{
	struct ovl_sb *osb = dir->sb->priv;
	uint64_t ino = found_ino(f);
	struct onode *on;

	mutex_lock(&osb->lock);
	on = cached(osb, ino, dir, name, len);
	mutex_unlock(&osb->lock);
	if (on) {
		ovl_found_put(f);
		*out = on->vn;
		return 0;
	}
	on = node_new(dir->sb, dir, name, len, f);
	if (!on)
		return -ENOMEM;
	mutex_lock(&osb->lock);
	list_push_back(&osb->hash[ino % OVL_HASH], &on->hnode);
	mutex_unlock(&osb->lock);
	*out = on->vn;
	return 0;
}

void ovl_unhash(struct onode *on)
{
	struct ovl_sb *osb = on->vn->sb->priv;

	mutex_lock(&osb->lock);
	list_remove(&on->hnode);
	list_init(&on->hnode);
	mutex_unlock(&osb->lock);
}

void ovl_release(struct vnode *vn)
{
	struct onode *on = ON(vn);

	ovl_unhash(on);
	vnode_put(on->upper);
	for (int i = 0; i < on->nlower; i++)
		vnode_put(on->lower[i]);
	vnode_put(on->parent);
	kfree(on->name);
	kfree(on);
}

int ovl_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct onode *d = ON(dir);
	struct ovl_found f;
	int err;

	if (name_is_dotdot(name, len)) {
		if (d->removed)
			return -ENOENT;
		*out = vnode_get(d->parent ? d->parent : dir);
		return 0;
	}
	if (len == OVL_OPAQUE_LEN && memcmp(name, OVL_OPAQUE, len) == 0)
		return -ENOENT;
	err = ovl_find(dir, name, len, &f);
	if (err < 0)
		return err;
	return ovl_node(dir, name, len, &f, out);
}

/* ---------------------------------------------------------------- mount */

static int root_found(struct ovl_sb *osb, struct ovl_found *f)
{
	memset(f, 0, sizeof(*f));
	if (osb->upper.vn)
		f->upper = vnode_get(osb->upper.vn);
	for (int i = 0; i < osb->nlower; i++) {
		f->layer[f->nlower] = i + 1;
		f->lower[f->nlower++] = vnode_get(osb->lowers[i].vn);
		if (ovl_is_opaque(osb->lowers[i].vn))
			break;
	}
	return 0;
}

static void osb_free(struct ovl_sb *osb)
{
	path_put(&osb->upper);
	for (int i = 0; i < osb->nlower; i++)
		path_put(&osb->lowers[i]);
	kfree(osb);
}

static struct ovl_sb *osb_new(const struct path *upper, const struct path *lowers, int n)
{
	struct ovl_sb *osb = kzalloc(sizeof(*osb));

	if (!osb)
		return NULL;
	mutex_init(&osb->lock, "overlay");
	mutex_init(&osb->copyup, "overlay copy-up");
	for (int i = 0; i < OVL_HASH; i++)
		list_init(&osb->hash[i]);
	if (upper) {
		osb->upper = *upper;
		path_get(&osb->upper);
	}
	for (int i = 0; i < n; i++) {
		osb->lowers[i] = lowers[i];
		path_get(&osb->lowers[i]);
	}
	osb->nlower = n;
	return osb;
}

int overlay_mount_paths(const struct path *upper, const struct path *lowers, int n,
                        struct superblock **out)
{
	struct superblock *sb;
	struct ovl_sb *osb;
	struct ovl_found f;
	struct onode *root;

	if (n < 1 || n > OVL_MAX_LOWER)
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		if (!S_ISDIR(lowers[i].vn->mode))
			return -ENOTDIR;
	}
	if (upper && !S_ISDIR(upper->vn->mode))
		return -ENOTDIR;
	sb = kzalloc(sizeof(*sb));
	osb = osb_new(upper, lowers, n);
	if (!sb || !osb) {
		kfree(sb);
		if (osb)
			osb_free(osb);
		return -ENOMEM;
	}
	sb->type = &overlay_type;
	sb->flags = (!upper || path_readonly(upper)) ? MS_RDONLY : 0;
	sb->dev = vfs_anon_dev();
	sb->priv = osb;
	root_found(osb, &f);
	root = node_new(sb, NULL, "", 0, &f);
	if (!root) {
		osb_free(osb);
		kfree(sb);
		return -ENOMEM;
	}
	sb->root = root->vn;
	*out = sb;
	return 0;
}

static void overlay_unmount(struct superblock *sb)
{
	vnode_put(sb->root);
	osb_free(sb->priv);
	kfree(sb);
}

/* ---------------------------------------------------------------- options */

struct ovl_opts {
	struct path upper;
	struct path lowers[OVL_MAX_LOWER];
	int n;
};

static int walk_dir(struct fs_struct *fs, const char *s, size_t len, struct path *out)
{
	char *p = kmalloc(len + 1);
	int err;

	if (!p)
		return -ENOMEM;
	memcpy(p, s, len);
	p[len] = 0;
	err = len ? vfs_walk(fs, p, WALK_FOLLOW | WALK_DIR, out) : -EINVAL;
	kfree(p);
	return err;
}

static int parse_lowers(struct fs_struct *fs, const char *s, size_t len, struct ovl_opts *o)
{
	size_t start = 0;

	if (o->n)
		return -EINVAL;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != ':')
			continue;
		if (o->n == OVL_MAX_LOWER)
			return -EINVAL;
		int err = walk_dir(fs, s + start, i - start, &o->lowers[o->n]);
		if (err < 0)
			return err;
		o->n++;
		start = i + 1;
	}
	return 0;
}

static int parse_one(struct fs_struct *fs, const char *s, size_t len, struct ovl_opts *o)
{
	if (len > 9 && memcmp(s, "lowerdir=", 9) == 0)
		return parse_lowers(fs, s + 9, len - 9, o);
	if (len > 9 && memcmp(s, "upperdir=", 9) == 0) {
		if (o->upper.vn)
			return -EINVAL;
		return walk_dir(fs, s + 9, len - 9, &o->upper);
	}
	if (len >= 8 && memcmp(s, "workdir=", 8) == 0)
		return 0; /* accepted for Linux compatibility, not needed */
	if (len == 0 || (len == 2 && memcmp(s, "rw", 2) == 0))
		return 0;
	return -EINVAL;
}

static void opts_put(struct ovl_opts *o)
{
	path_put(&o->upper);
	for (int i = 0; i < o->n; i++)
		path_put(&o->lowers[i]);
}

static int overlay_mount_fs(struct fs_struct *fs, const char *source, unsigned flags,
                            const void *data, struct superblock **out)
{
	const char *s = data;
	struct ovl_opts o;
	int err = 0;

	(void)source;
	memset(&o, 0, sizeof(o));
	if (!s)
		return -EINVAL;
	for (size_t start = 0, i = 0; err == 0; i++) {
		if (s[i] && s[i] != ',')
			continue;
		err = parse_one(fs, s + start, i - start, &o);
		if (!s[i])
			break;
		start = i + 1;
	}
	if (err == 0 && o.n == 0)
		err = -EINVAL;
	if (err == 0)
		err = overlay_mount_paths(o.upper.vn ? &o.upper : NULL, o.lowers, o.n, out);
	if (err == 0 && (flags & MS_RDONLY))
		(*out)->flags |= MS_RDONLY;
	opts_put(&o);
	return err;
}

static int overlay_mount(const char *source, unsigned flags, const void *data,
                         struct superblock **out)
{
	(void)source;
	(void)flags;
	(void)data;
	(void)out;
	return -EINVAL; /* needs a namespace: mount_fs */
}

/* The sizes of the layer that takes new data (the upper one, else the
 * top lower one), under overlay's own type, as Linux reports it. */
static int overlay_statfs(struct superblock *sb, struct vfs_statfs *st)
{
	struct ovl_sb *osb = sb->priv;
	const struct path *layer = osb->upper.mnt ? &osb->upper : &osb->lowers[0];
	int err = vfs_path_statfs(layer, st);

	if (err < 0)
		return err;
	st->type = OVERLAYFS_SUPER_MAGIC;
	return 0;
}

const struct fs_type overlay_type = {
    .name = "overlay",
    .mount = overlay_mount,
    .unmount = overlay_unmount,
    .mount_fs = overlay_mount_fs,
    .statfs = overlay_statfs,
};
