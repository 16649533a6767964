/*
 * The tree of procfs: one table of entries (name, parent directory, mode,
 * generator or link), and the directory operations over it, which add
 * the dynamic children: one directory per process under the root and one
 * link per open descriptor under /proc/PID/fd.
 */
#include "fs/procfs/procfs_impl.h"
#include "fs/nsfs.h"
#include "obj/handle.h"

#define DIR_MODE  (S_IFDIR | 0555)
#define FILE_MODE (S_IFREG | 0444)
#define LINK_MODE (S_IFLNK | 0777)
#define RW_MODE   (S_IFREG | 0644)

const struct proc_entry proc_entries[PK_COUNT] = {
    [PK_ROOT] = {"", PK_NONE, DIR_MODE, NULL, NULL},
    [PK_SELF] = {"self", PK_ROOT, LINK_MODE, NULL, proc_link_self},
    [PK_MOUNTS_LINK] = {"mounts", PK_ROOT, LINK_MODE, NULL, proc_link_mounts},
    [PK_MEMINFO] = {"meminfo", PK_ROOT, FILE_MODE, proc_gen_meminfo, NULL},
    [PK_UPTIME] = {"uptime", PK_ROOT, FILE_MODE, proc_gen_uptime, NULL},
    [PK_CPUINFO] = {"cpuinfo", PK_ROOT, FILE_MODE, proc_gen_cpuinfo, NULL},
    [PK_LOADAVG] = {"loadavg", PK_ROOT, FILE_MODE, proc_gen_loadavg, NULL},
    [PK_FILESYSTEMS] = {"filesystems", PK_ROOT, FILE_MODE, proc_gen_filesystems, NULL},
    [PK_VERSION] = {"version", PK_ROOT, FILE_MODE, proc_gen_version, NULL},
    [PK_STAT] = {"stat", PK_ROOT, FILE_MODE, proc_gen_stat, NULL},
    [PK_SYS] = {"sys", PK_ROOT, DIR_MODE, NULL, NULL},
    [PK_SYS_KERNEL] = {"kernel", PK_SYS, DIR_MODE, NULL, NULL},
    [PK_HOSTNAME] = {"hostname", PK_SYS_KERNEL, RW_MODE, proc_gen_hostname, NULL,
                     proc_write_hostname},
    [PK_OSTYPE] = {"ostype", PK_SYS_KERNEL, FILE_MODE, proc_gen_ostype, NULL},
    [PK_OSRELEASE] = {"osrelease", PK_SYS_KERNEL, FILE_MODE, proc_gen_osrelease, NULL},
    [PK_SYS_VM] = {"vm", PK_SYS, DIR_MODE, NULL, NULL},
    [PK_DROP_CACHES] = {"drop_caches", PK_SYS_VM, S_IFREG | 0200, proc_gen_drop_caches, NULL,
                        proc_write_drop_caches},
    [PK_SYSVIPC] = {"sysvipc", PK_ROOT, DIR_MODE, NULL, NULL},
    [PK_SYSVIPC_SHM] = {"shm", PK_SYSVIPC, FILE_MODE, proc_gen_sysvipc_shm, NULL},
    [PK_SYSVIPC_SEM] = {"sem", PK_SYSVIPC, FILE_MODE, proc_gen_sysvipc_sem, NULL},
    [PK_SYSVIPC_MSG] = {"msg", PK_SYSVIPC, FILE_MODE, proc_gen_sysvipc_msg, NULL},
    [PK_IPC_SHMMAX] = {"shmmax", PK_SYS_KERNEL, FILE_MODE, proc_gen_shmmax, NULL},
    [PK_IPC_SHMALL] = {"shmall", PK_SYS_KERNEL, FILE_MODE, proc_gen_shmall, NULL},
    [PK_IPC_SHMMNI] = {"shmmni", PK_SYS_KERNEL, FILE_MODE, proc_gen_shmmni, NULL},
    [PK_IPC_SEM] = {"sem", PK_SYS_KERNEL, FILE_MODE, proc_gen_sem_limits, NULL},
    [PK_IPC_MSGMAX] = {"msgmax", PK_SYS_KERNEL, FILE_MODE, proc_gen_msgmax, NULL},
    [PK_IPC_MSGMNB] = {"msgmnb", PK_SYS_KERNEL, FILE_MODE, proc_gen_msgmnb, NULL},
    [PK_IPC_MSGMNI] = {"msgmni", PK_SYS_KERNEL, FILE_MODE, proc_gen_msgmni, NULL},
    [PK_MQUEUE_DIR] = {"mqueue", PK_SYS_FS, DIR_MODE, NULL, NULL},
    [PK_MQ_QUEUES_MAX] = {"queues_max", PK_MQUEUE_DIR, FILE_MODE, proc_gen_mq_queues_max, NULL},
    [PK_MQ_MSG_MAX] = {"msg_max", PK_MQUEUE_DIR, FILE_MODE, proc_gen_mq_msg_max, NULL},
    [PK_MQ_MSGSIZE_MAX] = {"msgsize_max", PK_MQUEUE_DIR, FILE_MODE, proc_gen_mq_msgsize_max, NULL},
    [PK_MQ_MSG_DEFAULT] = {"msg_default", PK_MQUEUE_DIR, FILE_MODE, proc_gen_mq_msg_max, NULL},
    [PK_MQ_MSGSIZE_DEFAULT] = {"msgsize_default", PK_MQUEUE_DIR, FILE_MODE, proc_gen_mq_msgsize_max,
                               NULL},
    [PK_CMDLINE] = {"cmdline", PK_ROOT, FILE_MODE, proc_gen_cmdline, NULL},
    [PK_DOMAINNAME] = {"domainname", PK_SYS_KERNEL, RW_MODE, proc_gen_domainname, NULL,
                       proc_write_domainname},
    [PK_CORE_PATTERN] = {"core_pattern", PK_SYS_KERNEL, RW_MODE, proc_gen_core_pattern, NULL,
                         proc_write_core_pattern},
    [PK_KERNEL_VERSION] = {"version", PK_SYS_KERNEL, FILE_MODE, proc_gen_kernel_version, NULL},
    [PK_PID_MAX] = {"pid_max", PK_SYS_KERNEL, FILE_MODE, proc_gen_pid_max, NULL},
    [PK_TAINTED] = {"tainted", PK_SYS_KERNEL, FILE_MODE, proc_gen_tainted, NULL},
    [PK_NGROUPS_MAX] = {"ngroups_max", PK_SYS_KERNEL, FILE_MODE, proc_gen_ngroups_max, NULL},
    [PK_THREADS_MAX] = {"threads-max", PK_SYS_KERNEL, FILE_MODE, proc_gen_threads_max, NULL},
    [PK_SYS_FS] = {"fs", PK_SYS, DIR_MODE, NULL, NULL},
    [PK_PIPE_MAX_SIZE] = {"pipe-max-size", PK_SYS_FS, FILE_MODE, proc_gen_pipe_max_size, NULL},
    [PK_FILE_MAX] = {"file-max", PK_SYS_FS, FILE_MODE, proc_gen_file_max, NULL},
    [PK_NR_OPEN] = {"nr_open", PK_SYS_FS, FILE_MODE, proc_gen_nr_open, NULL},
    [PK_MAX_MAP_COUNT] = {"max_map_count", PK_SYS_VM, FILE_MODE, proc_gen_max_map_count, NULL},
    [PK_PID_LIMITS] = {"limits", PK_PID_DIR, FILE_MODE, proc_gen_pid_limits, NULL},
    [PK_PID_SMAPS] = {"smaps", PK_PID_DIR, FILE_MODE, proc_gen_pid_smaps, NULL},
    /* 0400 on Linux, where the file belongs to the process's owner */
    [PK_PID_PAGEMAP] = {"pagemap", PK_PID_DIR, FILE_MODE, NULL, NULL, NULL, proc_read_pid_pagemap},
    [PK_CONFIG_GZ] = {"config.gz", PK_ROOT, FILE_MODE, proc_gen_config_gz, NULL},
    [PK_SYSRQ_TRIGGER] = {"sysrq-trigger", PK_ROOT, S_IFREG | 0200, NULL, NULL,
                          proc_write_sysrq_trigger},
    [PK_PID_DIR] = {"", PK_ROOT, DIR_MODE, NULL, NULL},
    [PK_PID_STAT] = {"stat", PK_PID_DIR, FILE_MODE, proc_gen_pid_stat, NULL},
    [PK_PID_STATUS] = {"status", PK_PID_DIR, FILE_MODE, proc_gen_pid_status, NULL},
    [PK_PID_STATM] = {"statm", PK_PID_DIR, FILE_MODE, proc_gen_pid_statm, NULL},
    [PK_PID_CMDLINE] = {"cmdline", PK_PID_DIR, FILE_MODE, proc_gen_pid_cmdline, NULL},
    [PK_PID_ENVIRON] = {"environ", PK_PID_DIR, S_IFREG | 0400, proc_gen_pid_environ, NULL},
    [PK_PID_COMM] = {"comm", PK_PID_DIR, FILE_MODE, proc_gen_pid_comm, NULL},
    [PK_PID_MAPS] = {"maps", PK_PID_DIR, FILE_MODE, proc_gen_pid_maps, NULL},
    [PK_PID_MOUNTS] = {"mounts", PK_PID_DIR, FILE_MODE, proc_gen_pid_mounts, NULL},
    [PK_PID_EXE] = {"exe", PK_PID_DIR, LINK_MODE, NULL, proc_link_exe},
    [PK_PID_CWD] = {"cwd", PK_PID_DIR, LINK_MODE, NULL, proc_link_cwd},
    [PK_PID_ROOT] = {"root", PK_PID_DIR, LINK_MODE, NULL, proc_link_root},
    [PK_FD_DIR] = {"fd", PK_PID_DIR, S_IFDIR | 0500, NULL, NULL},
    [PK_FD_LINK] = {"", PK_FD_DIR, S_IFLNK | 0700, NULL, proc_link_fd},
    [PK_PID_MOUNTINFO] = {"mountinfo", PK_PID_DIR, FILE_MODE, proc_gen_pid_mountinfo, NULL},
    [PK_NS_DIR] = {"ns", PK_PID_DIR, S_IFDIR | 0511, NULL, NULL},
    /* operations: proc_ns_link_ops (ns_links.c) */
    [PK_NS_FIRST + NS_CGROUP] = {"cgroup", PK_NS_DIR, LINK_MODE, NULL, NULL},
    [PK_NS_FIRST + NS_IPC] = {"ipc", PK_NS_DIR, LINK_MODE, NULL, NULL},
    [PK_NS_FIRST + NS_MNT] = {"mnt", PK_NS_DIR, LINK_MODE, NULL, NULL},
    [PK_NS_FIRST + NS_NET] = {"net", PK_NS_DIR, LINK_MODE, NULL, NULL},
    [PK_NS_FIRST + NS_PID] = {"pid", PK_NS_DIR, LINK_MODE, NULL, NULL},
    [PK_NS_FIRST + NS_PID_FOR_CHILDREN] = {"pid_for_children", PK_NS_DIR, LINK_MODE, NULL, NULL},
    [PK_NS_FIRST + NS_TIME] = {"time", PK_NS_DIR, LINK_MODE, NULL, NULL},
    [PK_NS_FIRST + NS_TIME_FOR_CHILDREN] = {"time_for_children", PK_NS_DIR, LINK_MODE, NULL, NULL},
    [PK_NS_FIRST + NS_USER] = {"user", PK_NS_DIR, LINK_MODE, NULL, NULL},
    [PK_NS_FIRST + NS_UTS] = {"uts", PK_NS_DIR, LINK_MODE, NULL, NULL},
};

