/*
 * ext2: the second extended filesystem, read-write.
 *
 * This header holds the on-disk structures (all little endian, which is
 * also riscv64's byte order, so they are used in place) and the in-memory
 * state shared by the files of this folder:
 *
 *   super.c   mount, unmount, sync, feature and sanity checks
 *   icache.c  in-memory inodes keyed by number, vnodes, release
 *   inode.c   reading and writing disk inodes, attributes
 *   balloc.c  block and inode bitmaps (allocation, freeing, counters)
 *   bmap.c    logical to physical block mapping, growth, truncation
 *   dir.c     directory entries: search, insert, remove, iterate
 *   file.c    read, write, truncate, getattr, setattr, readlink
 *   namei.c   namespace operations and the vnode operation table
 *   xattr.c   extended attributes in the block i_file_acl names
 *
 * Locking: one sleeping lock per mounted filesystem (ext2_fs.lock)
 * serializes every operation.  Vnode references are never dropped with
 * it held, because release takes it.
 */
#ifndef FS_EXT2_EXT2_H
#define FS_EXT2_EXT2_H

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/bcache.h"
#include "fs/ext2/ext2fs.h"
#include "fs/vfs.h"

#define EXT2_MAGIC               0xEF53
#define EXT2_SB_OFFSET           1024
#define EXT2_ROOT_INO            2
#define EXT2_NDIR                12 /* direct block pointers */
#define EXT2_IND                 12
#define EXT2_DIND                13
#define EXT2_TIND                14
#define EXT2_NBLOCKS             15
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO  11
#define EXT2_FAST_SYMLINK_MAX    60 /* bytes of i_block; a target must be shorter */

/* s_state */
#define EXT2_VALID_FS 1
#define EXT2_ERROR_FS 2

/* features */
#define EXT2_COMPAT_DIR_INDEX     0x0020
#define EXT2_INCOMPAT_FILETYPE    0x0002
#define EXT2_RO_COMPAT_SPARSE     0x0001
#define EXT2_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_INCOMPAT_SUPPORTED   EXT2_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_SUPPORTED  (EXT2_RO_COMPAT_SPARSE | EXT2_RO_COMPAT_LARGE_FILE)

/* i_flags */
#define EXT2_INDEX_FL 0x00001000 /* hashed directory index, not kept up to date here */

/* directory entry file types (INCOMPAT_FILETYPE) */
#define EXT2_FT_UNKNOWN 0
#define EXT2_FT_REG     1
#define EXT2_FT_DIR     2
#define EXT2_FT_CHR     3
#define EXT2_FT_BLK     4
#define EXT2_FT_FIFO    5
#define EXT2_FT_SOCK    6
#define EXT2_FT_LNK     7

#define EXT2_XATTR_MAGIC 0xEA020000

struct ext2_super {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	/* revision 1 */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algo_bitmap;
	uint8_t s_rest[1024 - 204];
};

struct ext2_group {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_pad;
	uint8_t bg_reserved[12];
};

struct ext2_dinode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks; /* 512-byte units, data + indirect + xattr blocks */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_NBLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;
	uint32_t i_size_high; /* i_dir_acl in revision 0 */
	uint32_t i_faddr;
	uint8_t i_frag;
	uint8_t i_fsize;
	uint16_t i_blocks_high;
	uint16_t i_uid_high;
	uint16_t i_gid_high;
	uint32_t i_reserved2;
};

struct ext2_dirent {
	uint32_t inode; /* 0: unused entry */
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type; /* high byte of name_len without INCOMPAT_FILETYPE */
	char name[];
};

_Static_assert(sizeof(struct ext2_super) == 1024, "ext2 superblock");
_Static_assert(__builtin_offsetof(struct ext2_super, s_uuid) == 104, "ext2 s_uuid");
_Static_assert(sizeof(struct ext2_group) == 32, "ext2 group descriptor");
_Static_assert(sizeof(struct ext2_dinode) == 128, "ext2 inode");
_Static_assert(__builtin_offsetof(struct ext2_dinode, i_block) == 40, "ext2 i_block");

