/*
 * ext2 directories: blocks of variable-length entries.  Each entry's
 * rec_len reaches the next one (a multiple of 4; the last entry of a block
 * reaches its end), so an entry can hold spare room after its name.
 * Inserting uses an unused entry or splits the spare room off one;
 * removing merges the entry into the one before it in the block (or marks
 * the first entry of a block unused).  Every entry is checked while
 * walking; a malformed one makes the operation fail with EIO.
 *
 * Hashed directory indexes (dir_index) are read as the plain entries they
 * are built on; a changed directory loses its index flag, as the format
 * allows, and e2fsck -D can rebuild it.
 */
#include "fs/ext2/ext2.h"

/* Called for each entry: de (in buffer b at byte offset off of the
 * directory), prev the entry before it in the same block or NULL.
 * Returns 0 to go on, 1 to stop, or -errno. */
typedef int (*scan_fn)(void *ctx, struct buf *b, struct ext2_dirent *de, struct ext2_dirent *prev,
                       uint64_t off);

unsigned ext2_name_len(struct ext2_fs *fs, const struct ext2_dirent *de)
{
	return fs->filetype ? de->name_len : de->name_len | (de->file_type << 8);
}

static unsigned name_len(struct ext2_inode *dir, const struct ext2_dirent *de)
{
	return ext2_name_len(dir->fs, de);
}

static bool entry_ok(struct ext2_inode *dir, const struct ext2_dirent *de, uint32_t pos)
{
	struct ext2_fs *fs = dir->fs;

	if (de->rec_len < EXT2_DIRENT_HDR || de->rec_len % 4 || pos + de->rec_len > fs->bsize)
		return false;
	if (de->inode && (name_len(dir, de) + EXT2_DIRENT_HDR > de->rec_len ||
	                  de->inode > fs->sb.s_inodes_count))
		return false;
	return true;
}

/* Walks the entries of one directory block. */
static int scan_block(struct ext2_inode *dir, struct buf *b, uint64_t base, uint64_t start,
                      scan_fn fn, void *ctx)
{
	struct ext2_dirent *prev = NULL;

	for (uint32_t pos = 0; pos < dir->fs->bsize;) {
		struct ext2_dirent *de = (struct ext2_dirent *)(b->data + pos);
		if (!entry_ok(dir, de, pos))
			return ext2_corrupt(dir->fs, "bad directory entry in inode", dir->ino);
		if (base + pos >= start) {
			int r = fn(ctx, b, de, prev, base + pos);
			if (r)
				return r;
		}
		prev = de;
		pos += de->rec_len;
	}
	return 0;
}

static int scan(struct ext2_inode *dir, uint64_t start, scan_fn fn, void *ctx)
{
	struct ext2_fs *fs = dir->fs;
	uint64_t nblocks = ext2_isize(dir) / fs->bsize;

	for (uint64_t l = start / fs->bsize; l < nblocks; l++) {
		uint32_t blk;
		struct buf *b;
		int err = ext2_bmap(dir, l, false, &blk, NULL);
		if (err == 0 && !blk)
			err = ext2_corrupt(fs, "hole in directory", dir->ino);
		if (err == 0)
			err = bread(fs->dev, blk, fs->bsize, &b);
		if (err < 0)
			return err;
		err = scan_block(dir, b, l * fs->bsize, start, fn, ctx);
		brelse(b);
		if (err)
			return err < 0 ? err : 0;
	}
	return 0;
}

static void modified(struct ext2_inode *dir)
{
	dir->d.i_flags &= ~EXT2_INDEX_FL;
	ext2_touch(dir, true, true);
}

static unsigned ft_of(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return EXT2_FT_REG;
	case S_IFDIR:
		return EXT2_FT_DIR;
	case S_IFCHR:
		return EXT2_FT_CHR;
	case S_IFBLK:
		return EXT2_FT_BLK;
	case S_IFIFO:
		return EXT2_FT_FIFO;
	case S_IFSOCK:
		return EXT2_FT_SOCK;
	case S_IFLNK:
		return EXT2_FT_LNK;
	}
	return EXT2_FT_UNKNOWN;
}

