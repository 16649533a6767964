/*
 * The tree of sysfs: one table of entries (name, parent directory, mode,
 * generator), and the directory operations over it, which add the
 * dynamic cpuN directories under /sys/devices/system/cpu and loopN
 * under /sys/block.
 */
#include "fs/sysfs/sysfs_impl.h"

#define DIR_MODE  (S_IFDIR | 0755)
#define FILE_MODE (S_IFREG | 0444)

const struct sys_entry sys_entries[SK_COUNT] = {
    [SK_ROOT] = {"", SK_NONE, DIR_MODE, NULL, NULL},
    [SK_DEVICES] = {"devices", SK_ROOT, DIR_MODE, NULL, NULL},
    [SK_SYSTEM] = {"system", SK_DEVICES, DIR_MODE, NULL, NULL},
    [SK_CPU] = {"cpu", SK_SYSTEM, DIR_MODE, NULL, NULL},
    [SK_CPU_ONLINE] = {"online", SK_CPU, FILE_MODE, sys_gen_cpu_online, NULL},
    [SK_CPU_OFFLINE] = {"offline", SK_CPU, FILE_MODE, sys_gen_cpu_offline, NULL},
    [SK_CPU_POSSIBLE] = {"possible", SK_CPU, FILE_MODE, sys_gen_cpu_possible, NULL},
    [SK_CPU_PRESENT] = {"present", SK_CPU, FILE_MODE, sys_gen_cpu_possible, NULL},
    [SK_CPU_KERNEL_MAX] = {"kernel_max", SK_CPU, FILE_MODE, sys_gen_cpu_kernel_max, NULL},
    [SK_CPUN] = {"", SK_CPU, DIR_MODE, NULL, NULL},
    [SK_CPUN_ONLINE] = {"online", SK_CPUN, FILE_MODE, sys_gen_cpun_online, sys_cpun_hotpluggable},
    [SK_BLOCK] = {"block", SK_ROOT, DIR_MODE, NULL, NULL},
    [SK_BLOCKN] = {"", SK_BLOCK, DIR_MODE, NULL, NULL},
    [SK_BLOCKN_DEV] = {"dev", SK_BLOCKN, FILE_MODE, sys_gen_block_dev, NULL},
    [SK_BLOCKN_SIZE] = {"size", SK_BLOCKN, FILE_MODE, sys_gen_block_size, NULL},
    [SK_BLOCKN_RO] = {"ro", SK_BLOCKN, FILE_MODE, sys_gen_block_ro, NULL},
    [SK_LOOP] = {"loop", SK_BLOCKN, DIR_MODE, NULL, sys_loop_bound},
    [SK_LOOP_BACKING] = {"backing_file", SK_LOOP, FILE_MODE, sys_gen_loop_backing, NULL},
    [SK_LOOP_OFFSET] = {"offset", SK_LOOP, FILE_MODE, sys_gen_loop_offset, NULL},
    [SK_LOOP_SIZELIMIT] = {"sizelimit", SK_LOOP, FILE_MODE, sys_gen_loop_sizelimit, NULL},
    [SK_LOOP_AUTOCLEAR] = {"autoclear", SK_LOOP, FILE_MODE, sys_gen_loop_autoclear, NULL},
    [SK_LOOP_PARTSCAN] = {"partscan", SK_LOOP, FILE_MODE, sys_gen_loop_partscan, NULL},
    [SK_LOOP_DIO] = {"dio", SK_LOOP, FILE_MODE, sys_gen_loop_dio, NULL},
};

static bool is_static(enum sys_kind k)
{
	return sys_entries[k].name[0] != '\0';
}

/* Entry k exists under the directory dir (its kind and sub-number). */
static bool child_of(enum sys_kind k, uint64_t dir)
{
	return sys_entries[k].parent == SYS_INO_KIND(dir) && is_static(k) &&
	       (!sys_entries[k].exists || sys_entries[k].exists(SYS_INO_SUB(dir)));
}

static unsigned dtype_of(uint32_t mode)
{
	return S_ISDIR(mode) ? DT_DIR : DT_REG;
}

/* Nodes under cpuN and loopN carry N; the others 0. */
static bool carries_sub(enum sys_kind k)
{
	return k == SK_CPUN || k == SK_BLOCKN || k == SK_LOOP;
}

