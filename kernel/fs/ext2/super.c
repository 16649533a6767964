/*
 * ext2 mount, unmount and sync.
 *
 * Mount reads and checks the superblock and the group descriptor table
 * (magic, revision, sizes, counts, metadata block numbers) and refuses a
 * damaged or unsupported filesystem with EINVAL; unknown read-only
 * compatible features make the mount read-only.  The superblock and the
 * descriptors live in memory while mounted and are written back on sync
 * and unmount; a read-write mount marks the filesystem "not clean" until
 * it is unmounted.  Mounting a disk that is already mounted shares the
 * same instance (the VFS counts the mounts).
 */
#include "fs/ext2/ext2.h"
#include "mm/kmalloc.h"

#define SB_BLOCKS_1K 1 /* the superblock as block 1 of 1 KiB */

static struct spinlock mounted_lock = SPINLOCK_INIT("ext2 mounts");
static struct list mounted = LIST_INIT(mounted);

/* The instance already mounted from d, or NULL. */
static struct superblock *find_mounted(struct blkdev *d)
{
	struct superblock *sb = NULL;
	struct list *pos;

	spin_lock(&mounted_lock);
	list_for_each(pos, &mounted)
	{
		struct ext2_fs *fs = list_entry(pos, struct ext2_fs, node);
		if (fs->dev == d)
			sb = fs->vsb;
	}
	spin_unlock(&mounted_lock);
	return sb;
}

int ext2_corrupt(struct ext2_fs *fs, const char *what, uint64_t n)
{
	printk("ext2: %s: corrupt filesystem: %s (%lu)\n", fs->dev->name, what, (unsigned long)n);
	if (!fs->rdonly) {
		fs->sb.s_state |= EXT2_ERROR_FS;
		fs->dirty = true;
	}
	return -EIO;
}

/* Copies `n` bytes of `src` into the disk from byte offset `pos` of block
 * `block` (size `size`). */
static int put_bytes(struct ext2_fs *fs, uint64_t block, uint32_t size, const void *src, uint32_t n)
{
	struct buf *b;
	int err = bread(fs->dev, block, size, &b);

	if (err < 0)
		return err;
	memcpy(b->data, src, n);
	bdirty(b);
	brelse(b);
	return 0;
}

/* Writes the superblock and the group descriptor table into the cache. */
int ext2_write_super(struct ext2_fs *fs)
{
	uint32_t per = fs->bsize / sizeof(struct ext2_group);
	int err;

	fs->sb.s_wtime = ext2_now();
	err = put_bytes(fs, SB_BLOCKS_1K, 1024, &fs->sb, 1024);
	for (uint32_t i = 0; err == 0 && i < fs->gdt_blocks; i++) {
		uint32_t first = i * per, n = MIN(per, fs->ngroups - first);
		struct buf *b;
		err = bread(fs->dev, fs->sb.s_first_data_block + 1 + i, fs->bsize, &b);
		if (err < 0)
			break;
		memcpy(b->data, &fs->groups[first], n * sizeof(struct ext2_group));
		bdirty(b);
		brelse(b);
	}
	if (err == 0)
		fs->dirty = false;
	return err;
}

static int bad(struct blkdev *d, const char *why)
{
	printk("ext2: %s: cannot mount: %s\n", d->name, why);
	return -EINVAL;
}