/* Entries named in the table (the others are the dynamic ones). */
static bool is_static(enum proc_kind k)
{
	return proc_entries[k].name[0] != '\0';
}

/* Entries under the per-process directory carry its pid. */
static bool per_process(enum proc_kind k)
{
	for (; k != PK_NONE; k = proc_entries[k].parent)
		if (k == PK_PID_DIR)
			return true;
	return false;
}

static unsigned dtype_of(uint32_t mode)
{
	return S_ISDIR(mode) ? DT_DIR : S_ISLNK(mode) ? DT_LNK : DT_REG;
}

/* A decimal number of at most 9 digits without leading zeros; -1 if not. */
static long parse_number(const char *name, size_t len)
{
	long v = 0;

	if (len == 0 || len > 9 || (name[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

static bool fd_is_open(pid_t pid, int fd)
{
	struct proc_task pt;
	struct kobj *o;

	if (proc_task_get(pid, &pt) < 0)
		return false;
	o = pt.handles ? handle_get(pt.handles, fd) : NULL;
	if (o)
		kobj_put(o);
	proc_task_put(&pt);
	return o != NULL;
}

static uint64_t parent_ino(uint64_t ino)
{
	enum proc_kind parent = proc_entries[PROC_INO_KIND(ino)].parent;

	if (parent == PK_NONE)
		return ino; /* the root is its own parent */
	return PROC_INO(per_process(parent) ? PROC_INO_PID(ino) : 0, parent, 0);
}

/* The dynamic child name of dir (a pid of ns, or a descriptor), or
 * ENOENT.  A pid directory's inode carries the global pid. */
static int lookup_dynamic(const struct pid_ns *ns, uint64_t dir, const char *name, size_t len,
                          uint64_t *ino)
{
	long v = parse_number(name, len);
	pid_t pid = PROC_INO_PID(dir);

	if (v < 0)
		return -ENOENT;
	if (PROC_INO_KIND(dir) == PK_ROOT && v > 0 && v < (1L << 24)) {
		pid_t global = proc_pid_global(ns, (pid_t)v);
		if (!global || global >= (1L << 24) || !proc_task_exists(global))
			return -ENOENT;
		*ino = PROC_INO(global, PK_PID_DIR, 0);
		return 0;
	}
	if (PROC_INO_KIND(dir) == PK_FD_DIR && v < HANDLE_MAX && fd_is_open(pid, (int)v)) {
		*ino = PROC_INO(pid, PK_FD_LINK, v);
		return 0;
	}
	return -ENOENT;
}

int procfs_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	enum proc_kind dk = PROC_INO_KIND(dir->ino);
	pid_t pid = PROC_INO_PID(dir->ino);
	uint64_t ino;

	if (pid && !proc_task_exists(pid))
		return -ENOENT;
	if (name_is_dotdot(name, len))
		return procfs_node(dir->sb, parent_ino(dir->ino), out);
	for (int k = 0; k < PK_COUNT; k++) {
		const char *n = proc_entries[k].name;
		if (proc_entries[k].parent == dk && is_static(k) && strlen(n) == len &&
		    memcmp(n, name, len) == 0)
			return procfs_node(dir->sb, PROC_INO(pid, k, 0), out);
	}
	int err = lookup_dynamic(dir->sb->priv, dir->ino, name, len, &ino);
	return err < 0 ? err : procfs_node(dir->sb, ino, out);
}

/*
 * Readdir cookies: 0 and 1 are "." and "..", 2 + k the table entry k,
 * then DYN_BASE + n the dynamic child n (a pid or a descriptor), so a
 * position stays valid when processes come and go.
 */
#define DYN_BASE (2 + PK_COUNT)

struct pid_fill {
	vfs_filldir_fn fill;
	void *ctx;
	uint64_t *cookie;
};

static int fill_pid(pid_t nr, pid_t global, void *arg)
{
	struct pid_fill *f = arg;
	char name[16];
	int n = fmt_snprintf(name, sizeof(name), "%d", nr);

	if (f->fill(f->ctx, name, (size_t)n, PROC_INO(global, PK_PID_DIR, 0), DT_DIR))
		return 1;
	*f->cookie = DYN_BASE + (uint64_t)nr + 1;
	return 0;
}

static int readdir_fds(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx)
{
	pid_t pid = PROC_INO_PID(dir->ino);
	struct proc_task pt;
	int err = proc_task_get(pid, &pt);

	if (err < 0)
		return err;
	for (int fd = (int)(*cookie - DYN_BASE); pt.handles && fd < HANDLE_MAX; fd++) {
		struct kobj *o = handle_get(pt.handles, fd);
		char name[8];
		if (!o)
			continue;
		kobj_put(o);
		int n = fmt_snprintf(name, sizeof(name), "%d", fd);
		if (fill(ctx, name, (size_t)n, PROC_INO(pid, PK_FD_LINK, fd), DT_LNK))
			break;
		*cookie = DYN_BASE + (uint64_t)fd + 1;
	}
	proc_task_put(&pt);
	return 0;
}

int procfs_readdir(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx)
{
	enum proc_kind dk = PROC_INO_KIND(dir->ino);
	pid_t pid = PROC_INO_PID(dir->ino);

	if (pid && !proc_task_exists(pid))
		return -ENOENT;
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
		const struct proc_entry *e = &proc_entries[k];
		if (e->parent != dk || !is_static(k))
			continue;
		if (fill(ctx, e->name, strlen(e->name), PROC_INO(pid, k, 0), dtype_of(e->mode)))
			return 0;
	}
	if (dk == PK_ROOT) {
		struct pid_fill f = {fill, ctx, cookie};
		proc_for_each_pid(dir->sb->priv, (pid_t)(*cookie - DYN_BASE), fill_pid, &f);
	} else if (dk == PK_FD_DIR) {
		return readdir_fds(dir, cookie, fill, ctx);
	}
	return 0;
}