#define EXT2_DIRENT_HDR    8
#define EXT2_DIRENT_LEN(n) (((n) + EXT2_DIRENT_HDR + 3) & ~3u)

/* One mounted ext2 filesystem. */
struct ext2_fs {
	struct list node; /* in the list of mounted ext2 filesystems */
	struct mutex lock;
	struct blkdev *dev;
	struct superblock *vsb;
	struct ext2_super sb; /* authoritative copy, written back on sync */
	struct ext2_group *groups;
	uint32_t ngroups;
	uint32_t bsize; /* bytes per block */
	uint32_t ptrs;  /* block numbers per indirect block */
	uint32_t isize; /* bytes per disk inode */
	uint32_t first_ino;
	uint32_t gdt_blocks; /* blocks of the group descriptor table */
	bool rdonly;
	bool filetype;     /* directory entries carry a type byte */
	bool dirty;        /* superblock or descriptors changed */
	struct list *hash; /* in-memory inodes, EXT2_HASH buckets */
};

#define EXT2_HASH 256

/* One in-memory inode; exists while referenced (vnodes or internal use). */
struct ext2_inode {
	struct list hnode; /* in ext2_fs.hash */
	struct ext2_fs *fs;
	uint32_t ino;
	int refs;         /* vnodes alive + internal references; fs lock */
	struct vnode *vn; /* current vnode, or NULL */
	struct ext2_dinode d;
	bool dirty;
	uint32_t last_alloc; /* allocation goal: last block given to it */
};

static inline struct ext2_fs *EXT2_FS(struct vnode *vn)
{
	return vn->sb->priv;
}

/* super.c */
/* Records corruption: prints a message and marks the superblock with
 * errors; returns -EIO for the caller to pass on. */
int ext2_corrupt(struct ext2_fs *fs, const char *what, uint64_t n);
int ext2_write_super(struct ext2_fs *fs);
extern const struct fs_type ext2_type;

/* icache.c */
void ext2_icache_init(struct ext2_fs *fs);
/* The in-memory inode ino, referenced; -EIO for a bad number or a bad
 * disk inode.  fs lock held. */
int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct ext2_inode **out);
/* Drops a reference; the last one writes the inode back, and frees it on
 * disk if it has no links left.  fs lock held. */
void ext2_iput(struct ext2_inode *ip);
/* A vnode for ip (existing one referenced, or a new one); takes over the
 * caller's reference on ip in the new-vnode case.  fs lock held. */
int ext2_vnode_of(struct ext2_inode *ip, struct vnode **out);
/* Writes back every dirty in-memory inode.  fs lock held. */
int ext2_icache_sync(struct ext2_fs *fs);
/* Frees every in-memory inode (unmount, after vnodes are gone). */
void ext2_icache_drop(struct ext2_fs *fs);
/* vnode_ops.release: drops the vnode's reference on its inode. */
void ext2_release(struct vnode *vn);
extern const struct vnode_ops ext2_vops;

/* inode.c */
int ext2_inode_read(struct ext2_fs *fs, uint32_t ino, struct ext2_dinode *d);
int ext2_inode_write(struct ext2_inode *ip);
/* Fills a new disk inode for ino (zeroed record, extra size set). */
int ext2_inode_init(struct ext2_fs *fs, uint32_t ino);
uint64_t ext2_isize(const struct ext2_inode *ip);
void ext2_set_isize(struct ext2_inode *ip, uint64_t size);
void ext2_touch(struct ext2_inode *ip, bool mtime, bool ctime);
uint32_t ext2_now(void);
uint64_t ext2_rdev(const struct ext2_inode *ip);
void ext2_set_rdev(struct ext2_inode *ip, uint64_t rdev);

/* balloc.c */
/* A free block near goal, marked used; ENOSPC.  fs lock held. */
int ext2_balloc(struct ext2_fs *fs, uint32_t goal, uint32_t *out);
int ext2_bfree(struct ext2_fs *fs, uint32_t block);
/* A free inode (in the parent's group for files, spread out for
 * directories), marked used; ENOSPC. */
