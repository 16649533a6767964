/*
 * FAT32 filesystem: on-disk structures and the interfaces shared by the
 * files of kernel/fs/fat.
 *
 *   super.c      boot sector (BPB) checks, FSInfo, mount/unmount/sync
 *   fat_table.c  the file allocation table: cluster chains
 *   dir.c        directory slots: 8.3 entries, long names, insert/delete
 *   name.c       name conversion: UTF-8 <-> UTF-16, 8.3 names, ~N tails
 *   file.c       file data through cluster chains
 *   node.c       in-memory nodes and the vnode cache
 *   vnode.c      vnode_ops
 *
 * Every disk access goes through the block cache in units of one sector.
 * One mutex per mounted filesystem (fat_fs.lock) serializes every
 * operation; vnode references are never dropped while it is held.
 * On-disk numbers are checked before use: a bad one is -EIO.
 */
#ifndef FS_FAT_FAT_H
#define FS_FAT_FAT_H

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/bcache.h"
#include "fs/fat/fatfs.h"
#include "fs/vfs.h"

/* ------------------------------------------------------------- on disk */

/* Boot sector with the FAT32 BIOS parameter block (little endian). */
struct fat_bpb {
	uint8_t jmp[3];
	char oem[8];
	uint16_t bytes_per_sec;
	uint8_t sec_per_clus;
	uint16_t reserved_secs;
	uint8_t nfats;
	uint16_t root_entries; /* 0 on FAT32 */
	uint16_t total_secs16;
	uint8_t media;
	uint16_t fat_size16; /* 0 on FAT32 */
	uint16_t secs_per_track;
	uint16_t nheads;
	uint32_t hidden_secs;
	uint32_t total_secs32;
	/* FAT32 part */
	uint32_t fat_size32;
	uint16_t ext_flags; /* bit 7: mirroring off; bits 0-3: active FAT */
	uint16_t fs_version;
	uint32_t root_cluster;
	uint16_t fsinfo_sec;
	uint16_t backup_boot_sec;
	uint8_t reserved[12];
	uint8_t drive;
	uint8_t reserved1;
	uint8_t boot_sig;
	uint32_t volume_id;
	char label[11];
	char fs_type[8];
} __attribute__((packed));

#define FAT_EXT_NOMIRROR 0x80
#define FAT_EXT_ACTIVE   0x0f

/* FSInfo sector: a hint of the free cluster count and the next free one. */
#define FSINFO_LEAD_SIG   0x41615252
#define FSINFO_STRUCT_SIG 0x61417272
#define FSINFO_TRAIL_SIG  0xaa550000
#define FSINFO_LEAD       0
#define FSINFO_STRUCT     484
#define FSINFO_FREE       488
#define FSINFO_NEXT       492
#define FSINFO_TRAIL      508
#define FSINFO_UNKNOWN    0xffffffff

/* FAT entries: 28 bits used, the top 4 preserved on write. */
#define FAT_MASK    0x0fffffff
#define FAT_FREE    0
#define FAT_BAD     0x0ffffff7
#define FAT_EOC_MIN 0x0ffffff8
#define FAT_EOC     0x0fffffff
#define FAT_FIRST   2 /* first data cluster */

/* Directory entry (8.3), 32 bytes. */
struct fat_dirent {
	uint8_t name[11]; /* base padded with spaces, then extension */
	uint8_t attr;
	uint8_t ntres; /* NT case bits */
	uint8_t crt_tenth;
	uint16_t crt_time;
	uint16_t crt_date;
	uint16_t acc_date;
	uint16_t clus_hi;
	uint16_t wrt_time;
	uint16_t wrt_date;
	uint16_t clus_lo;
	uint32_t size;
} __attribute__((packed));

/* Long-name entry, 32 bytes, stored just before its 8.3 entry, last part
 * first.  13 UTF-16 units each. */
