/*
 * Internals of sysfs.  As in procfs, a node is its inode number alone: a
 * kind (an index in the table of entries.c) and a sub-number (the CPU of
 * a cpuN directory, the number of a loopN one, and of what is under
 * them).  Files are generated anew
 * on every read: they are a few bytes long.
 */
#ifndef FS_SYSFS_IMPL_H
#define FS_SYSFS_IMPL_H

#include "fs/sysfs/sysfs.h"
#include "fs/textbuf.h"
#include "fs/vfs_impl.h"

enum sys_kind {
	SK_NONE,
	SK_ROOT,
	SK_DEVICES,
	SK_SYSTEM,
	SK_CPU,
	SK_CPU_ONLINE,
	SK_CPU_OFFLINE,
	SK_CPU_POSSIBLE,
	SK_CPU_PRESENT,
	SK_CPU_KERNEL_MAX,
	SK_CPUN,        /* cpuN, one per hart (dynamic) */
	SK_CPUN_ONLINE, /* cpuN/online, for N > 0 as on Linux (cpu0 cannot go offline) */
	SK_BLOCK,
	SK_BLOCKN, /* loopN, one per loop device (dynamic; sub = N) */
	SK_BLOCKN_DEV,
	SK_BLOCKN_SIZE,
	SK_BLOCKN_RO,
	SK_LOOP, /* loopN/loop, while the device is bound */
	SK_LOOP_BACKING,
	SK_LOOP_OFFSET,
	SK_LOOP_SIZELIMIT,
	SK_LOOP_AUTOCLEAR,
	SK_LOOP_PARTSCAN,
	SK_LOOP_DIO,
	SK_COUNT
};

#define SYS_INO(kind, sub) (((uint64_t)(kind) << 16) | (uint64_t)(sub))
#define SYS_INO_KIND(ino)  ((enum sys_kind)(((ino) >> 16) & 0xff))
#define SYS_INO_SUB(ino)   ((int)((ino)&0xffff))

typedef int (*sys_gen_fn)(int sub, struct textbuf *out);

struct sys_entry {
	const char *name; /* "" for the dynamic cpuN directories */
	enum sys_kind parent;
	uint32_t mode;
	sys_gen_fn gen; /* regular files */
	/* Optional: whether the entry exists under the directory with this
	 * sub-number. */
	bool (*exists)(int sub);
};

extern const struct sys_entry sys_entries[SK_COUNT];

int sysfs_node(struct superblock *sb, uint64_t ino, struct vnode **out);
int sysfs_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out);
int sysfs_readdir(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx);

/* cpu.c */
/* How many cpuN directories there are (the harts the kernel found). */
int sys_cpu_count(void);
int sys_gen_cpu_online(int sub, struct textbuf *out);
int sys_gen_cpu_offline(int sub, struct textbuf *out);
int sys_gen_cpu_possible(int sub, struct textbuf *out);
int sys_gen_cpu_kernel_max(int sub, struct textbuf *out);
int sys_gen_cpun_online(int sub, struct textbuf *out);
bool sys_cpun_hotpluggable(int cpu);

/* block.c: /sys/block/loopN (N = sub) */
bool sys_block_exists(int n);
bool sys_loop_bound(int n);
int sys_gen_block_dev(int sub, struct textbuf *out);
int sys_gen_block_size(int sub, struct textbuf *out);
int sys_gen_block_ro(int sub, struct textbuf *out);
int sys_gen_loop_backing(int sub, struct textbuf *out);
int sys_gen_loop_offset(int sub, struct textbuf *out);
int sys_gen_loop_sizelimit(int sub, struct textbuf *out);
int sys_gen_loop_autoclear(int sub, struct textbuf *out);
int sys_gen_loop_partscan(int sub, struct textbuf *out);
int sys_gen_loop_dio(int sub, struct textbuf *out);

#endif
