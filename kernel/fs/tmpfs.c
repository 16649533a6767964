/*
 * tmpfs: files, directories, symlinks and device nodes held in kernel
 * memory.
 *
 * Each file is a tnode with exactly one vnode (vn->priv), so vnode
 * references are the file's references: every directory entry holds one,
 * and so does every open file or path.  Unlinking drops the entry's
 * reference, so an unlinked file that is still open lives until it is
 * closed.  File data sits in 4 KiB blocks in a growable array; missing
 * blocks are holes that read as zeros.
 *
 * A mutex per superblock serializes the namespace (directories, links,
 * the node list); a mutex per node serializes its data and attributes.
 * Data copies to and from user memory hold only the node's lock, so a
 * page fault during them may read another tmpfs file.  Vnode references
 * are never dropped with a lock held (release takes the superblock's).
 */
#include "fs/tmpfs.h"
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/pcache.h"

#define BLOCK_SIZE     4096
#define TMPFS_MAX_SIZE ((uint64_t)1 << 40)
#define FIRST_COOKIE   3 /* 0: ".", 1: "..", 2: first entry not yet seen */

struct tmpfs_sb {
	struct mutex lock;
	struct list nodes; /* every tnode, for unmount */
	uint64_t next_ino;
	uint64_t max_blocks, max_inodes;   /* 0: no limit */
	uint64_t used_blocks, used_inodes; /* atomic */
};

struct tnode {
	struct list all; /* in tmpfs_sb.nodes */
	struct vnode *vn;
	struct mutex lock; /* data, size, times, owner, mode */
	uint32_t nlink, uid, gid;
	uint64_t rdev, size;
	int64_t atime, mtime, ctime;
	/* regular files */
	char **blocks;
	size_t nblocks; /* capacity of blocks */
	size_t nalloc;  /* blocks allocated */
	/* directories */
	struct list entries;
	struct tnode *parent; /* itself for the root, NULL once removed */
	uint64_t next_cookie;
	size_t count;
	/* symlinks */
	char *target;
	/* extended attributes (struct txattr), under lock */
	struct list xattrs;
	size_t xattr_bytes;
};

/* One extended attribute: name, NUL, value. */
struct txattr {
	struct list node;
	size_t vlen;
	char *value; /* after the name in the same allocation */
	char name[];
};

/* Bytes of attributes one node may hold (a bound on kernel memory). */
#define TMPFS_XATTR_MAX (1024 * 1024)

struct tdirent {
	struct list node; /* in the directory's entries, by cookie */
	struct tnode *tn; /* holds a reference on tn->vn */
	uint64_t cookie;
	size_t len;
	char name[];
};

static const struct vnode_ops tmpfs_vops;
static const char zero_block[BLOCK_SIZE];

static struct tnode *TN(struct vnode *vn)
{
	return vn->priv;
}

static struct tmpfs_sb *TSB(struct vnode *vn)
{
	return vn->sb->priv;
}

/* Takes n units of a limited count; false when that would pass max. */
static bool reserve(uint64_t *used, uint64_t max, uint64_t n)
{
	uint64_t now = __atomic_add_fetch(used, n, __ATOMIC_RELAXED);
	if (max && now > max) {
		__atomic_sub_fetch(used, n, __ATOMIC_RELAXED);
		return false;
	}
	return true;
}

static void unreserve(uint64_t *used, uint64_t n)
{
	__atomic_sub_fetch(used, n, __ATOMIC_RELAXED);
}

static void lock(struct vnode *vn)
{
	mutex_lock(&TSB(vn)->lock);
}

static void unlock(struct vnode *vn)
{
	mutex_unlock(&TSB(vn)->lock);
}

static bool tn_is_dir(struct tnode *tn)
{
	return S_ISDIR(tn->vn->mode);
}

static unsigned dtype_of(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return DT_DIR;
	case S_IFREG:
		return DT_REG;
	case S_IFLNK:
		return DT_LNK;
	case S_IFCHR:
		return DT_CHR;
	case S_IFBLK:
		return DT_BLK;
	case S_IFIFO:
		return DT_FIFO;
	default:
		return DT_UNKNOWN;
	}
}

