/*
 * procfs superblock and vnodes: mounting, and the operations of its
 * three kinds of node (directories, generated files, symlinks).  A few
 * files also take writes (their table entry has a write function).
 * Nothing is cached: every lookup makes a fresh vnode, and a file's text
 * lives in its vnode from the read that made it (see procfs_impl.h).
 */
#include "fs/procfs/procfs_impl.h"
#include "mm/kmalloc.h"
#include "proc/mutex.h"

/* The generated text of an open file. */
struct proc_file {
	struct mutex lock;
	struct textbuf text;
	bool valid;
};

static const struct vnode_ops proc_dir_ops;
static const struct vnode_ops proc_file_ops;
static const struct vnode_ops proc_link_ops;
static const struct vnode_ops proc_magic_link_ops;

/* Every procfs link but the plain ones (/proc/self, /proc/mounts) */
static bool proc_link_is_magic(unsigned kind)
{
	return kind != PK_SELF && kind != PK_MOUNTS_LINK;
}

static struct proc_node node_of(const struct vnode *vn)
{
	return (struct proc_node){PROC_INO_PID(vn->ino), PROC_INO_SUB(vn->ino), vn->sb->priv};
}

int procfs_node(struct superblock *sb, uint64_t ino, struct vnode **out)
{
	const struct proc_entry *e = &proc_entries[PROC_INO_KIND(ino)];
	const struct vnode_ops *ops = S_ISDIR(e->mode)                      ? &proc_dir_ops
	                              : PROC_IS_NS_LINK(PROC_INO_KIND(ino)) ? &proc_ns_link_ops
	                              : S_ISLNK(e->mode)                    ? &proc_link_ops
	                                                                    : &proc_file_ops;

	if (ops == &proc_link_ops && proc_link_is_magic(PROC_INO_KIND(ino)))
		ops = &proc_magic_link_ops;
	struct proc_file *pf = NULL;

	if (ops == &proc_file_ops) {
		pf = kzalloc(sizeof(*pf));
		if (!pf)
			return -ENOMEM;
		mutex_init(&pf->lock, "procfile");
		tb_init(&pf->text);
	}
	*out = vnode_alloc(sb, ops, e->mode, ino);
	if (!*out) {
		kfree(pf);
		return -ENOMEM;
	}
	(*out)->priv = pf;
	return 0;
}

/* (Re)generates the text; lock held. */
static int regenerate(struct vnode *vn, struct proc_file *pf)
{
	struct proc_node n = node_of(vn);
	struct textbuf tb;
	int err;

	if (!proc_entries[PROC_INO_KIND(vn->ino)].gen)
		return -EINVAL; /* write-only (sysrq-trigger), as Linux */
	tb_init(&tb);
	err = proc_entries[PROC_INO_KIND(vn->ino)].gen(&n, &tb);
	if (err == 0)
		err = tb.err;
	if (err < 0) {
		tb_free(&tb);
		return err;
	}
	tb_free(&pf->text);
	pf->text = tb;
	pf->valid = true;
	return 0;
}

static ssize_t proc_file_read(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	struct proc_file *pf = vn->priv;
	proc_read_fn raw = proc_entries[PROC_INO_KIND(vn->ino)].read;
	ssize_t n = 0;
	int err = 0;

	if (raw) {
		struct proc_node node = node_of(vn);
		return raw(&node, io, off);
	}
	mutex_lock(&pf->lock);
	if (off == 0 || !pf->valid)
		err = regenerate(vn, pf);
	if (err == 0 && off < pf->text.len) {
		n = (ssize_t)MIN(io->len, pf->text.len - off);
		err = iobuf_put(io, pf->text.data + off, (size_t)n);
	}
	mutex_unlock(&pf->lock);
	return err < 0 ? err : n;
}

/* Longest write a writable file takes ("3\n", a host name, a core
 * pattern); Linux takes a page. */
#define PROC_WRITE_MAX 256

