/*
 * Internals shared by the overlay filesystem's files (overlayfs.c: mount,
 * nodes and lookup; overlay_copyup.c: copy-up, whiteouts and opaque
 * marks; overlay_dir.c: merged directory listings; overlay_ops.c: the
 * vnode operations).
 */
#ifndef FS_OVERLAY_IMPL_H
#define FS_OVERLAY_IMPL_H

#include "fs/overlayfs.h"
#include "fs/vfs_impl.h"

#define OVL_MAX_LOWER  8
#define OVL_HASH       64
#define OVL_OPAQUE     ".wh..wh..opq"
#define OVL_OPAQUE_LEN 12
/* inode numbers: layer (0 upper, 1.. lowers) in the top byte */
#define OVL_INO(layer, ino) (((uint64_t)(layer) << 56) | ((ino) & ((1ull << 56) - 1)))

struct ovl_sb {
	struct mutex lock;   /* the node cache */
	struct mutex copyup; /* serializes copy-ups and namespace changes */
	struct path upper;   /* mnt NULL when read-only */
	struct path lowers[OVL_MAX_LOWER];
	int nlower;
	struct list hash[OVL_HASH];
};

/* One overlay file.  Nodes are cached by inode number so that a file has
 * one vnode and copy-up is seen by every user. */
struct onode {
	struct list hnode; /* in ovl_sb.hash, or alone when not hashed */
	struct vnode *vn;
	struct vnode *upper;                /* referenced, NULL until copied up */
	struct vnode *lower[OVL_MAX_LOWER]; /* referenced; directories merge all */
	int layer[OVL_MAX_LOWER];           /* of each lower: 1.. */
	int nlower;
	struct vnode *parent; /* overlay directory, referenced; NULL for the root */
	char *name;           /* in parent */
	size_t len;
	bool removed;
};

static inline struct onode *ON(struct vnode *vn)
{
	return vn->priv;
}

static inline struct ovl_sb *OSB(struct vnode *vn)
{
	return vn->sb->priv;
}

/* The vnode that holds the file's data and attributes now. */
static inline struct vnode *ovl_real(struct onode *on)
{
	return on->upper ? on->upper : on->lower[0];
}

/* overlayfs.c */
extern const struct vnode_ops ovl_vops;
/* What lookup found for one name in a directory's layers. */
struct ovl_found {
	struct vnode *upper;
	struct vnode *lower[OVL_MAX_LOWER];
	int layer[OVL_MAX_LOWER];
	int nlower;
};
int ovl_find(struct vnode *dir, const char *name, size_t len, struct ovl_found *f);
void ovl_found_put(struct ovl_found *f);
/* The cached node for f (taking f's references) or a new one. */
int ovl_node(struct vnode *dir, const char *name, size_t len, struct ovl_found *f,
             struct vnode **out);
void ovl_unhash(struct onode *on);
int ovl_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out);
void ovl_release(struct vnode *vn);

/* overlay_copyup.c */
bool ovl_is_whiteout(struct vnode *vn);
bool ovl_is_opaque(struct vnode *dir);
int ovl_copy_up(struct vnode *vn, bool data);
int ovl_whiteout(struct vnode *udir, const char *name, size_t len);
int ovl_make_opaque(struct vnode *udir);
/* Removes the hidden entries (whiteouts, opaque mark) of an upper dir. */
int ovl_clear_hidden(struct vnode *udir);
/* Does some lower layer of dir hold name (so deleting it needs a
 * whiteout)? */
bool ovl_lower_has(struct vnode *dir, const char *name, size_t len);

/* overlay_dir.c */
int ovl_readdir(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx);
/* ENOTEMPTY if the merged directory lists anything. */
int ovl_check_empty(struct vnode *dir);

#endif