/* A new node with one vnode reference for the caller; sb lock held. */
static struct tnode *tnode_new(struct superblock *sb, uint32_t mode)
{
	struct tmpfs_sb *tsb = sb->priv;
	struct tnode *tn;
	int64_t now = vfs_now_ns();

	if (!reserve(&tsb->used_inodes, tsb->max_inodes, 1))
		return NULL;
	tn = kzalloc(sizeof(*tn));
	if (tn)
		tn->vn = vnode_alloc(sb, &tmpfs_vops, mode, tsb->next_ino);
	if (!tn || !tn->vn) {
		kfree(tn);
		unreserve(&tsb->used_inodes, 1);
		return NULL;
	}
	tsb->next_ino++;
	mutex_init(&tn->lock, "tmpfs node");
	list_init(&tn->xattrs);
	tn->vn->priv = tn;
	tn->atime = tn->mtime = tn->ctime = now;
	if (S_ISDIR(mode)) {
		list_init(&tn->entries);
		tn->next_cookie = FIRST_COOKIE;
		tn->nlink = 1; /* its "." */
	}
	list_push_back(&tsb->nodes, &tn->all);
	return tn;
}

/* Frees what a node owns except its vnode; dir entries' references are
 * dropped only when put_children (never with the lock held). */
static void tnode_free_data(struct tmpfs_sb *tsb, struct tnode *tn, bool put_children)
{
	struct list *pos, *tmp;

	for (size_t i = 0; i < tn->nblocks; i++)
		kfree(tn->blocks[i]);
	unreserve(&tsb->used_blocks, tn->nalloc);
	tn->nalloc = 0;
	kfree(tn->blocks);
	kfree(tn->target);
	list_for_each_safe(pos, tmp, &tn->xattrs)
	{
		list_remove(pos);
		kfree(list_entry(pos, struct txattr, node));
	}
	if (!tn_is_dir(tn))
		return;
	list_for_each_safe(pos, tmp, &tn->entries)
	{
		struct tdirent *de = list_entry(pos, struct tdirent, node);
		list_remove(&de->node);
		if (put_children)
			vnode_put(de->tn->vn);
		kfree(de);
	}
}

static void tmpfs_release(struct vnode *vn)
{
	struct tnode *tn = TN(vn);

	lock(vn);
	list_remove(&tn->all);
	unlock(vn);
	tnode_free_data(TSB(vn), tn, true);
	unreserve(&TSB(vn)->used_inodes, 1);
	kfree(tn);
}

static struct tdirent *dir_find(struct tnode *dir, const char *name, size_t len)
{
	struct list *pos;

	list_for_each(pos, &dir->entries)
	{
		struct tdirent *de = list_entry(pos, struct tdirent, node);
		if (de->len == len && memcmp(de->name, name, len) == 0)
			return de;
	}
	return NULL;
}

static struct tdirent *dirent_new(const char *name, size_t len)
{
	struct tdirent *de = kmalloc(sizeof(*de) + len + 1);

	if (!de)
		return NULL;
	memcpy(de->name, name, len);
	de->name[len] = 0;
	de->len = len;
	return de;
}

/* Links tn into dir under de; the caller has given de one reference. */
static void dir_link(struct tnode *dir, struct tdirent *de, struct tnode *tn)
{
	de->tn = tn;
	de->cookie = dir->next_cookie++;
	list_push_back(&dir->entries, &de->node);
	dir->count++;
	tn->nlink++;
	if (tn_is_dir(tn))
		dir->nlink++; /* the child's ".." */
	dir->mtime = dir->ctime = tn->ctime = vfs_now_ns();
}

/* Unlinks de from dir and frees it; returns the node, whose reference
 * the caller must drop after unlocking. */
static struct tnode *dir_unlink(struct tnode *dir, struct tdirent *de)
{
	struct tnode *tn = de->tn;

	list_remove(&de->node);
	kfree(de);
	dir->count--;
	tn->nlink--;
	if (tn_is_dir(tn))
		dir->nlink--;
	dir->mtime = dir->ctime = tn->ctime = vfs_now_ns();
	return tn;
}

