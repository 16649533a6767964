/*
 * FAT32 mount, sync and unmount.  Mount reads the boot sector, checks
 * every BPB field the driver relies on (a bad one refuses the mount with
 * EINVAL and a message), counts the free clusters, and builds the root
 * vnode.  FAT12 and FAT16 are refused.  The FSInfo sector's free count
 * and next-free hint are rewritten on sync and unmount.
 *
 * Filesystem names: "vfat" and "fat32".  A disk can be mounted once at a
 * time (EBUSY otherwise), since two instances would not share state.
 */
#include "fs/fat/fat.h"
#include "mm/kmalloc.h"
#include "mm/pcache.h"

static struct spinlock mounted_lock = SPINLOCK_INIT("fat mounted");
static struct list mounted = LIST_INIT(mounted);

static int bad(struct blkdev *d, const char *what)
{
	printk("fat: %s: %s\n", d->name, what);
	return -EINVAL;
}

static bool power_of_two(uint32_t x)
{
	return x && !(x & (x - 1));
}

/* Fills fs from the boot sector b (512 bytes), checking it. */
static int parse_bpb(struct fat_fs *fs, const uint8_t *b)
{
	struct fat_bpb p;
	uint64_t total, meta, fat_entries;

	memcpy(&p, b, sizeof(p));
	if (b[510] != 0x55 || b[511] != 0xaa)
		return bad(fs->dev, "no boot sector signature");
	if (p.fat_size16 != 0 || p.root_entries != 0 || p.fat_size32 == 0)
		return bad(fs->dev, "not FAT32 (FAT12/16 are not supported)");
	if (p.bytes_per_sec < 512 || p.bytes_per_sec > 4096 || !power_of_two(p.bytes_per_sec))
		return bad(fs->dev, "bad bytes per sector");
	if (!power_of_two(p.sec_per_clus) || p.sec_per_clus > 128 ||
	    (uint32_t)p.sec_per_clus * p.bytes_per_sec > 65536)
		return bad(fs->dev, "bad sectors per cluster");
	if (p.reserved_secs == 0 || p.nfats == 0 || p.nfats > 4)
		return bad(fs->dev, "bad reserved sectors or FAT count");
	if (p.fs_version != 0)
		return bad(fs->dev, "unknown FAT32 version");
	total = p.total_secs16 ? p.total_secs16 : p.total_secs32;
	meta = p.reserved_secs + (uint64_t)p.nfats * p.fat_size32;
	if (total * p.bytes_per_sec > fs->dev->nsectors * SECTOR_SIZE || meta >= total)
		return bad(fs->dev, "sizes do not fit the disk");
	fs->sec_size = p.bytes_per_sec;
	fs->sec_per_clus = p.sec_per_clus;
	fs->clus_size = fs->sec_size * fs->sec_per_clus;
	fs->clus_shift = (uint32_t)__builtin_ctz(fs->clus_size);
	fs->fat_start = p.reserved_secs;
	fs->fat_secs = p.fat_size32;
	fs->data_start = meta;
	fat_entries = (uint64_t)p.fat_size32 * p.bytes_per_sec / 4;
	fs->nclusters = (uint32_t)MIN((total - meta) / p.sec_per_clus, 0x0ffffff5ULL);
	if (fs->nclusters == 0 || fat_entries < (uint64_t)fs->nclusters + FAT_FIRST)
		return bad(fs->dev, "FAT too small for the data area");
	fs->active_fat = p.ext_flags & FAT_EXT_ACTIVE;
	fs->nfats = p.nfats;
	if (p.ext_flags & FAT_EXT_NOMIRROR)
		fs->nfats = 1; /* only the active copy is used */
	if (fs->active_fat >= p.nfats)
		return bad(fs->dev, "bad active FAT");
	fs->root_cluster = p.root_cluster;
	if (!fat_valid_cluster(fs, fs->root_cluster))
		return bad(fs->dev, "bad root cluster");
	fs->fsinfo_sec = p.fsinfo_sec && p.fsinfo_sec < p.reserved_secs ? p.fsinfo_sec : 0;
	return 0;
}