struct fat_lfn {
	uint8_t ord; /* sequence 1..20; FAT_LFN_LAST on the last part */
	uint16_t name1[5];
	uint8_t attr; /* ATTR_LFN */
	uint8_t type; /* 0 */
	uint8_t checksum;
	uint16_t name2[6];
	uint16_t clus_lo; /* 0 */
	uint16_t name3[2];
} __attribute__((packed));

#define ATTR_READ_ONLY 0x01
#define ATTR_HIDDEN    0x02
#define ATTR_SYSTEM    0x04
#define ATTR_VOLUME_ID 0x08
#define ATTR_DIRECTORY 0x10
#define ATTR_ARCHIVE   0x20
#define ATTR_LFN       0x0f
#define ATTR_LFN_MASK  0x3f

#define NTRES_LOWER_BASE 0x08
#define NTRES_LOWER_EXT  0x10

#define DIRENT_SIZE   32
#define DIRENT_END    0x00 /* name[0]: this and every later slot is free */
#define DIRENT_FREE   0xe5 /* name[0]: deleted */
#define DIRENT_KANJI  0x05 /* name[0]: stands for a first byte 0xe5 */
#define FAT_LFN_LAST  0x40
#define LFN_CHARS     13
#define LFN_MAX_UNITS 255
#define LFN_MAX_SLOTS 20
#define DIR_MAX_SLOTS 65536 /* a directory holds at most this many entries */
#define FAT_MAX_FILE  0xffffffffULL

/* UTF-8 of a long name: at most 3 bytes per UTF-16 unit. */
#define FAT_NAME_BUF (LFN_MAX_UNITS * 3 + 1)

/* ----------------------------------------------------------- in memory */

struct fat_fs {
	struct mutex lock; /* everything below and every node */
	struct blkdev *dev;
	struct superblock *sb;
	uint32_t sec_size; /* bytes per sector: the cache block size */
	uint32_t sec_per_clus;
	uint32_t clus_size;  /* bytes */
	uint32_t clus_shift; /* log2(clus_size) */
	uint64_t fat_start;  /* sector of the first FAT */
	uint32_t fat_secs;   /* sectors per FAT */
	uint32_t nfats;      /* copies written */
	uint32_t active_fat; /* copy read */
	uint64_t data_start; /* sector of cluster 2 */
	uint32_t nclusters;  /* data clusters: 2 .. nclusters + 1 */
	uint32_t root_cluster;
	uint32_t fsinfo_sec; /* 0: none */
	uint32_t free_count; /* exact, counted at mount */
	uint32_t next_free;  /* where the next search starts */
	bool fsinfo_dirty;
	bool readonly;
	struct list nodes;   /* live fat_nodes (the vnode cache) */
	struct list mounted; /* in the list of mounted disks */
};

/* One file or directory while some vnode reference to it exists. */
struct fat_node {
	struct list link; /* in fat_fs.nodes */
	struct vnode *vn;
	/* Where its 8.3 entry is: first cluster of the parent directory and
	 * slot index there.  The root has no entry: dir_clus 0. */
	uint32_t dir_clus;
	uint32_t dir_index;
	uint32_t first; /* first cluster, 0 for an empty file */
	uint32_t size;  /* files only */
	uint8_t attr;
	int64_t mtime, atime, ctime; /* ns */
	bool removed;                /* entry gone: free clusters on release */
	struct fat_node *parent;     /* directories: referenced (root: itself) */
	/* cluster-walk cache: cluster number of chain index cache_idx */
	uint32_t cache_idx, cache_clus;
};

static inline struct fat_fs *FS(struct vnode *vn)
{
	return vn->sb->priv;
}

static inline struct fat_node *FN(struct vnode *vn)
{
	return vn->priv;
}

static inline bool fn_is_dir(const struct fat_node *n)
{
	return n->attr & ATTR_DIRECTORY;
}

static inline uint32_t dirent_cluster(const struct fat_dirent *de)
{
	return ((uint32_t)de->clus_hi << 16 | de->clus_lo) & FAT_MASK;
}