unsigned ext2_dtype(const struct ext2_dirent *de, bool filetype)
{
	static const unsigned char map[] = {DT_UNKNOWN, DT_REG,  DT_DIR,           DT_CHR,
	                                    DT_BLK,     DT_FIFO, 12 /* DT_SOCK */, DT_LNK};

	if (!filetype || de->file_type >= sizeof(map))
		return DT_UNKNOWN;
	return map[de->file_type];
}

/* Fills an entry's name and type. */
static void fill_entry(struct ext2_inode *dir, struct ext2_dirent *de, const char *name, size_t len,
                       uint32_t ino, uint32_t mode)
{
	de->inode = ino;
	de->name_len = (uint8_t)len;
	de->file_type = dir->fs->filetype ? (uint8_t)ft_of(mode) : 0;
	memcpy(de->name, name, len);
}

struct lookup_ctx {
	struct ext2_inode *dir;
	const char *name;
	size_t len;
	uint32_t ino;
	uint32_t mode; /* dir_set */
	int action;    /* 0 find, 1 set, 2 remove */
};

static int match(void *c, struct buf *b, struct ext2_dirent *de, struct ext2_dirent *prev,
                 uint64_t off)
{
	struct lookup_ctx *x = c;

	(void)off;
	if (!de->inode || name_len(x->dir, de) != x->len || memcmp(de->name, x->name, x->len) != 0)
		return 0;
	if (x->action == 0) {
		x->ino = de->inode;
	} else if (x->action == 1) {
		de->inode = x->ino;
		if (x->mode && x->dir->fs->filetype)
			de->file_type = (uint8_t)ft_of(x->mode);
		bdirty(b);
	} else {
		if (prev)
			prev->rec_len += de->rec_len;
		else
			de->inode = 0;
		bdirty(b);
	}
	return 1;
}

static int lookup_op(struct ext2_inode *dir, struct lookup_ctx *x)
{
	int err;

	x->ino = x->action == 1 ? x->ino : 0;
	err = scan(dir, 0, match, x);
	if (err < 0)
		return err;
	return x->action == 1 ? 0 : (x->ino || x->action == 2 ? 0 : -ENOENT);
}

int ext2_dir_find(struct ext2_inode *dir, const char *name, size_t len, uint32_t *ino)
{
	struct lookup_ctx x = {.dir = dir, .name = name, .len = len, .action = 0};
	int err;

	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	err = lookup_op(dir, &x);
	*ino = x.ino;
	return err;
}

int ext2_dir_set(struct ext2_inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode)
{
	struct lookup_ctx x = {
	    .dir = dir, .name = name, .len = len, .ino = ino, .mode = mode, .action = 1};
	int err = lookup_op(dir, &x);

	if (err == 0)
		modified(dir);
	return err;
}

/* Removal: find the entry first so that a missing name is ENOENT. */
int ext2_dir_remove(struct ext2_inode *dir, const char *name, size_t len)
{
	struct lookup_ctx x = {.dir = dir, .name = name, .len = len, .action = 0};
	int err = lookup_op(dir, &x);

	if (err < 0)
		return err;
	x.action = 2;
	err = scan(dir, 0, match, &x);
	if (err == 0)
		modified(dir);
	return err;
}

struct add_ctx {
	struct ext2_inode *dir;
	const char *name;
	size_t len;
	uint32_t ino, mode;
	bool done;
};

static int add_here(void *c, struct buf *b, struct ext2_dirent *de, struct ext2_dirent *prev,
                    uint64_t off)
{
	struct add_ctx *x = c;
	uint32_t need = EXT2_DIRENT_LEN(x->len);

	(void)prev;
	(void)off;
	if (!de->inode && de->rec_len >= need) {
		fill_entry(x->dir, de, x->name, x->len, x->ino, x->mode);
	} else if (de->inode) {
		uint32_t used = EXT2_DIRENT_LEN(name_len(x->dir, de));
		if (de->rec_len < used + need)
			return 0;
		struct ext2_dirent *ne = (struct ext2_dirent *)((char *)de + used);
		ne->rec_len = (uint16_t)(de->rec_len - used);
		de->rec_len = (uint16_t)used;
		fill_entry(x->dir, ne, x->name, x->len, x->ino, x->mode);
	} else {
		return 0;
	}
	bdirty(b);
	x->done = true;
	return 1;
}