static int tmpfs_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct tnode *d = TN(dir);
	struct tdirent *de;
	int err = 0;

	lock(dir);
	if (name_is_dotdot(name, len)) {
		if (d->parent)
			*out = vnode_get(d->parent->vn);
		else
			err = -ENOENT;
	} else if ((de = dir_find(d, name, len)) != NULL) {
		*out = vnode_get(de->tn->vn);
	} else {
		err = -ENOENT;
	}
	unlock(dir);
	return err;
}

/* What create, mkdir, mknod and symlink share. */
struct make_args {
	uint32_t mode;
	uint64_t rdev;
	const char *target;
};

static int make_locked(struct vnode *dir, const char *name, size_t len, const struct make_args *a,
                       struct tnode **out)
{
	struct tnode *d = TN(dir), *tn;
	struct tdirent *de;

	if (!d->parent)
		return -ENOENT;
	if (dir_find(d, name, len))
		return -EEXIST;
	de = dirent_new(name, len);
	tn = de ? tnode_new(dir->sb, a->mode) : NULL;
	if (tn && a->target) {
		tn->size = strlen(a->target);
		tn->target = kmalloc(tn->size + 1);
		if (tn->target)
			memcpy(tn->target, a->target, tn->size + 1);
	}
	*out = tn;
	if (!tn || (a->target && !tn->target)) {
		kfree(de);
		return -ENOSPC; /* *out, if any, is dropped by the caller */
	}
	tn->rdev = a->rdev;
	if (S_ISDIR(a->mode))
		tn->parent = d;
	dir_link(d, de, tn);
	vnode_get(tn->vn); /* the entry's */
	return 0;
}

static int make(struct vnode *dir, const char *name, size_t len, const struct make_args *a,
                struct vnode **out)
{
	struct tnode *tn = NULL;
	int err;

	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	lock(dir);
	err = make_locked(dir, name, len, a, &tn);
	unlock(dir);
	if (err < 0) {
		if (tn)
			vnode_put(tn->vn);
		return err;
	}
	*out = tn->vn;
	return 0;
}

static int tmpfs_create(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                        struct vnode **out)
{
	struct make_args a = {.mode = S_IFREG | (mode & 07777)};

	return make(dir, name, len, &a, out);
}

static int tmpfs_mkdir(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                       struct vnode **out)
{
	struct make_args a = {.mode = S_IFDIR | (mode & 07777)};

	return make(dir, name, len, &a, out);
}

static int tmpfs_mknod(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                       uint64_t rdev, struct vnode **out)
{
	struct make_args a = {.mode = mode, .rdev = rdev};

	if (S_ISDIR(mode) || S_ISLNK(mode) || !(mode & S_IFMT))
		return -EINVAL;
	return make(dir, name, len, &a, out);
}

static int tmpfs_symlink(struct vnode *dir, const char *name, size_t len, const char *target,
                         struct vnode **out)
{
	struct make_args a = {.mode = S_IFLNK | 0777, .target = target};

