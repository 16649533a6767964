/*
 * sysfs superblock and vnodes: mounting, and the operations of its two
 * kinds of node (directories and generated files).  Every lookup makes a
 * fresh vnode; a file's text is generated on every read (its files are a
 * few bytes, so a reader always gets one whole, fresh value).
 */
#include "fs/sysfs/sysfs_impl.h"
#include "mm/kmalloc.h"

static const struct vnode_ops sys_dir_ops;
static const struct vnode_ops sys_file_ops;

int sysfs_node(struct superblock *sb, uint64_t ino, struct vnode **out)
{
	const struct sys_entry *e = &sys_entries[SYS_INO_KIND(ino)];

	*out = vnode_alloc(sb, S_ISDIR(e->mode) ? &sys_dir_ops : &sys_file_ops, e->mode, ino);
	return *out ? 0 : -ENOMEM;
}

static ssize_t sys_file_read(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	struct textbuf tb;
	ssize_t n = 0;
	int err;

	tb_init(&tb);
	err = sys_entries[SYS_INO_KIND(vn->ino)].gen(SYS_INO_SUB(vn->ino), &tb);
	if (err == 0)
		err = tb.err;
	if (err == 0 && off < tb.len) {
		n = (ssize_t)MIN(io->len, tb.len - off);
		err = iobuf_put(io, tb.data + off, (size_t)n);
	}
	tb_free(&tb);
	return err < 0 ? err : n;
}

/* Every file is read-only (0444): the permission check refuses writers
 * before this, except root, who gets Linux's answer for a file without a
 * store operation. */
static ssize_t sys_file_write(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	(void)vn;
	(void)io;
	(void)off;
	return -EACCES;
}

static int sys_file_truncate(struct vnode *vn, uint64_t size)
{
	(void)vn;
	(void)size;
	return -EACCES;
}

static int sys_getattr(struct vnode *vn, struct vattr *va)
{
	va->dev = vn->sb->dev;
	va->ino = vn->ino;
	va->mode = vn->mode;
	va->nlink = S_ISDIR(vn->mode) ? 2 : 1;
	va->uid = va->gid = 0;
	/* Linux reports a size of 4096 for every attribute file */
	va->size = S_ISDIR(vn->mode) ? 0 : 4096;
	va->atime_ns = va->mtime_ns = va->ctime_ns = vfs_now_ns();
	return 0;
}

static const struct vnode_ops sys_dir_ops = {
    .lookup = sysfs_lookup,
    .readdir = sysfs_readdir,
    .getattr = sys_getattr,
};

static const struct vnode_ops sys_file_ops = {
    .read = sys_file_read,
    .write = sys_file_write,
    .truncate = sys_file_truncate,
    .getattr = sys_getattr,
};

static int sysfs_mount(const char *source, unsigned flags, const void *data,
                       struct superblock **out)
{
	struct superblock *sb = kzalloc(sizeof(*sb));
	int err;

	(void)source;
	(void)data;
	if (!sb)
		return -ENOMEM;
	sb->type = &sysfs_type;
	sb->flags = (flags & MS_RDONLY);
	sb->dev = vfs_anon_dev();
	err = sysfs_node(sb, SYS_INO(SK_ROOT, 0), &sb->root);
	if (err < 0) {
		kfree(sb);
		return err;
	}
	*out = sb;
	return 0;
}

static void sysfs_unmount(struct superblock *sb)
{
	vnode_put(sb->root);
	kfree(sb);
}

static int sysfs_statfs(struct superblock *sb, struct vfs_statfs *st)
{
	(void)sb;
	st->type = SYSFS_MAGIC;
	st->bsize = 4096;
	return 0;
}

const struct fs_type sysfs_type = {
    .name = "sysfs",
    .mount = sysfs_mount,
    .unmount = sysfs_unmount,
    .statfs = sysfs_statfs,
};
