/*
 * initramfs: the cpio "newc" unpacker.
 *
 * Each entry is a 110-byte ASCII header (magic "070701", or "070702" with
 * a checksum we ignore, then thirteen 8-digit hex fields), the
 * NUL-terminated name padded to a multiple of 4 bytes counting from the
 * header's start, and the data padded likewise.  "TRAILER!!!" ends an
 * archive; zero padding and further archives may follow.  Every size is
 * checked against the buffer before use.  Hard links (nlink > 1, same
 * inode and device) after the first become links to the first name.
 */
#include "fs/initramfs.h"
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"
#include "lib/hex.h"

#define HDR_SIZE 110
#define TRAILER  "TRAILER!!!"

struct cpio_hdr {
	uint32_t ino, mode, uid, gid, nlink, mtime, filesize;
	uint32_t devmajor, devminor, rdevmajor, rdevminor, namesize, check;
};

/* One entry, as found in the buffer. */
struct cpio_entry {
	struct cpio_hdr h;
	const char *name;
	const char *data;
};

struct hardlink {
	struct list node;
	uint32_t ino, major, minor;
	char path[];
};

struct unpacker {
	struct fs_struct *fs;
	char *path; /* PATH_MAX */
	struct list links;
};

typedef int (*entry_fn)(struct unpacker *u, const struct cpio_entry *e);

static int parse_hex8(const char *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		int d = hex_digit_value(p[i]);
		if (d < 0)
			return -EINVAL;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

static bool has_magic(const char *p)
{
	return memcmp(p, "070701", 6) == 0 || memcmp(p, "070702", 6) == 0;
}

static int parse_header(const char *p, struct cpio_hdr *h)
{
	uint32_t *f = &h->ino;

	if (!has_magic(p))
		return -EINVAL;
	for (int i = 0; i < 13; i++) {
		if (parse_hex8(p + 6 + 8 * i, &f[i]) < 0)
			return -EINVAL;
	}
	return 0;
}

/* Reads the entry at *off and advances past it; 1 for a trailer. */
static int next_entry(const char *base, size_t len, size_t *off, struct cpio_entry *e)
{
	size_t name_off, data_off;

	if (*off > len || len - *off < HDR_SIZE || parse_header(base + *off, &e->h) < 0)
		return -EINVAL;
	name_off = *off + HDR_SIZE;
	if (e->h.namesize == 0 || e->h.namesize > len - name_off)
		return -EINVAL;
	e->name = base + name_off;
	if (strnlen(e->name, e->h.namesize) != e->h.namesize - 1)
		return -EINVAL;
	data_off = ALIGN_UP(name_off + e->h.namesize, (size_t)4);
	if (strcmp(e->name, TRAILER) == 0) {
		*off = data_off;
		return 1;
	}
	if (data_off > len || e->h.filesize > len - data_off)
		return -EINVAL;
	e->data = base + data_off;
	*off = ALIGN_UP(data_off + e->h.filesize, (size_t)4);
	return 0;
}

/* After a trailer: skips zero padding; true if another archive follows. */
static bool next_archive(const char *base, size_t len, size_t *off)
{
	while (*off < len && base[*off] == 0)
		(*off)++;
	return *off < len && len - *off >= 6 && has_magic(base + *off);
}

/* Hard links pair up within one archive only. */
static void forget_links(struct unpacker *u)
{
	struct list *pos, *tmp;

	list_for_each_safe(pos, tmp, &u->links)
	{
		list_remove(pos);
		kfree(list_entry(pos, struct hardlink, node));
	}
}

/* Walks every entry, calling fn (if any) on each. */
static int scan(struct unpacker *u, const char *base, size_t len, entry_fn fn)
{
	struct cpio_entry e;
	size_t off = 0;
	int err;

	for (;;) {
		err = next_entry(base, len, &off, &e);
		if (err < 0)
			return err;
		if (err == 1) {
			forget_links(u);
			if (!next_archive(base, len, &off))
				return 0;
			continue;
		}
		if (fn && (err = fn(u, &e)) < 0)
			return err;
	}
}

/* u->path = "/" + name without leading "/" or "./"; false to skip it. */
static int make_path(struct unpacker *u, const char *name)
{
	size_t len;

	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			break;
	}
	if (name[0] == 0 || strcmp(name, ".") == 0)
		return 0;
	len = strlen(name);
	if (len + 2 > PATH_MAX)
		return -ENAMETOOLONG;
	u->path[0] = '/';
	memcpy(u->path + 1, name, len + 1);
	return 1;
}

/* Makes room for a new non-directory: removes what is there. */
static void remove_existing(struct unpacker *u)
{
	struct vattr va;

	if (vfs_stat(u->fs, u->path, false, &va) < 0)
		return;
	if (S_ISDIR(va.mode))
		vfs_rmdir(u->fs, u->path);
	else
		vfs_unlink(u->fs, u->path);
}

