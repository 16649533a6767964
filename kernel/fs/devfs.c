/*
 * devfs: one directory listing the device nodes of a global table (the
 * standard ones plus whatever drivers add with devfs_add).  Nodes are
 * looked up by name into fresh vnodes whose inode number is their index
 * in the table; the table only grows, so an index stays valid.  A removed
 * node leaves an empty name behind, which the next devfs_add reuses.
 */
#include "fs/devfs.h"
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"

#define DEVFS_MAX       320 /* room for 256 loop devices */
#define DEVFS_NAME_MAX  31
#define DEVFS_ROOT_INO  1
#define DEVFS_FIRST_INO 2

struct devfs_node {
	char name[DEVFS_NAME_MAX + 1];
	uint32_t mode;
	uint64_t rdev;
};

static struct spinlock devfs_lock = SPINLOCK_INIT("devfs");
static struct devfs_node nodes[DEVFS_MAX] = {
    {"console", S_IFCHR | 0620, MKDEV(5, 1)}, {"tty", S_IFCHR | 0666, MKDEV(5, 0)},
    {"null", S_IFCHR | 0666, MKDEV(1, 3)},    {"zero", S_IFCHR | 0666, MKDEV(1, 5)},
    {"random", S_IFCHR | 0666, MKDEV(1, 8)},  {"urandom", S_IFCHR | 0666, MKDEV(1, 9)},
};
static unsigned nnodes = 6;

static const struct vnode_ops devfs_root_ops;
static const struct vnode_ops devfs_node_ops;

int devfs_add(const char *name, uint32_t mode, uint64_t rdev)
{
	size_t len = strnlen(name, DEVFS_NAME_MAX + 1);
	int err = 0;

	if (len == 0 || len > DEVFS_NAME_MAX || strchr(name, '/'))
		return -EINVAL;
	spin_lock(&devfs_lock);
	unsigned slot = nnodes;
	for (unsigned i = 0; i < nnodes; i++) {
		if (strcmp(nodes[i].name, name) == 0)
			err = -EEXIST;
		if (nodes[i].name[0] == '\0' && slot == nnodes)
			slot = i;
	}
	if (err == 0 && slot == DEVFS_MAX)
		err = -ENOSPC;
	if (err == 0) {
		memcpy(nodes[slot].name, name, len + 1);
		nodes[slot].mode = mode;
		nodes[slot].rdev = rdev;
		if (slot == nnodes)
			__atomic_store_n(&nnodes, nnodes + 1, __ATOMIC_RELEASE);
	}
	spin_unlock(&devfs_lock);
	return err;
}

int devfs_remove(const char *name)
{
	int err = -ENOENT;

	spin_lock(&devfs_lock);
	for (unsigned i = 0; i < nnodes && name[0]; i++) {
		if (strcmp(nodes[i].name, name) == 0) {
			nodes[i].name[0] = '\0';
			err = 0;
		}
	}
	spin_unlock(&devfs_lock);
	return err;
}

/* A copy of entry i; false past the end. */
static bool node_get(unsigned i, struct devfs_node *out)
{
	bool ok;

	spin_lock(&devfs_lock);
	ok = i < nnodes;
	if (ok)
		*out = nodes[i];
	spin_unlock(&devfs_lock);
	return ok;
}

int devfs_name_of(uint32_t type, uint64_t rdev, char *buf, size_t n)
{
	struct devfs_node node;

	for (unsigned i = 0; node_get(i, &node); i++) {
		if (node.name[0] && (node.mode & S_IFMT) == type && node.rdev == rdev) {
			size_t len = strlen(node.name);
			if (len >= n)
				return -ERANGE;
			memcpy(buf, node.name, len + 1);
			return 0;
		}
	}
	return -ENOENT;
}

static int devfs_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct devfs_node n;

	if (name_is_dotdot(name, len)) {
		*out = vnode_get(dir);
		return 0;
	}
	for (unsigned i = 0; node_get(i, &n); i++) {
		if (strlen(n.name) != len || memcmp(n.name, name, len) != 0)
			continue;
		*out = vnode_alloc(dir->sb, &devfs_node_ops, n.mode, DEVFS_FIRST_INO + i);
		return *out ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

static int devfs_readdir(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx)
{
	struct devfs_node n;

	if (*cookie == 0) {
		if (fill(ctx, ".", 1, dir->ino, DT_DIR))
			return 0;
		*cookie = 1;
	}
	if (*cookie == 1) {
		if (fill(ctx, "..", 2, dir->ino, DT_DIR))
			return 0;
		*cookie = 2;
	}
	while (node_get(*cookie - 2, &n)) {
		if (n.name[0] == '\0') {
			(*cookie)++;
			continue;
		}
		unsigned dt = S_ISBLK(n.mode) ? DT_BLK : DT_CHR;
		if (fill(ctx, n.name, strlen(n.name), DEVFS_FIRST_INO + *cookie - 2, dt))
			return 0;
		(*cookie)++;
	}
	return 0;
}

static int devfs_getattr(struct vnode *vn, struct vattr *va)
{
	struct devfs_node n;

	va->dev = vn->sb->dev;
	va->ino = vn->ino;
	va->mode = vn->mode;
	va->nlink = vn->ino == DEVFS_ROOT_INO ? 2 : 1;
	va->uid = va->gid = 0; /* root's, as Linux's devtmpfs nodes */
	if (vn->ino != DEVFS_ROOT_INO && node_get(vn->ino - DEVFS_FIRST_INO, &n))
		va->rdev = n.rdev;
	return 0;
}

static const struct vnode_ops devfs_root_ops = {
    .lookup = devfs_lookup,
    .readdir = devfs_readdir,
    .getattr = devfs_getattr,
};

static const struct vnode_ops devfs_node_ops = {
    .getattr = devfs_getattr,
};

static int devfs_mount(const char *source, unsigned flags, const void *data,
                       struct superblock **out)
{
	struct superblock *sb = kzalloc(sizeof(*sb));

	(void)source;
	(void)data;
	if (!sb)
		return -ENOMEM;
	sb->type = &devfs_type;
	sb->flags = flags & MS_RDONLY;
	sb->dev = vfs_anon_dev();
	sb->root = vnode_alloc(sb, &devfs_root_ops, S_IFDIR | 0755, DEVFS_ROOT_INO);
	if (!sb->root) {
		kfree(sb);
		return -ENOMEM;
	}
	*out = sb;
	return 0;
}

static void devfs_unmount(struct superblock *sb)
{
	vnode_put(sb->root);
	kfree(sb);
}

/* Linux's /dev is a devtmpfs, which reports itself as tmpfs; it holds no
 * data, so every count is 0. */
static int devfs_statfs(struct superblock *sb, struct vfs_statfs *st)
{
	(void)sb;
	st->type = TMPFS_MAGIC;
	st->bsize = 4096;
	return 0;
}

/* Nothing but device nodes: nothing to write back. */
static int devfs_sync(struct superblock *sb)
{
	(void)sb;
	return 0;
}

const struct fs_type devfs_type = {
    .name = "devfs",
    .mount = devfs_mount,
    .unmount = devfs_unmount,
    .sync = devfs_sync,
    .statfs = devfs_statfs,
};