static uint64_t parent_ino(uint64_t ino)
{
	enum sys_kind k = SYS_INO_KIND(ino), parent = sys_entries[k].parent;

	if (parent == SK_NONE)
		return ino; /* the root is its own parent */
	return SYS_INO(parent, carries_sub(parent) ? SYS_INO_SUB(ino) : 0);
}

/* PREFIX followed by N without leading zeros (at most 3 digits); -1 if
 * not. */
static int parse_numbered(const char *prefix, const char *name, size_t len)
{
	size_t plen = strlen(prefix);
	int v = 0;

	if (len <= plen || len > plen + 3 || memcmp(name, prefix, plen) != 0 ||
	    (name[plen] == '0' && len > plen + 1))
		return -1;
	for (size_t i = plen; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

/* "cpuN" with N a hart's index; -1 if not. */
static int parse_cpu_name(const char *name, size_t len)
{
	int v = parse_numbered("cpu", name, len);
	return v >= 0 && v < sys_cpu_count() ? v : -1;
}

/* "loopN" with N an existing loop device; -1 if not. */
static int parse_block_name(const char *name, size_t len)
{
	int v = parse_numbered("loop", name, len);
	return v >= 0 && sys_block_exists(v) ? v : -1;
}

int sysfs_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	int sub = SYS_INO_SUB(dir->ino), cpu;

	if (name_is_dotdot(name, len))
		return sysfs_node(dir->sb, parent_ino(dir->ino), out);
	for (int k = 0; k < SK_COUNT; k++) {
		const char *n = sys_entries[k].name;
		if (child_of(k, dir->ino) && strlen(n) == len && memcmp(n, name, len) == 0)
			return sysfs_node(dir->sb, SYS_INO(k, sub), out);
	}
	if (SYS_INO_KIND(dir->ino) == SK_CPU && (cpu = parse_cpu_name(name, len)) >= 0)
		return sysfs_node(dir->sb, SYS_INO(SK_CPUN, cpu), out);
	if (SYS_INO_KIND(dir->ino) == SK_BLOCK && (cpu = parse_block_name(name, len)) >= 0)
		return sysfs_node(dir->sb, SYS_INO(SK_BLOCKN, cpu), out);
	return -ENOENT;
}

/* Readdir cookies: 0 and 1 are "." and "..", 2 + k the table entry k,
 * then DYN_BASE + N the directory cpuN or loopN. */
#define DYN_BASE      (2 + SK_COUNT)
#define LOOP_DIRS_MAX 256

static int readdir_block(uint64_t *cookie, vfs_filldir_fn fill, void *ctx)
{
	char name[16];

	for (int n = (int)(*cookie - DYN_BASE); n < LOOP_DIRS_MAX; n++) {
		if (!sys_block_exists(n))
			continue;
		int len = fmt_snprintf(name, sizeof(name), "loop%d", n);
		if (fill(ctx, name, (size_t)len, SYS_INO(SK_BLOCKN, n), DT_DIR))
			return 0;
		*cookie = DYN_BASE + (uint64_t)n + 1;
	}
	*cookie = DYN_BASE + LOOP_DIRS_MAX;
	return 0;
}

int sysfs_readdir(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx)
{
	int sub = SYS_INO_SUB(dir->ino);
	char name[16];

	if (*cookie == 0) {
		if (fill(ctx, ".", 1, dir->ino, DT_DIR))
			return 0;
		*cookie = 1;
	}
	if (*cookie == 1) {
		if (fill(ctx, "..", 2, parent_ino(dir->ino), DT_DIR))
			return 0;
		*cookie = 2;
	}
	for (; *cookie < DYN_BASE; (*cookie)++) {
		int k = (int)(*cookie - 2);
		const struct sys_entry *e = &sys_entries[k];
		if (!child_of(k, dir->ino))
			continue;
		if (fill(ctx, e->name, strlen(e->name), SYS_INO(k, sub), dtype_of(e->mode)))
			return 0;
	}
	if (SYS_INO_KIND(dir->ino) == SK_BLOCK)
		return readdir_block(cookie, fill, ctx);
	if (SYS_INO_KIND(dir->ino) != SK_CPU)
		return 0;
	for (int cpu = (int)(*cookie - DYN_BASE); cpu < sys_cpu_count(); cpu++) {
		int n = fmt_snprintf(name, sizeof(name), "cpu%d", cpu);
		if (fill(ctx, name, (size_t)n, SYS_INO(SK_CPUN, cpu), DT_DIR))
			return 0;
		*cookie = DYN_BASE + (uint64_t)cpu + 1;
	}
	return 0;
}