	if (strnlen(target, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	return make(dir, name, len, &a, out);
}

static int link_locked(struct tnode *d, const char *name, size_t len, struct tnode *tn)
{
	struct tdirent *de;

	if (!d->parent || (tn->nlink == 0 && !tn->vn->linkable))
		return -ENOENT;
	if (dir_find(d, name, len))
		return -EEXIST;
	de = dirent_new(name, len);
	if (!de)
		return -ENOSPC;
	dir_link(d, de, tn);
	vnode_get(tn->vn);
	return 0;
}

static int tmpfs_link(struct vnode *dir, const char *name, size_t len, struct vnode *target)
{
	int err;

	if (target->sb != dir->sb)
		return -EXDEV;
	if (S_ISDIR(target->mode))
		return -EPERM;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	lock(dir);
	err = link_locked(TN(dir), name, len, TN(target));
	unlock(dir);
	return err;
}

static int tmpfs_unlink(struct vnode *dir, const char *name, size_t len)
{
	struct tnode *d = TN(dir), *tn = NULL;
	struct tdirent *de;
	int err = 0;

	lock(dir);
	de = dir_find(d, name, len);
	if (!de)
		err = -ENOENT;
	else if (tn_is_dir(de->tn))
		err = -EISDIR;
	else
		tn = dir_unlink(d, de);
	unlock(dir);
	if (tn)
		vnode_put(tn->vn);
	return err;
}

static int tmpfs_rmdir(struct vnode *dir, const char *name, size_t len)
{
	struct tnode *d = TN(dir), *tn = NULL;
	struct tdirent *de;
	int err = 0;

	lock(dir);
	de = dir_find(d, name, len);
	if (!de)
		err = -ENOENT;
	else if (!tn_is_dir(de->tn))
		err = -ENOTDIR;
	else if (!list_empty(&de->tn->entries))
		err = -ENOTEMPTY;
	else {
		tn = dir_unlink(d, de);
		tn->parent = NULL;
		tn->nlink = 0;
	}
	unlock(dir);
	if (tn)
		vnode_put(tn->vn);
	return err;
}

/* Checks the rename of src over dst (may be NULL) into nd; 1 if they are
 * the same file (nothing to do). */
static int rename_check(struct tnode *src, struct tnode *dst, struct tnode *nd)
{
	if (!nd->parent)
		return -ENOENT;
	if (dst == src)
		return 1;
	if (tn_is_dir(src)) {
		for (struct tnode *x = nd; x; x = x->parent == x ? NULL : x->parent) {
			if (x == src)
				return -EINVAL;
		}
	}
	if (!dst)
		return 0;
	if (tn_is_dir(src) && !tn_is_dir(dst))
		return -ENOTDIR;
	if (!tn_is_dir(src) && tn_is_dir(dst))
		return -EISDIR;
	if (tn_is_dir(dst) && !list_empty(&dst->entries))
		return -ENOTEMPTY;
	return 0;
}

static int rename_locked(struct tnode *od, const char *oldname, size_t oldlen, struct tnode *nd,
                         const char *newname, size_t newlen, struct tnode **victim)
{
	struct tdirent *ode = dir_find(od, oldname, oldlen);
	struct tdirent *nde = dir_find(nd, newname, newlen), *de;
	struct tnode *src;
	int err;

	if (!ode)
		return -ENOENT;
	src = ode->tn;
	err = rename_check(src, nde ? nde->tn : NULL, nd);
	if (err)
		return err < 0 ? err : 0;
	de = dirent_new(newname, newlen);
	if (!de)
		return -ENOSPC;
	if (nde) {
		*victim = dir_unlink(nd, nde);
		if (tn_is_dir(*victim)) {
			(*victim)->parent = NULL;
			(*victim)->nlink = 0;
		}
	}
	dir_unlink(od, ode);
	dir_link(nd, de, src); /* the old entry's reference moves over */
	if (tn_is_dir(src))
		src->parent = nd;
	return 0;
}

static int tmpfs_rename(struct vnode *olddir, const char *oldname, size_t oldlen,
                        struct vnode *newdir, const char *newname, size_t newlen)
{
	struct tnode *victim = NULL;
	int err;

	if (olddir->sb != newdir->sb)
		return -EXDEV;
	if (newlen > NAME_MAX)
		return -ENAMETOOLONG;
	lock(olddir);
	err = rename_locked(TN(olddir), oldname, oldlen, TN(newdir), newname, newlen, &victim);
	unlock(olddir);
	if (victim)
		vnode_put(victim->vn);
	return err;
}

/* Swaps the files of two entries; a directory that changes parent takes
 * its ".." link along. */
static int exchange_locked(struct tnode *od, const char *oldname, size_t oldlen, struct tnode *nd,
                           const char *newname, size_t newlen)
{
	struct tdirent *ode = dir_find(od, oldname, oldlen);
	struct tdirent *nde = dir_find(nd, newname, newlen);
	if (!ode || !nde || !od->parent || !nd->parent)
		return -ENOENT;
	struct tnode *a = ode->tn, *b = nde->tn;
	if (a == b)
		return 0;
	ode->tn = b;
	nde->tn = a;
	if (od != nd) {
		if (tn_is_dir(a)) {
			a->parent = nd;
			od->nlink--;
			nd->nlink++;
		}
		if (tn_is_dir(b)) {
			b->parent = od;
			nd->nlink--;
			od->nlink++;
		}
	}
	int64_t now = vfs_now_ns();
	od->mtime = od->ctime = nd->mtime = nd->ctime = a->ctime = b->ctime = now;
	return 0;
}

static int tmpfs_exchange(struct vnode *olddir, const char *oldname, size_t oldlen,
                          struct vnode *newdir, const char *newname, size_t newlen)
{
	if (olddir->sb != newdir->sb)
		return -EXDEV;
	lock(olddir);
	int err = exchange_locked(TN(olddir), oldname, oldlen, TN(newdir), newname, newlen);
	unlock(olddir);
	return err;
}

static int tmpfs_readlink(struct vnode *vn, char *buf, size_t n)
{
	struct tnode *tn = TN(vn);
	size_t len;

	if (!S_ISLNK(vn->mode))
		return -EINVAL;
	len = MIN(n, tn->size); /* a symlink never changes */
	memcpy(buf, tn->target, len);
	return (int)len;
}

static ssize_t read_locked(struct tnode *tn, struct iobuf *io, uint64_t off)
{
	size_t n, done = 0;

	if (off >= tn->size)
		return 0;
	n = MIN(io->len, tn->size - off);
	while (done < n) {
		uint64_t pos = off + done;
		size_t idx = pos / BLOCK_SIZE, boff = pos % BLOCK_SIZE;
		size_t chunk = MIN(BLOCK_SIZE - boff, n - done);
		const char *src = zero_block;
		if (idx < tn->nblocks && tn->blocks[idx])
			src = tn->blocks[idx] + boff;
		if (iobuf_put(io, src, chunk) < 0)
			return done ? (ssize_t)done : -EFAULT;
		done += chunk;
	}
	return (ssize_t)done;
}

static ssize_t tmpfs_read(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	ssize_t n;

	if (S_ISDIR(vn->mode))
		return -EISDIR;
	if (!S_ISREG(vn->mode))
		return -EINVAL;
	mutex_lock(&TN(vn)->lock);
	n = read_locked(TN(vn), io, off);
	mutex_unlock(&TN(vn)->lock);
	return n;
}

/* Makes room for at least `need` block pointers. */
static int grow_blocks(struct tnode *tn, size_t need)
{
	size_t cap = tn->nblocks ? tn->nblocks : 8;
	char **arr;

	if (need <= tn->nblocks)
		return 0;
	while (cap < need)
		cap *= 2;
	arr = kzalloc(cap * sizeof(*arr));
	if (!arr)
		return -ENOSPC;
	if (tn->blocks)
		memcpy(arr, tn->blocks, tn->nblocks * sizeof(*arr));
	kfree(tn->blocks);
	tn->blocks = arr;
	tn->nblocks = cap;
	return 0;
}

/* The block at idx, allocated if it is a hole; NULL when the mount is
 * full or memory is out (both ENOSPC, as Linux's tmpfs). */
static char *block_for_write(struct tnode *tn, size_t idx)
{
	struct tmpfs_sb *tsb = TSB(tn->vn);

	if (!tn->blocks[idx]) {
		if (!reserve(&tsb->used_blocks, tsb->max_blocks, 1))
			return NULL;
		tn->blocks[idx] = kzalloc(BLOCK_SIZE);
		if (!tn->blocks[idx]) {
			unreserve(&tsb->used_blocks, 1);
			return NULL;
		}
		tn->nalloc++;
	}
	return tn->blocks[idx];
}

static ssize_t write_locked(struct tnode *tn, struct iobuf *io, uint64_t off)
{
	size_t n = io->len, done = 0;
	int err = grow_blocks(tn, (off + n + BLOCK_SIZE - 1) / BLOCK_SIZE);

	while (err == 0 && done < n) {
		uint64_t pos = off + done;
		size_t idx = pos / BLOCK_SIZE, boff = pos % BLOCK_SIZE;
		size_t chunk = MIN(BLOCK_SIZE - boff, n - done);
		char *blk = block_for_write(tn, idx);
		if (!blk)
			err = -ENOSPC;
		else if (iobuf_get(io, blk + boff, chunk) < 0)
			err = -EFAULT;
		else
			done += chunk;
	}
	if (done) {
		tn->size = MAX(tn->size, off + done);
		tn->mtime = tn->ctime = vfs_now_ns();
	}
	return done ? (ssize_t)done : err;
}

static ssize_t tmpfs_write(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	ssize_t n;

	if (S_ISDIR(vn->mode))
		return -EISDIR;
	if (!S_ISREG(vn->mode))
		return -EINVAL;
	if (io->len == 0)
		return 0;
	if (off >= TMPFS_MAX_SIZE || io->len > TMPFS_MAX_SIZE - off)
		return -EFBIG;
	mutex_lock(&TN(vn)->lock);
	n = write_locked(TN(vn), io, off);
	mutex_unlock(&TN(vn)->lock);
	return n;
}

static void truncate_locked(struct tnode *tn, uint64_t size)
{
	size_t keep = (size + BLOCK_SIZE - 1) / BLOCK_SIZE, tail = size % BLOCK_SIZE;

	for (size_t i = keep; size < tn->size && i < tn->nblocks; i++) {
		if (tn->blocks[i]) {
			kfree(tn->blocks[i]);
			tn->blocks[i] = NULL;
			tn->nalloc--;
			unreserve(&TSB(tn->vn)->used_blocks, 1);
		}
	}
	/* Zero the rest of the last block so that growing reads zeros. */
	if (size < tn->size && tail && keep - 1 < tn->nblocks && tn->blocks[keep - 1])
		memset(tn->blocks[keep - 1] + tail, 0, BLOCK_SIZE - tail);
	tn->size = size;
	tn->mtime = tn->ctime = vfs_now_ns();
}

static int tmpfs_truncate(struct vnode *vn, uint64_t size)
{
	if (S_ISDIR(vn->mode))
		return -EISDIR;
	if (!S_ISREG(vn->mode))
		return -EINVAL;
	if (size > TMPFS_MAX_SIZE)
		return -EFBIG;
	mutex_lock(&TN(vn)->lock);
	truncate_locked(TN(vn), size);
	mutex_unlock(&TN(vn)->lock);
	return 0;
}

static int tmpfs_getattr(struct vnode *vn, struct vattr *va)
{
	struct tnode *tn = TN(vn);

	mutex_lock(&tn->lock);
	va->dev = vn->sb->dev;
	va->ino = vn->ino;
	va->mode = vn->mode;
	va->nlink = tn->nlink;
	va->uid = tn->uid;
	va->gid = tn->gid;
	va->rdev = tn->rdev;
	va->size = tn_is_dir(tn) ? (tn->count + 2) * 20 : tn->size;
	va->blocks = tn->nalloc * (BLOCK_SIZE / 512);
	va->atime_ns = tn->atime;
	va->mtime_ns = tn->mtime;
	va->ctime_ns = tn->ctime;
	mutex_unlock(&tn->lock);
	return 0;
}

static int tmpfs_setattr(struct vnode *vn, const struct vattr *va, unsigned mask)
{
	struct tnode *tn = TN(vn);

	mutex_lock(&tn->lock);
	if (mask & VATTR_MODE)
		vn->mode = (vn->mode & S_IFMT) | (va->mode & 07777);
	if (mask & VATTR_UID)
		tn->uid = va->uid;
	if (mask & VATTR_GID)
		tn->gid = va->gid;
	if (mask & VATTR_ATIME)
		tn->atime = va->atime_ns;
	if (mask & VATTR_MTIME)
		tn->mtime = va->mtime_ns;
	tn->ctime = vfs_now_ns();
	mutex_unlock(&tn->lock);
	return 0;
}

/* Emits ".", ".." and then the entries after *cookie. */
static int readdir_locked(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx)
{
	struct tnode *d = TN(dir);
	struct list *pos;

	if (*cookie == 0) {
		if (fill(ctx, ".", 1, dir->ino, DT_DIR))
			return 0;
		*cookie = 1;
	}
	if (*cookie == 1) {
		if (fill(ctx, "..", 2, d->parent ? d->parent->vn->ino : dir->ino, DT_DIR))
			return 0;
		*cookie = 2;
	}
	list_for_each(pos, &d->entries)
	{
		struct tdirent *de = list_entry(pos, struct tdirent, node);
		if (de->cookie <= *cookie)
			continue;
		if (fill(ctx, de->name, de->len, de->tn->vn->ino, dtype_of(de->tn->vn->mode)))
			return 0;
		*cookie = de->cookie;
	}
	return 0;
}

static int tmpfs_readdir(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx)
{
	int err;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	lock(dir);
	err = readdir_locked(dir, cookie, fill, ctx);
	unlock(dir);
	return err;
}

static struct txattr *xattr_find(struct tnode *tn, const char *name)
{
	struct list *pos;

	list_for_each(pos, &tn->xattrs)
	{
		struct txattr *x = list_entry(pos, struct txattr, node);
		if (strcmp(x->name, name) == 0)
			return x;
	}
	return NULL;
}

static size_t xattr_cost(const char *name, size_t vlen)
{
	return sizeof(struct txattr) + strlen(name) + 1 + vlen;
}

static int tmpfs_getxattr(struct vnode *vn, const char *name, void *buf, size_t size)
{
	struct tnode *tn = TN(vn);
	struct txattr *x;
	int r;

	mutex_lock(&tn->lock);
	x = xattr_find(tn, name);
	if (!x)
		r = -ENODATA;
	else if (size && x->vlen > size)
		r = -ERANGE;
	else {
		if (size)
			memcpy(buf, x->value, x->vlen);
		r = (int)x->vlen;
	}
	mutex_unlock(&tn->lock);
	return r;
}

static void xattr_drop(struct tnode *tn, struct txattr *x)
{
	tn->xattr_bytes -= xattr_cost(x->name, x->vlen);
	list_remove(&x->node);
	kfree(x);
}

static int tmpfs_setxattr(struct vnode *vn, const char *name, const void *value, size_t size,
                          int flags)
{
	struct tnode *tn = TN(vn);
	size_t nlen = strlen(name) + 1, cost = xattr_cost(name, size);
	struct txattr *x = kmalloc(sizeof(*x) + nlen + size), *old;
	int err = 0;

	if (!x)
		return -ENOSPC;
	memcpy(x->name, name, nlen);
	x->value = x->name + nlen;
	x->vlen = size;
	memcpy(x->value, value, size);
	mutex_lock(&tn->lock);
	old = xattr_find(tn, name);
	if (old && (flags & XATTR_CREATE))
		err = -EEXIST;
	else if (!old && (flags & XATTR_REPLACE))
		err = -ENODATA;
	else if (tn->xattr_bytes - (old ? xattr_cost(name, old->vlen) : 0) + cost > TMPFS_XATTR_MAX)
		err = -ENOSPC;
	if (err == 0) {
		if (old)
			xattr_drop(tn, old);
		list_push_back(&tn->xattrs, &x->node);
		tn->xattr_bytes += cost;
		tn->ctime = vfs_now_ns();
	}
	mutex_unlock(&tn->lock);
	if (err < 0)
		kfree(x);
	return err;
}

static int tmpfs_listxattr(struct vnode *vn, char *buf, size_t size)
{
	struct tnode *tn = TN(vn);
	struct list *pos;
	size_t len = 0;
	int r = 0;

	mutex_lock(&tn->lock);
	list_for_each(pos, &tn->xattrs)
	{
		struct txattr *x = list_entry(pos, struct txattr, node);
		size_t n = strlen(x->name) + 1;
		if (size && len + n > size) {
			r = -ERANGE;
			break;
		}
		if (size)
			memcpy(buf + len, x->name, n);
		len += n;
	}
	mutex_unlock(&tn->lock);
	return r < 0 ? r : (int)len;
}

static int tmpfs_removexattr(struct vnode *vn, const char *name)
{
	struct tnode *tn = TN(vn);
	struct txattr *x;
	int err = 0;

	mutex_lock(&tn->lock);
	x = xattr_find(tn, name);
	if (x) {
		xattr_drop(tn, x);
		tn->ctime = vfs_now_ns();
	} else
		err = -ENODATA;
	mutex_unlock(&tn->lock);
	return err;
}

static const struct vnode_ops tmpfs_vops = {
    .lookup = tmpfs_lookup,
    .create = tmpfs_create,
    .mkdir = tmpfs_mkdir,
    .mknod = tmpfs_mknod,
    .symlink = tmpfs_symlink,
    .link = tmpfs_link,
    .unlink = tmpfs_unlink,
    .rmdir = tmpfs_rmdir,
    .rename = tmpfs_rename,
    .exchange = tmpfs_exchange,
    .readlink = tmpfs_readlink,
    .read = tmpfs_read,
    .write = tmpfs_write,
    .truncate = tmpfs_truncate,
    .getattr = tmpfs_getattr,
    .setattr = tmpfs_setattr,
    .readdir = tmpfs_readdir,
    .release = tmpfs_release,
    .getxattr = tmpfs_getxattr,
    .setxattr = tmpfs_setxattr,
    .listxattr = tmpfs_listxattr,
    .removexattr = tmpfs_removexattr,
};

static int tmpfs_mount(const char *source, unsigned flags, const void *data,
                       struct superblock **out)
{
	struct superblock *sb = NULL;
	struct tmpfs_sb *tsb = NULL;
	struct tnode *root;
	struct tmpfs_opts o;
	int err = tmpfs_parse_opts(data, &o);

	(void)source;
	if (err < 0)
		return err;
	sb = kzalloc(sizeof(*sb));
	tsb = kzalloc(sizeof(*tsb));
	if (!sb || !tsb)
		goto fail;
	mutex_init(&tsb->lock, "tmpfs");
	list_init(&tsb->nodes);
	tsb->next_ino = 1;
	tsb->max_blocks = o.max_blocks;
	tsb->max_inodes = o.max_inodes;
	sb->type = &tmpfs_type;
	sb->flags = flags & MS_RDONLY;
	sb->dev = vfs_anon_dev();
	sb->priv = tsb;
	mutex_lock(&tsb->lock);
	root = tnode_new(sb, S_IFDIR | o.mode);
	mutex_unlock(&tsb->lock);
	if (!root)
		goto fail;
	root->uid = o.uid;
	root->gid = o.gid;
	root->nlink = 2;
	root->parent = root;
	sb->root = root->vn;
	*out = sb;
	return 0;
fail:
	kfree(sb);
	kfree(tsb);
	return -ENOMEM;
}

/* Frees every node at once: nothing outside references them any more. */
static void tmpfs_unmount(struct superblock *sb)
{
	struct tmpfs_sb *tsb = sb->priv;
	struct list *pos, *tmp;

	list_for_each_safe(pos, tmp, &tsb->nodes)
	{
		struct tnode *tn = list_entry(pos, struct tnode, all);
		list_remove(&tn->all);
		if (tn->vn->pcache) { /* written back into tn first */
			pcache_sync(tn->vn);
			pcache_destroy(tn->vn);
		}
		tnode_free_data(tsb, tn, false);
		vnode_discard(tn->vn);
		kfree(tn);
	}
	kfree(tsb);
	kfree(sb);
}

/* The mount's limits, or for a limit of 0 what memory allows (each free
 * page could hold one more block or node). */
static int tmpfs_statfs(struct superblock *sb, struct vfs_statfs *st)
{
	struct tmpfs_sb *tsb = sb->priv;
	uint64_t blocks = __atomic_load_n(&tsb->used_blocks, __ATOMIC_RELAXED);
	uint64_t nodes = __atomic_load_n(&tsb->used_inodes, __ATOMIC_RELAXED);
	uint64_t free_pages = page_free_count() * (PAGE_SIZE / BLOCK_SIZE);

	st->type = TMPFS_MAGIC;
	st->bsize = BLOCK_SIZE;
	st->blocks = tsb->max_blocks ? tsb->max_blocks : blocks + free_pages;
	st->bfree = st->bavail = st->blocks > blocks ? st->blocks - blocks : 0;
	st->files = tsb->max_inodes ? tsb->max_inodes : nodes + free_pages;
	st->ffree = st->files > nodes ? st->files - nodes : 0;
	return 0;
}

/* Memory only: nothing to write back. */
static int tmpfs_sync(struct superblock *sb)
{
	(void)sb;
	return 0;
}

const struct fs_type tmpfs_type = {
    .name = "tmpfs",
    .tmpfile = true,
    .mount = tmpfs_mount,
    .unmount = tmpfs_unmount,
    .sync = tmpfs_sync,
    .statfs = tmpfs_statfs,
};