/* Appends a block holding one entry. */
static int add_block(struct add_ctx *x)
{
	struct ext2_inode *dir = x->dir;
	struct ext2_fs *fs = dir->fs;
	uint64_t size = ext2_isize(dir);
	uint32_t blk;
	struct buf *b;
	int err = ext2_bmap(dir, size / fs->bsize, true, &blk, NULL);

	if (err < 0)
		return err;
	err = bget_zeroed(fs->dev, blk, fs->bsize, &b);
	if (err < 0)
		return err;
	memset(b->data, 0, fs->bsize);
	struct ext2_dirent *de = (struct ext2_dirent *)b->data;
	de->rec_len = (uint16_t)fs->bsize;
	fill_entry(dir, de, x->name, x->len, x->ino, x->mode);
	bdirty(b);
	brelse(b);
	ext2_set_isize(dir, size + fs->bsize);
	return 0;
}

int ext2_dir_add(struct ext2_inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode)
{
	struct add_ctx x = {.dir = dir, .name = name, .len = len, .ino = ino, .mode = mode};
	int err;

	if (len == 0 || len > NAME_MAX)
		return len ? -ENAMETOOLONG : -ENOENT;
	err = scan(dir, 0, add_here, &x);
	if (err == 0 && !x.done)
		err = add_block(&x);
	if (err == 0)
		modified(dir);
	return err;
}

static int not_dots(void *c, struct buf *b, struct ext2_dirent *de, struct ext2_dirent *prev,
                    uint64_t off)
{
	(void)b;
	(void)prev;
	(void)off;
	if (!de->inode)
		return 0;
	if ((de->name_len == 1 && de->name[0] == '.') ||
	    (de->name_len == 2 && de->name[0] == '.' && de->name[1] == '.'))
		return 0;
	*(bool *)c = true;
	return 1;
}

int ext2_dir_empty(struct ext2_inode *dir)
{
	bool found = false;
	int err = scan(dir, 0, not_dots, &found);

	return err < 0 ? err : !found;
}

int ext2_dir_init(struct ext2_inode *dir, uint32_t parent)
{
	struct ext2_fs *fs = dir->fs;
	uint32_t blk;
	struct buf *b;
	int err = ext2_bmap(dir, 0, true, &blk, NULL);

	if (err < 0)
		return err;
	err = bget_zeroed(fs->dev, blk, fs->bsize, &b);
	if (err < 0)
		return err;
	memset(b->data, 0, fs->bsize);
	struct ext2_dirent *dot = (struct ext2_dirent *)b->data;
	fill_entry(dir, dot, ".", 1, dir->ino, S_IFDIR);
	dot->rec_len = 12;
	struct ext2_dirent *dotdot = (struct ext2_dirent *)(b->data + 12);
	fill_entry(dir, dotdot, "..", 2, parent, S_IFDIR);
	dotdot->rec_len = (uint16_t)(fs->bsize - 12);
	bdirty(b);
	brelse(b);
	ext2_set_isize(dir, fs->bsize);
	return 0;
}

struct iter_ctx {
	ext2_dir_fn fn;
	void *ctx;
};

static int iter_one(void *c, struct buf *b, struct ext2_dirent *de, struct ext2_dirent *prev,
                    uint64_t off)
{
	struct iter_ctx *x = c;

	(void)b;
	(void)prev;
	return x->fn(x->ctx, de, off) ? 1 : 0;
}

int ext2_dir_iterate(struct ext2_inode *dir, uint64_t start, ext2_dir_fn fn, void *ctx)
{
	struct iter_ctx x = {.fn = fn, .ctx = ctx};

	return scan(dir, start, iter_one, &x);
}