static inline void dirent_set_cluster(struct fat_dirent *de, uint32_t c)
{
	de->clus_hi = (uint16_t)(c >> 16);
	de->clus_lo = (uint16_t)c;
}

static inline bool fat_valid_cluster(const struct fat_fs *fs, uint32_t c)
{
	return c >= FAT_FIRST && c - FAT_FIRST < fs->nclusters;
}

static inline uint64_t fat_clus_sector(const struct fat_fs *fs, uint32_t c)
{
	return fs->data_start + (uint64_t)(c - FAT_FIRST) * fs->sec_per_clus;
}

/* ----------------------------------------------------------- fat_table.c */

/* The entry after c: *next is the following cluster or 0 at the end of
 * the chain.  -EIO for a free, bad or out-of-range entry. */
int fat_next(struct fat_fs *fs, uint32_t c, uint32_t *next);
/* Raw entry (28 bits) and write to every FAT copy. */
int fat_get(struct fat_fs *fs, uint32_t c, uint32_t *val);
int fat_set(struct fat_fs *fs, uint32_t c, uint32_t val);
/* Allocates one zero-filled cluster marked end-of-chain and links it
 * after prev (0: none).  -ENOSPC when the disk is full. */
int fat_alloc(struct fat_fs *fs, uint32_t prev, uint32_t *out);
/* Frees the chain starting at c (0: nothing).  -EIO on a broken chain
 * (what was walked is freed). */
int fat_free_chain(struct fat_fs *fs, uint32_t c);
/* Counts free clusters (mount). */
int fat_count_free(struct fat_fs *fs, uint32_t *out);
/* Cluster of chain index idx starting at first, growing the chain by
 * zeroed clusters when grow (then *first may change from 0).  Uses and
 * updates the node's walk cache when n is not NULL.  -EIO on a loop or
 * a broken chain, 1 (no cluster) past the end when !grow. */
int fat_chain_at(struct fat_fs *fs, struct fat_node *n, uint32_t *first, uint32_t idx, bool grow,
                 uint32_t *out);
/* Length of the chain at first in clusters (-EIO on a loop). */
int fat_chain_len(struct fat_fs *fs, uint32_t first, uint32_t *out);
/* Zero-fills a cluster. */
int fat_zero_cluster(struct fat_fs *fs, uint32_t c);

/* ---------------------------------------------------------------- name.c */

/* Converts a UTF-8 name to UTF-16 units; -EINVAL for bad UTF-8 or
 * characters FAT forbids, -ENAMETOOLONG past 255 units.  Returns the count. */
int fat_name_to_utf16(const char *name, size_t len, uint16_t *out);
/* UTF-16 to UTF-8 (unpaired surrogates become '?'); returns the length. */
size_t fat_utf16_to_name(const uint16_t *in, size_t n, char *out);
/* The displayed form of an 8.3 name ("README.TXT", case bits applied). */
size_t fat_short_to_name(const struct fat_dirent *de, char *out);
/* Case-insensitive (ASCII) name equality. */
bool fat_name_eq(const char *a, size_t alen, const char *b, size_t blen);
/* 8.3 basis name (11 bytes) of a long name; returns true when the name
 * converts losslessly (only letter case may differ). */
bool fat_short_basis(const char *name, size_t len, uint8_t out[11]);
/* If the 11-byte short name is basis~N for some N, returns N, else 0. */
uint32_t fat_tail_number(const uint8_t basis[11], const uint8_t name[11]);
/* Writes basis~n into out. */
void fat_apply_tail(const uint8_t basis[11], uint32_t n, uint8_t out[11]);
uint8_t fat_checksum(const uint8_t name[11]);
/* FAT date/time <-> ns since the epoch (UTC). */
int64_t fat_time_to_ns(uint16_t date, uint16_t time, uint8_t tenth);
void fat_ns_to_time(int64_t ns, uint16_t *date, uint16_t *time, uint8_t *tenth);