/* Geometry checks of the superblock alone. */
static int check_super(struct ext2_fs *fs, struct blkdev *d)
{
	struct ext2_super *s = &fs->sb;
	uint64_t disk_blocks;

	if (s->s_magic != EXT2_MAGIC)
		return bad(d, "bad magic number");
	if (s->s_log_block_size > 2)
		return bad(d, "unsupported block size");
	fs->bsize = 1024u << s->s_log_block_size;
	fs->ptrs = fs->bsize / 4;
	disk_blocks = d->nsectors * SECTOR_SIZE / fs->bsize;
	if (s->s_rev_level > 1)
		return bad(d, "unknown revision");
	fs->isize = s->s_rev_level ? s->s_inode_size : EXT2_GOOD_OLD_INODE_SIZE;
	fs->first_ino = s->s_rev_level ? s->s_first_ino : EXT2_GOOD_OLD_FIRST_INO;
	if (fs->isize < 128 || fs->isize > fs->bsize || (fs->isize & (fs->isize - 1)))
		return bad(d, "bad inode size");
	if (fs->first_ino <= EXT2_ROOT_INO || fs->first_ino > s->s_inodes_count)
		return bad(d, "bad first inode");
	if (s->s_first_data_block != (fs->bsize == 1024 ? 1u : 0u))
		return bad(d, "bad first data block");
	if (s->s_blocks_count <= s->s_first_data_block || s->s_blocks_count > disk_blocks)
		return bad(d, "block count does not fit the disk");
	if (s->s_blocks_per_group == 0 || s->s_blocks_per_group > fs->bsize * 8 ||
	    s->s_inodes_per_group == 0 || s->s_inodes_per_group > fs->bsize * 8)
		return bad(d, "bad group geometry");
	fs->ngroups = (s->s_blocks_count - s->s_first_data_block + s->s_blocks_per_group - 1) /
	              s->s_blocks_per_group;
	if ((uint64_t)fs->ngroups * s->s_inodes_per_group != s->s_inodes_count)
		return bad(d, "inode count does not match the groups");
	if (s->s_free_blocks_count > s->s_blocks_count ||
	    s->s_free_inodes_count > s->s_inodes_count)
		return bad(d, "free counts out of range");
	fs->gdt_blocks = (fs->ngroups * 32 + fs->bsize - 1) / fs->bsize;
	return 0;
}

/* Feature checks: EINVAL for what cannot be read, read-only for what
 * cannot be written. */
static int check_features(struct ext2_fs *fs, struct blkdev *d, unsigned *flags)
{
	struct ext2_super *s = &fs->sb;

	if (s->s_rev_level == 0)
		return 0;
	if (s->s_feature_incompat & ~EXT2_INCOMPAT_SUPPORTED) {
		printk("ext2: %s: unsupported incompatible features 0x%x\n", d->name,
		       s->s_feature_incompat & ~EXT2_INCOMPAT_SUPPORTED);
		return -EINVAL;
	}
	if ((s->s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPPORTED) && !(*flags & MS_RDONLY)) {
		printk("ext2: %s: unsupported features 0x%x: mounting read-only\n", d->name,
		       s->s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPPORTED);
		*flags |= MS_RDONLY;
	}
	fs->filetype = s->s_feature_incompat & EXT2_INCOMPAT_FILETYPE;
	return 0;
}

/* The group's blocks are [start, end). */
static bool in_group(struct ext2_fs *fs, uint32_t g, uint32_t b, uint32_t n)
{
	uint64_t start = fs->sb.s_first_data_block + (uint64_t)g * fs->sb.s_blocks_per_group;
	uint64_t end = MIN(start + fs->sb.s_blocks_per_group, fs->sb.s_blocks_count);

	return b >= start && (uint64_t)b + n <= end;
}

static int check_groups(struct ext2_fs *fs, struct blkdev *d)
{
	uint32_t itable = (fs->sb.s_inodes_per_group * fs->isize + fs->bsize - 1) / fs->bsize;

	for (uint32_t g = 0; g < fs->ngroups; g++) {
		struct ext2_group *gd = &fs->groups[g];
		if (!in_group(fs, g, gd->bg_block_bitmap, 1) ||
		    !in_group(fs, g, gd->bg_inode_bitmap, 1) ||
		    gd->bg_inode_table < fs->sb.s_first_data_block ||
		    (uint64_t)gd->bg_inode_table + itable > fs->sb.s_blocks_count)
			return bad(d, "group descriptor out of range");
		if (gd->bg_free_blocks_count > fs->sb.s_blocks_per_group ||
		    gd->bg_free_inodes_count > fs->sb.s_inodes_per_group ||
		    gd->bg_used_dirs_count > fs->sb.s_inodes_per_group)
			return bad(d, "group counts out of range");
	}
	return 0;
}