static int write_all(struct unpacker *u, const struct cpio_entry *e, int oflags)
{
	struct kobj *o = NULL;
	struct iobuf io = iobuf_kernel((char *)e->data, e->h.filesize);
	int err = vfs_open(u->fs, u->path, O_WRONLY | oflags, e->h.mode & 07777, &o);

	while (err == 0 && io.len > 0) {
		ssize_t n = kobj_write(o, &io);
		if (n <= 0)
			err = n < 0 ? (int)n : -EIO;
	}
	if (o)
		kobj_put(o);
	return err;
}

static struct hardlink *find_link(struct unpacker *u, const struct cpio_hdr *h)
{
	struct list *pos;

	list_for_each(pos, &u->links)
	{
		struct hardlink *l = list_entry(pos, struct hardlink, node);
		if (l->ino == h->ino && l->major == h->devmajor && l->minor == h->devminor)
			return l;
	}
	return NULL;
}

static int remember_link(struct unpacker *u, const struct cpio_hdr *h)
{
	size_t len = strlen(u->path);
	struct hardlink *l = kmalloc(sizeof(*l) + len + 1);

	if (!l)
		return -ENOMEM;
	l->ino = h->ino;
	l->major = h->devmajor;
	l->minor = h->devminor;
	memcpy(l->path, u->path, len + 1);
	list_push_back(&u->links, &l->node);
	return 0;
}

static int unpack_file(struct unpacker *u, const struct cpio_entry *e)
{
	struct hardlink *l = e->h.nlink > 1 ? find_link(u, &e->h) : NULL;
	int err;

	remove_existing(u);
	if (l) {
		err = vfs_link(u->fs, l->path, u->path);
		if (err < 0 || e->h.filesize == 0)
			return err;
		return write_all(u, e, O_TRUNC);
	}
	err = write_all(u, e, O_CREAT | O_TRUNC);
	if (err == 0 && e->h.nlink > 1)
		err = remember_link(u, &e->h);
	return err;
}

static int unpack_symlink(struct unpacker *u, const struct cpio_entry *e)
{
	char *target;
	int err;

	if (e->h.filesize == 0 || e->h.filesize >= PATH_MAX)
		return -EINVAL;
	target = kmalloc(e->h.filesize + 1);
	if (!target)
		return -ENOMEM;
	memcpy(target, e->data, e->h.filesize);
	target[e->h.filesize] = 0;
	remove_existing(u);
	err = vfs_symlink(u->fs, target, u->path);
	kfree(target);
	return err;
}

/* Owner, group, modification time and exact mode of what was made. */
static int set_attrs(struct unpacker *u, const struct cpio_hdr *h)
{
	struct vattr va = {.uid = h->uid, .gid = h->gid, .mode = h->mode};
	struct path p;
	int err = vfs_walk(u->fs, u->path, 0, &p);

	if (err < 0)
		return err;
	va.mtime_ns = (int64_t)h->mtime * 1000000000;
	if (p.vn->ops->setattr)
		err =
		    p.vn->ops->setattr(p.vn, &va, VATTR_UID | VATTR_GID | VATTR_MTIME | VATTR_MODE);
	path_put(&p);
	return err;
}

static int unpack_entry(struct unpacker *u, const struct cpio_entry *e)
{
	uint32_t mode = e->h.mode;
	int err = make_path(u, e->name);

	if (err <= 0)
		return err;
	if (S_ISDIR(mode)) {
		err = vfs_mkdir(u->fs, u->path, mode & 07777);
		if (err == -EEXIST)
			err = 0;
	} else if (S_ISREG(mode)) {
		err = unpack_file(u, e);
	} else if (S_ISLNK(mode)) {
		err = unpack_symlink(u, e);
	} else if (S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) ||
	           (mode & S_IFMT) == S_IFSOCK) {
		remove_existing(u);
		err = vfs_mknod(u->fs, u->path, mode, MKDEV(e->h.rdevmajor, e->h.rdevminor));
	} else {
		err = -EINVAL;
	}
	return err < 0 ? err : set_attrs(u, &e->h);
}

int initramfs_unpack(struct fs_struct *fs, const void *cpio, size_t len)
{
	struct unpacker u = {.fs = fs};
	uint32_t umask;
	int err;

	if (!cpio)
		return -EINVAL;
	list_init(&u.links);
	err = scan(&u, cpio, len, NULL);
	if (err < 0)
		return err;
	u.path = kmalloc(PATH_MAX);
	if (!u.path)
		return -ENOMEM;
	umask = __atomic_exchange_n(&fs->umask, 0, __ATOMIC_RELAXED);
	err = scan(&u, cpio, len, unpack_entry);
	__atomic_store_n(&fs->umask, umask, __ATOMIC_RELAXED);
	forget_links(&u);
	kfree(u.path);
	return err;
}