/* ----------------------------------------------------------------- dir.c */

/* A name found in a directory. */
struct fat_found {
	uint32_t start; /* first slot (its first long-name part) */
	uint32_t index; /* its 8.3 entry */
	struct fat_dirent de;
	size_t len;
	char name[FAT_NAME_BUF];
};

/* Calls fn for each name in dir (not "." and "..") from slot *pos on;
 * fn returns non-zero to stop, and *pos is left at the slot of the entry
 * that stopped it.  0 at the end or when stopped, -EIO. */
int fat_dir_iter(struct fat_fs *fs, uint32_t dir, uint32_t *pos,
                 int (*fn)(void *ctx, struct fat_found *f), void *ctx);
/* Finds name in dir: 0 and *f, -ENOENT, -EIO. */
int fat_dir_find(struct fat_fs *fs, uint32_t dir, const char *name, size_t len,
                 struct fat_found *f);
/* Adds name with the 8.3 entry tmpl (its name is made here) to dir; the
 * slot index of the new 8.3 entry goes to *index.  -EEXIST, -EINVAL,
 * -ENAMETOOLONG, -ENOSPC, -EIO. */
int fat_dir_add(struct fat_fs *fs, uint32_t dir, const char *name, size_t len,
                const struct fat_dirent *tmpl, uint32_t *index);
/* Marks slots start..index of dir deleted. */
int fat_dir_remove(struct fat_fs *fs, uint32_t dir, uint32_t start, uint32_t index);
/* Reads or rewrites the 8.3 entry at slot index of dir. */
int fat_dir_read_entry(struct fat_fs *fs, uint32_t dir, uint32_t index, struct fat_dirent *de);
int fat_dir_write_entry(struct fat_fs *fs, uint32_t dir, uint32_t index,
                        const struct fat_dirent *de);
/* 1 if dir holds only "." and "..", 0 if not, -EIO. */
int fat_dir_is_empty(struct fat_fs *fs, uint32_t dir);
/* Writes "." and ".." into the new directory cluster c. */
int fat_dir_init(struct fat_fs *fs, uint32_t c, uint32_t parent, const struct fat_dirent *tmpl);
/* Points the ".." entry of directory c at parent. */
int fat_dir_set_parent(struct fat_fs *fs, uint32_t c, uint32_t parent);

/* ---------------------------------------------------------------- file.c */

ssize_t fat_file_read(struct fat_fs *fs, struct fat_node *n, struct iobuf *io, uint64_t off);
ssize_t fat_file_write(struct fat_fs *fs, struct fat_node *n, struct iobuf *io, uint64_t off);
int fat_file_truncate(struct fat_fs *fs, struct fat_node *n, uint64_t size);

/* ---------------------------------------------------------------- node.c */

/* The vnode for the entry f of directory dir (lock held), referenced:
 * from the cache or new.  -ENOMEM, -EIO. */
int fat_node_get(struct fat_fs *fs, struct fat_node *dir, const struct fat_found *f,
                 struct vnode **out);
/* The live node for slot (dir_clus, index), not referenced, or NULL. */
struct fat_node *fat_node_find(struct fat_fs *fs, uint32_t dir_clus, uint32_t index);
/* Rekeys a node after a rename. */
void fat_node_move(struct fat_node *n, uint32_t dir_clus, uint32_t index);
/* Writes the node's size, first cluster, attributes and times into its
 * 8.3 entry (nothing for the root or a removed node). */
int fat_node_sync(struct fat_fs *fs, struct fat_node *n);
/* The root node's vnode, made at mount. */
struct vnode *fat_root_vnode(struct fat_fs *fs);
uint64_t fat_ino(uint32_t dir_clus, uint32_t index);
/* S_IFDIR | 0755, S_IFREG | 0644, or 0444 with ATTR_READ_ONLY. */
uint32_t fat_mode_of(uint8_t attr);
void fat_release(struct vnode *vn);

extern const struct vnode_ops fat_vops;

#endif