static int read_groups(struct ext2_fs *fs, struct blkdev *d)
{
	uint32_t per = fs->bsize / sizeof(struct ext2_group);

	fs->groups = kmalloc((size_t)fs->gdt_blocks * fs->bsize);
	if (!fs->groups)
		return -ENOMEM;
	for (uint32_t i = 0; i < fs->gdt_blocks; i++) {
		struct buf *b;
		int err = bread(d, fs->sb.s_first_data_block + 1 + i, fs->bsize, &b);
		if (err < 0)
			return err;
		memcpy((char *)fs->groups + (size_t)i * per * 32, b->data, fs->bsize);
		brelse(b);
	}
	return check_groups(fs, d);
}

static int read_super(struct ext2_fs *fs, struct blkdev *d, unsigned *flags)
{
	struct buf *b;
	int err;

	if (d->nsectors < 4)
		return bad(d, "disk too small");
	err = bread(d, SB_BLOCKS_1K, 1024, &b);
	if (err < 0)
		return err;
	memcpy(&fs->sb, b->data, 1024);
	brelse(b);
	err = check_super(fs, d);
	if (err == 0)
		err = check_features(fs, d, flags);
	if (err == 0)
		err = read_groups(fs, d);
	return err;
}

static void fs_free(struct ext2_fs *fs)
{
	if (!fs)
		return;
	kfree(fs->groups);
	kfree(fs->hash);
	kfree(fs);
}

/* Marks a read-write mount in the superblock. */
static int mark_mounted(struct ext2_fs *fs)
{
	if (!(fs->sb.s_state & EXT2_VALID_FS))
		printk("ext2: %s: not cleanly unmounted; run e2fsck\n", fs->dev->name);
	if (fs->sb.s_state & EXT2_ERROR_FS)
		printk("ext2: %s: has errors; run e2fsck\n", fs->dev->name);
	fs->sb.s_state &= ~EXT2_VALID_FS;
	fs->sb.s_mnt_count++;
	fs->sb.s_mtime = ext2_now();
	int err = ext2_write_super(fs);
	return err ? err : bcache_sync(fs->dev);
}

static int root_vnode(struct ext2_fs *fs, struct superblock *sb)
{
	struct ext2_inode *ip;
	int err;

	mutex_lock(&fs->lock);
	err = ext2_iget(fs, EXT2_ROOT_INO, &ip);
	if (err == 0 && (!S_ISDIR(ip->d.i_mode) || ip->d.i_links_count == 0)) {
		ext2_iput(ip);
		err = bad(fs->dev, "root is not a directory");
	}
	if (err == 0)
		err = ext2_vnode_of(ip, &sb->root);
	mutex_unlock(&fs->lock);
	return err == -EIO ? -EINVAL : err;
}

static int ext2_mount(const char *source, unsigned flags, const void *data, struct superblock **out)
{
	struct blkdev *d = blkdev_find(source);
	struct ext2_fs *fs = NULL;
	struct superblock *sb = NULL;
	int err;

	(void)data;
	if (!d)
		return -ENODEV;
	if ((*out = find_mounted(d)) != NULL)
		return 0;
	if (d->readonly)
		flags |= MS_RDONLY;
	err = blkdev_open(d, flags & MS_RDONLY ? O_RDONLY : O_RDWR);
	if (err < 0)
		return err;
	fs = kzalloc(sizeof(*fs));
	sb = kzalloc(sizeof(*sb));
	if (!fs || !sb) {
		err = -ENOMEM;
		goto fail;
	}
	mutex_init(&fs->lock, "ext2");
	fs->dev = d;
	fs->vsb = sb;
	err = read_super(fs, d, &flags);
	if (err < 0)
		goto fail;
	fs->rdonly = flags & MS_RDONLY;
	ext2_icache_init(fs);
	if (!fs->hash) {
		err = -ENOMEM;
		goto fail;
	}
	sb->type = &ext2_type;
	sb->flags = flags & MS_RDONLY;
	sb->dev = d->rdev;
	sb->priv = fs;
	err = root_vnode(fs, sb);
	if (err == 0 && !fs->rdonly)
		err = mark_mounted(fs);
	if (err < 0)
		goto fail_root;
	spin_lock(&mounted_lock);
	list_push_back(&mounted, &fs->node);
	spin_unlock(&mounted_lock);
	*out = sb;
	return 0;
fail_root:
	vnode_put(sb->root);
	ext2_icache_drop(fs);
fail:
	bcache_drop(d);
	blkdev_close(d);
	fs_free(fs);
	kfree(sb);
	return err;
}