int ext2_ialloc(struct ext2_fs *fs, uint32_t parent, bool dir, uint32_t *out);
int ext2_ifree(struct ext2_fs *fs, uint32_t ino, bool dir);
/* True when block may hold file data or indirect pointers. */
bool ext2_block_ok(struct ext2_fs *fs, uint32_t block);

/* bmap.c */
/* Physical block of logical block lblk (0 for a hole).  With alloc, holes
 * (and missing indirect blocks) are filled; *fresh tells the data block is
 * new (its contents are garbage).  -EIO for a corrupt map, -EFBIG past the
 * triple indirect limit. */
/* Whether i_block[] of ip lists disk blocks: regular files, directories
 * and slow symlinks.  Device nodes keep their number there, fast symlinks
 * their target; FIFOs and sockets have nothing. */
bool ext2_maps_blocks(const struct ext2_inode *ip);
/* A symlink whose target is inside i_block (no data block). */
bool ext2_fast_symlink(const struct ext2_inode *ip);
int ext2_bmap(struct ext2_inode *ip, uint64_t lblk, bool alloc, uint32_t *out, bool *fresh);
/* Frees every block at or past logical block keep. */
int ext2_free_from(struct ext2_inode *ip, uint64_t keep);
uint64_t ext2_max_blocks(struct ext2_fs *fs);

/* dir.c */
/* Directory entry callback: return non-zero to stop. */
typedef int (*ext2_dir_fn)(void *ctx, struct ext2_dirent *de, uint64_t off);
/* Walks the entries (used and unused) from byte offset start. */
int ext2_dir_iterate(struct ext2_inode *dir, uint64_t start, ext2_dir_fn fn, void *ctx);
/* The inode number of name in dir, or -ENOENT. */
int ext2_dir_find(struct ext2_inode *dir, const char *name, size_t len, uint32_t *ino);
int ext2_dir_add(struct ext2_inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode);
int ext2_dir_remove(struct ext2_inode *dir, const char *name, size_t len);
/* Points an existing entry at another inode (rename, ".."). */
int ext2_dir_set(struct ext2_inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode);
/* 1 if dir has only "." and "..", 0 if not, or -errno. */
int ext2_dir_empty(struct ext2_inode *dir);
/* Writes "." and ".." into the new directory's first block. */
int ext2_dir_init(struct ext2_inode *dir, uint32_t parent);
unsigned ext2_dtype(const struct ext2_dirent *de, bool filetype);
unsigned ext2_name_len(struct ext2_fs *fs, const struct ext2_dirent *de);

/* file.c */
ssize_t ext2_read_locked(struct ext2_inode *ip, struct iobuf *io, uint64_t off);
ssize_t ext2_write_locked(struct ext2_inode *ip, struct iobuf *io, uint64_t off);
int ext2_truncate_locked(struct ext2_inode *ip, uint64_t size);
/* Reads/writes kernel memory through the file's blocks. */
int ext2_kread(struct ext2_inode *ip, void *buf, size_t n, uint64_t off);
int ext2_kwrite(struct ext2_inode *ip, const void *buf, size_t n, uint64_t off);
/* vnode operations on contents and attributes */
ssize_t ext2_read(struct vnode *vn, struct iobuf *io, uint64_t off);
ssize_t ext2_write(struct vnode *vn, struct iobuf *io, uint64_t off);
int ext2_truncate(struct vnode *vn, uint64_t size);
int ext2_getattr(struct vnode *vn, struct vattr *va);
int ext2_setattr(struct vnode *vn, const struct vattr *va, unsigned mask);
int ext2_readlink(struct vnode *vn, char *buf, size_t n);
int ext2_readdir(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx);

/* xattr.c: the vnode operations of extended attributes (see vfs.h) */
int ext2_getxattr(struct vnode *vn, const char *name, void *buf, size_t size);
int ext2_setxattr(struct vnode *vn, const char *name, const void *value, size_t size, int flags);
int ext2_listxattr(struct vnode *vn, char *buf, size_t size);
int ext2_removexattr(struct vnode *vn, const char *name);

#endif