static ssize_t proc_file_write(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	proc_write_fn fn = proc_entries[PROC_INO_KIND(vn->ino)].write;
	struct proc_node n = node_of(vn);
	char buf[PROC_WRITE_MAX];
	size_t len = io->len;
	int err;

	(void)off; /* like Linux's sysctl files: each write is a whole value */
	if (!fn)
		return -EINVAL; /* as for a file without a write operation */
	if (len > sizeof(buf))
		return -EINVAL;
	err = iobuf_get(io, buf, len);
	if (err == 0)
		err = fn(&n, buf, len);
	return err < 0 ? err : (ssize_t)len;
}

/* O_TRUNC on a writable file (the shell's `echo 3 > FILE`) is allowed
 * and does nothing, as on Linux. */
static int proc_file_truncate(struct vnode *vn, uint64_t size)
{
	(void)size;
	return proc_entries[PROC_INO_KIND(vn->ino)].write ? 0 : -EINVAL;
}

static void proc_file_release(struct vnode *vn)
{
	struct proc_file *pf = vn->priv;

	if (pf) {
		tb_free(&pf->text);
		kfree(pf);
	}
}

static int proc_readlink(struct vnode *vn, char *buf, size_t n)
{
	struct proc_node node = node_of(vn);
	char *tmp = kmalloc(PATH_MAX);
	int len;

	if (!tmp)
		return -ENOMEM;
	len = proc_entries[PROC_INO_KIND(vn->ino)].link(&node, tmp, PATH_MAX);
	if (len >= 0) {
		len = (int)MIN((size_t)len, n);
		memcpy(buf, tmp, (size_t)len);
	}
	kfree(tmp);
	return len;
}

static int proc_getattr(struct vnode *vn, struct vattr *va)
{
	pid_t pid = PROC_INO_PID(vn->ino);

	if (pid && !proc_task_exists(pid))
		return -ENOENT;
	va->dev = vn->sb->dev;
	va->ino = vn->ino;
	va->mode = vn->mode;
	va->nlink = S_ISDIR(vn->mode) ? 2 : 1;
	va->uid = va->gid = 0; /* root's, even under /proc/PID (Linux: the task's) */
	va->atime_ns = va->mtime_ns = va->ctime_ns = vfs_now_ns();
	return 0;
}

static const struct vnode_ops proc_dir_ops = {
    .lookup = procfs_lookup,
    .readdir = procfs_readdir,
    .getattr = proc_getattr,
};

static const struct vnode_ops proc_file_ops = {
    .read = proc_file_read,
    .write = proc_file_write,
    .truncate = proc_file_truncate,
    .getattr = proc_getattr,
    .release = proc_file_release,
};

static const struct vnode_ops proc_link_ops = {
    .readlink = proc_readlink,
    .getattr = proc_getattr,
};

/* /proc/PID/{exe,cwd,root,fd/N}: on Linux they jump to the object itself */
static const struct vnode_ops proc_magic_link_ops = {
    .readlink = proc_readlink,
    .getattr = proc_getattr,
    .magic_link = true,
};

static int procfs_mount(const char *source, unsigned flags, const void *data,
                        struct superblock **out)
{
	struct superblock *sb = kzalloc(sizeof(*sb));
	int err;

	(void)source;
	(void)data;
	if (!sb)
		return -ENOMEM;
	sb->type = &procfs_type;
	sb->flags = (flags & MS_RDONLY);
	sb->dev = vfs_anon_dev();
	/* Linux: a procfs shows the pid namespace of the task that mounts it */
	sb->priv = pid_ns_get(task_pid_ns(current()));
	err = procfs_node(sb, PROC_INO(0, PK_ROOT, 0), &sb->root);
	if (err < 0) {
		pid_ns_put(sb->priv);
		kfree(sb);
		return err;
	}
	*out = sb;
	return 0;
}

static void procfs_unmount(struct superblock *sb)
{
	vnode_put(sb->root);
	pid_ns_put(sb->priv);
	kfree(sb);
}

/* Like Linux's, a procfs holds no blocks: only its type is reported. */
static int procfs_statfs(struct superblock *sb, struct vfs_statfs *st)
{
	(void)sb;
	st->type = PROC_SUPER_MAGIC;
	st->bsize = 4096;
	return 0;
}

const struct fs_type procfs_type = {
    .name = "proc",
    .mount = procfs_mount,
    .unmount = procfs_unmount,
    .statfs = procfs_statfs,
};