static int ext2_sync(struct superblock *sb)
{
	struct ext2_fs *fs = sb->priv;
	int err = 0;

	if (fs->rdonly)
		return 0;
	mutex_lock(&fs->lock);
	err = ext2_icache_sync(fs);
	if (fs->dirty || err == 0) {
		int e2 = ext2_write_super(fs);
		err = err ? err : e2;
	}
	mutex_unlock(&fs->lock);
	int e3 = bcache_sync(fs->dev);
	return err ? err : e3;
}

/* Poweroff: everything written and the filesystem marked clean, since
 * nothing will write to it again. */
static int ext2_shutdown(struct superblock *sb)
{
	struct ext2_fs *fs = sb->priv;

	if (!fs->rdonly) {
		mutex_lock(&fs->lock);
		if (!(fs->sb.s_state & EXT2_ERROR_FS))
			fs->sb.s_state |= EXT2_VALID_FS;
		fs->dirty = true;
		mutex_unlock(&fs->lock);
	}
	return ext2_sync(sb);
}

static void ext2_unmount(struct superblock *sb)
{
	struct ext2_fs *fs = sb->priv;

	spin_lock(&mounted_lock);
	list_remove(&fs->node);
	spin_unlock(&mounted_lock);
	vnode_put(sb->root); /* the last vnode: releases the root inode */
	if (!fs->rdonly) {
		mutex_lock(&fs->lock);
		ext2_icache_sync(fs);
		if (!(fs->sb.s_state & EXT2_ERROR_FS))
			fs->sb.s_state |= EXT2_VALID_FS;
		ext2_write_super(fs);
		mutex_unlock(&fs->lock);
	}
	ext2_icache_drop(fs);
	if (bcache_drop(fs->dev) < 0)
		printk("ext2: %s: cache still busy at unmount\n", fs->dev->name);
	blkdev_close(fs->dev);
	fs_free(fs);
	kfree(sb);
}

/* The superblock's counts, kept current by the allocators; reserved
 * blocks are free but not available (everyone is root, yet df shows
 * them apart as on Linux). */
static int ext2_statfs(struct superblock *sb, struct vfs_statfs *st)
{
	struct ext2_fs *fs = sb->priv;

	mutex_lock(&fs->lock);
	st->type = EXT2_SUPER_MAGIC;
	st->bsize = fs->bsize;
	st->blocks = fs->sb.s_blocks_count;
	st->bfree = fs->sb.s_free_blocks_count;
	st->bavail = st->bfree > fs->sb.s_r_blocks_count ? st->bfree - fs->sb.s_r_blocks_count : 0;
	st->files = fs->sb.s_inodes_count;
	st->ffree = fs->sb.s_free_inodes_count;
	mutex_unlock(&fs->lock);
	return 0;
}

const struct fs_type ext2_type = {
    .name = "ext2",
    .tmpfile = true,
    .mount = ext2_mount,
    .unmount = ext2_unmount,
    .sync = ext2_sync,
    .shutdown = ext2_shutdown,
    .statfs = ext2_statfs,
};
