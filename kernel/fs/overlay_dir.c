/*
 * overlay: merged directory listings.
 *
 * Each readdir call rebuilds the merged list of a directory from its
 * layers (upper first, then the lowers it merges): the first layer
 * holding a name decides its type; whiteouts hide the name in the layers
 * below; the opaque mark is never listed; inode numbers follow the same
 * rules as lookup (overlayfs.c), so that getcwd can find a directory by
 * its inode number.  The cookie is 0 (".") or 1 ("..") or 2 + the index
 * in the list, which is stable while the directory does not change.
 */
#include "fs/overlay_impl.h"
#include "mm/kmalloc.h"

struct raw_ent {
	char *name;
	size_t len;
	uint64_t ino;
	unsigned dtype;
};

struct raw_list {
	struct raw_ent *v;
	size_t n, cap;
	int err;
};

struct merged_ent {
	char *name; /* owned */
	size_t len;
	uint64_t ino;
	unsigned dtype;
	bool hidden;      /* a whiteout: hides lower entries, not listed */
	bool origin_done; /* inode number settled */
	bool upper_dir;   /* a directory of the upper layer */
};

struct merged {
	struct merged_ent *v;
	size_t n, cap;
};

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	void *nv;

	if (n < *cap)
		return 0;
	nv = kmalloc(ncap * size);
	if (!nv)
		return -ENOMEM;
	if (*v)
		memcpy(nv, *v, n * size);
	kfree(*v);
	*v = nv;
	*cap = ncap;
	return 0;
}

static int collect_raw(void *ctx, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	struct raw_list *r = ctx;
	char *copy;

	if (name_is_dot(name, len) || name_is_dotdot(name, len))
		return 0;
	if (len == OVL_OPAQUE_LEN && memcmp(name, OVL_OPAQUE, len) == 0)
		return 0;
	if ((r->err = grow((void **)&r->v, &r->cap, r->n, sizeof(*r->v))) < 0)
		return 1;
	if (!(copy = kmalloc(len + 1))) {
		r->err = -ENOMEM;
		return 1;
	}
	memcpy(copy, name, len);
	copy[len] = 0;
	r->v[r->n++] = (struct raw_ent){copy, len, ino, dtype};
	return 0;
}

static void raw_free(struct raw_list *r)
{
	for (size_t i = 0; i < r->n; i++)
		kfree(r->v[i].name);
	kfree(r->v);
}

/* The entries of one real directory, without ".", ".." and the mark;
 * the caller frees r even on error. */
static int read_raw(struct vnode *dir, struct raw_list *r)
{
	uint64_t cookie = 0;
	int err;

	memset(r, 0, sizeof(*r));
	if (!dir->ops->readdir)
		return -ENOTDIR;
	err = dir->ops->readdir(dir, &cookie, collect_raw, r);
	return err < 0 ? err : r->err;
}

static bool raw_is_whiteout(struct vnode *dir, const struct raw_ent *e)
{
	struct vnode *vn;
	bool wh;

	if (e->dtype != DT_CHR || vnode_lookup(dir, e->name, e->len, &vn) < 0)
		return false;
	wh = ovl_is_whiteout(vn);
	vnode_put(vn);
	return wh;
}

static struct merged_ent *find(struct merged *m, const char *name, size_t len)
{
	for (size_t i = 0; i < m->n; i++) {
		if (m->v[i].len == len && memcmp(m->v[i].name, name, len) == 0)
			return &m->v[i];
	}
	return NULL;
}

/* Moves e (its name) into m. */
static int add(struct merged *m, struct raw_ent *e, uint64_t ino, bool hidden, bool origin_done)
{
	int err = grow((void **)&m->v, &m->cap, m->n, sizeof(*m->v));

	if (err < 0)
		return err;
	m->v[m->n++] = (struct merged_ent){e->name,
	                                   e->len,
	                                   ino,
	                                   e->dtype,
	                                   hidden,
	                                   origin_done,
	                                   e->dtype == DT_DIR && !hidden && !origin_done};
	e->name = NULL;
	return 0;
}

/* An upper directory that is opaque has no lower origin. */
static bool upper_child_opaque(struct vnode *udir, struct merged_ent *e)
{
	struct vnode *vn;
	bool opaque;

	if (vnode_lookup(udir, e->name, e->len, &vn) < 0)
		return true;
	opaque = ovl_is_opaque(vn);
	vnode_put(vn);
	return opaque;
}

/* A lower entry for a name already listed: may settle its inode number. */
static void merge_known(struct onode *d, struct vnode *ldir, int layer, struct merged_ent *e,
                        struct raw_ent *r)
{
	if (e->hidden || e->origin_done)
		return;
	e->origin_done = true;
	if (raw_is_whiteout(ldir, r) || (e->dtype == DT_DIR) != (r->dtype == DT_DIR))
		return;
	if (e->upper_dir && upper_child_opaque(d->upper, e))
		return;
	e->ino = OVL_INO(layer, r->ino);
}

static int merge_layer(struct onode *d, struct vnode *dir, int layer, struct merged *m)
{
	struct raw_list r;
	int err = read_raw(dir, &r);

	for (size_t i = 0; err == 0 && i < r.n; i++) {
		struct raw_ent *e = &r.v[i];
		struct merged_ent *known = find(m, e->name, e->len);
		if (known && layer > 0)
			merge_known(d, dir, layer, known, e);
		else if (!known)
			err = add(m, e, OVL_INO(layer, e->ino), raw_is_whiteout(dir, e), layer > 0);
	}
	raw_free(&r);
	return err;
}

static void merged_free(struct merged *m)
{
	for (size_t i = 0; i < m->n; i++)
		kfree(m->v[i].name);
	kfree(m->v);
}

static int build(struct vnode *dir, struct merged *m)
{
	struct onode *d = ON(dir);
	int err = 0;

	memset(m, 0, sizeof(*m));
	if (d->upper)
		err = merge_layer(d, d->upper, 0, m);
	for (int i = 0; err == 0 && i < d->nlower; i++)
		err = merge_layer(d, d->lower[i], d->layer[i], m);
	if (err < 0)
		merged_free(m);
	return err;
}

static int emit(struct vnode *dir, struct merged *m, uint64_t *cookie, vfs_filldir_fn fill,
                void *ctx)
{
	struct onode *d = ON(dir);

	if (*cookie == 0) {
		if (fill(ctx, ".", 1, dir->ino, DT_DIR))
			return 0;
		*cookie = 1;
	}
	if (*cookie == 1) {
		if (fill(ctx, "..", 2, d->parent ? d->parent->ino : dir->ino, DT_DIR))
			return 0;
		*cookie = 2;
	}
	for (uint64_t i = *cookie - 2; i < m->n; i++) {
		struct merged_ent *e = &m->v[i];
		if (!e->hidden && fill(ctx, e->name, e->len, e->ino, e->dtype))
			return 0;
		*cookie = i + 3;
	}
	return 0;
}

int ovl_readdir(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx)
{
	struct merged m;
	int err;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (ON(dir)->removed)
		return 0;
	err = build(dir, &m);
	if (err < 0)
		return err;
	err = emit(dir, &m, cookie, fill, ctx);
	merged_free(&m);
	return err;
}

int ovl_check_empty(struct vnode *dir)
{
	struct merged m;
	int err = build(dir, &m);

	if (err < 0)
		return err;
	for (size_t i = 0; i < m.n; i++) {
		if (!m.v[i].hidden)
			err = -ENOTEMPTY;
	}
	merged_free(&m);
	return err;
}