static uint32_t get32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static void put32(char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Reads the next-free hint; forgets the FSInfo sector if it is bad. */
static void read_fsinfo(struct fat_fs *fs)
{
	struct buf *b;

	fs->next_free = FAT_FIRST;
	if (!fs->fsinfo_sec || bread(fs->dev, fs->fsinfo_sec, fs->sec_size, &b) < 0) {
		fs->fsinfo_sec = 0;
		return;
	}
	if (get32(b->data + FSINFO_LEAD) != FSINFO_LEAD_SIG ||
	    get32(b->data + FSINFO_STRUCT) != FSINFO_STRUCT_SIG ||
	    get32(b->data + FSINFO_TRAIL) != FSINFO_TRAIL_SIG)
		fs->fsinfo_sec = 0;
	else if (fat_valid_cluster(fs, get32(b->data + FSINFO_NEXT)))
		fs->next_free = get32(b->data + FSINFO_NEXT);
	brelse(b);
}

static int write_fsinfo(struct fat_fs *fs)
{
	struct buf *b;
	int err;

	if (!fs->fsinfo_sec || !fs->fsinfo_dirty || fs->readonly)
		return 0;
	err = bread(fs->dev, fs->fsinfo_sec, fs->sec_size, &b);
	if (err < 0)
		return err;
	put32(b->data + FSINFO_FREE, fs->free_count);
	put32(b->data + FSINFO_NEXT,
	      fat_valid_cluster(fs, fs->next_free) ? fs->next_free : FAT_FIRST);
	bdirty(b);
	brelse(b);
	fs->fsinfo_dirty = false;
	return 0;
}

static int claim_disk(struct fat_fs *fs)
{
	struct list *pos;
	int err = 0;

	spin_lock(&mounted_lock);
	list_for_each(pos, &mounted)
	{
		if (list_entry(pos, struct fat_fs, mounted)->dev == fs->dev)
			err = -EBUSY;
	}
	if (err == 0)
		list_push_back(&mounted, &fs->mounted);
	spin_unlock(&mounted_lock);
	return err;
}

static void release_disk(struct fat_fs *fs)
{
	spin_lock(&mounted_lock);
	list_remove(&fs->mounted);
	spin_unlock(&mounted_lock);
}

/* Everything after the disk is claimed. */
static int load(struct fat_fs *fs)
{
	struct buf *b;
	uint32_t len;
	int err = bread(fs->dev, 0, SECTOR_SIZE, &b);

	if (err < 0)
		return err;
	err = parse_bpb(fs, (const uint8_t *)b->data);
	brelse(b);
	if (err < 0)
		return err;
	read_fsinfo(fs);
	err = fat_count_free(fs, &fs->free_count);
	if (err == 0)
		err = fat_chain_len(fs, fs->root_cluster, &len);
	if (err == 0 && fs->fsinfo_sec) {
		fs->fsinfo_dirty = true; /* rewrite the exact count on sync */
	}
	if (err == 0)
		fs->sb->root = fat_root_vnode(fs);
	if (err == 0 && !fs->sb->root)
		err = -ENOMEM;
	return err;
}

static int fat_mount(const struct fs_type *type, const char *source, unsigned flags,
                     struct superblock **out)
{
	struct blkdev *d = blkdev_find(source);
	struct superblock *sb;
	struct fat_fs *fs;
	int err;

	if (!d)
		return -ENODEV;
	err = blkdev_open(d, (flags & MS_RDONLY) || d->readonly ? O_RDONLY : O_RDWR);
	if (err < 0)
		return err;
	sb = kzalloc(sizeof(*sb));
	fs = kzalloc(sizeof(*fs));
	if (!sb || !fs) {
		kfree(sb);
		kfree(fs);
		blkdev_close(d);
		return -ENOMEM;
	}
	mutex_init(&fs->lock, "fat");
	list_init(&fs->nodes);
	fs->dev = d;
	fs->sb = sb;
	fs->readonly = d->readonly || (flags & MS_RDONLY);
	sb->type = type;
	sb->flags = (flags & MS_RDONLY) | (d->readonly ? MS_RDONLY : 0);
	sb->dev = d->rdev;
	sb->priv = fs;
	err = claim_disk(fs);
	if (err < 0)
		goto fail;
	err = load(fs);
	if (err < 0) {
		release_disk(fs);
		goto fail;
	}
	*out = sb;
	return 0;
fail:
	blkdev_close(d);
	kfree(fs);
	kfree(sb);
	return err;
}

static int vfat_mount(const char *source, unsigned flags, const void *data, struct superblock **out)
{
	(void)data;
	return fat_mount(&fat_type, source, flags, out);
}

static int fat32_mount(const char *source, unsigned flags, const void *data,
                       struct superblock **out)
{
	(void)data;
	return fat_mount(&fat32_type, source, flags, out);
}

static int fat_sync(struct superblock *sb)
{
	struct fat_fs *fs = sb->priv;
	int err;

	mutex_lock(&fs->lock);
	err = write_fsinfo(fs);
	mutex_unlock(&fs->lock);
	if (fs->readonly)
		return err;
	return err < 0 ? err : bcache_sync(fs->dev);
}

/* Frees every node: nothing references them but the superblock. */
static void fat_unmount(struct superblock *sb)
{
	struct fat_fs *fs = sb->priv;
	struct list *pos, *tmp;

	/* pages a mapping left dirty reach the files before the disk sync */
	list_for_each(pos, &fs->nodes)
	{
		struct fat_node *n = list_entry(pos, struct fat_node, link);
		if (n->vn->pcache)
			pcache_sync(n->vn);
	}
	fat_sync(sb);
	list_for_each_safe(pos, tmp, &fs->nodes)
	{
		struct fat_node *n = list_entry(pos, struct fat_node, link);
		list_remove(&n->link);
		vnode_discard(n->vn);
		kfree(n);
	}
	if (bcache_drop(fs->dev) < 0)
		printk("fat: %s: blocks still in use at unmount\n", fs->dev->name);
	release_disk(fs);
	blkdev_close(fs->dev);
	kfree(fs);
	kfree(sb);
}

/* Sizes in clusters; FAT has no inode table, so no file counts (Linux
 * reports 0 too). */
static int fat_statfs(struct superblock *sb, struct vfs_statfs *st)
{
	struct fat_fs *fs = sb->priv;

	mutex_lock(&fs->lock);
	st->type = MSDOS_SUPER_MAGIC;
	st->bsize = fs->clus_size;
	st->blocks = fs->nclusters;
	st->bfree = st->bavail = fs->free_count;
	mutex_unlock(&fs->lock);
	return 0;
}

const struct fs_type fat_type = {
    .name = "vfat",
    .mount = vfat_mount,
    .unmount = fat_unmount,
    .sync = fat_sync,
    .statfs = fat_statfs,
};

const struct fs_type fat32_type = {
    .name = "fat32",
    .mount = fat32_mount,
    .unmount = fat_unmount,
    .sync = fat_sync,
    .statfs = fat_statfs,
};
