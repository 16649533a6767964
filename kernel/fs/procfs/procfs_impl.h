/*
 * Internals shared by the files of procfs.
 *
 * Every node is described by its inode number alone: the pid it belongs
 * to (0 for system-wide nodes), its kind (an index in the table of
 * entries.c) and a sub-number (a descriptor under fd/).  Lookups make a
 * fresh vnode each time, so an open file has a vnode of its own; a
 * regular file's text is generated on its first read and again on every
 * read at offset 0 (a reader that seeks back to 0 sees fresh data, one
 * that reads on sees a consistent snapshot).
 */
#ifndef FS_PROCFS_IMPL_H
#define FS_PROCFS_IMPL_H

#include "core/kernel.h"
#include "fs/procfs/procfs.h"
#include "fs/textbuf.h"
#include "fs/vfs_impl.h"
#include "proc/pid_ns.h"
#include "proc/task.h"

/* What /proc/sys/kernel and /proc/version report (as the Linux ABI's
 * uname does). */
#define PROC_OSTYPE         "Linux"
#define PROC_OSRELEASE      "6.1.0-scarlet"
#define PROC_HOSTNAME       "scarlet"
#define PROC_KERNEL_VERSION "#1 Scarlet"

/* snprintf into buf[len]; returns the length, ENAMETOOLONG if cut
 * (links.c). */
int proc_put(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- nodes (entries.c) ---- */

enum proc_kind {
	PK_NONE,
	PK_ROOT,
	PK_SELF,
	PK_MOUNTS_LINK,
	PK_MEMINFO,
	PK_UPTIME,
	PK_CPUINFO,
	PK_LOADAVG,
	PK_FILESYSTEMS,
	PK_VERSION,
	PK_STAT,
	PK_SYS,
	PK_SYS_KERNEL,
	PK_HOSTNAME,
	PK_OSTYPE,
	PK_OSRELEASE,
	PK_SYS_VM,
	PK_DROP_CACHES,
	PK_SYSVIPC,
	PK_SYSVIPC_SHM,
	PK_SYSVIPC_SEM,
	PK_SYSVIPC_MSG,
	PK_IPC_SHMMAX,
	PK_IPC_SHMALL,
	PK_IPC_SHMMNI,
	PK_IPC_SEM,
	PK_IPC_MSGMAX,
	PK_IPC_MSGMNB,
	PK_IPC_MSGMNI,
	PK_MQUEUE_DIR,
	PK_MQ_QUEUES_MAX,
	PK_MQ_MSG_MAX,
	PK_MQ_MSGSIZE_MAX,
	PK_MQ_MSG_DEFAULT,
	PK_MQ_MSGSIZE_DEFAULT,
	/* sysctl_files.c */
	PK_CMDLINE,
	PK_DOMAINNAME,
	PK_CORE_PATTERN,
	PK_KERNEL_VERSION,
	PK_PID_MAX,
	PK_TAINTED,
	PK_NGROUPS_MAX,
	PK_THREADS_MAX,
	PK_SYS_FS,
	PK_PIPE_MAX_SIZE,
	PK_FILE_MAX,
	PK_NR_OPEN,
	PK_MAX_MAP_COUNT,
	PK_PID_LIMITS,
	PK_PID_SMAPS,
	PK_PID_PAGEMAP,
	PK_CONFIG_GZ,
	PK_SYSRQ_TRIGGER,
	PK_PID_DIR,
	PK_PID_STAT,
	PK_PID_STATUS,
	PK_PID_STATM,
	PK_PID_CMDLINE,
	PK_PID_ENVIRON,
	PK_PID_COMM,
	PK_PID_MAPS,
	PK_PID_MOUNTS,
	PK_PID_EXE,
	PK_PID_CWD,
	PK_PID_ROOT,
	PK_FD_DIR,
	PK_FD_LINK,
	PK_NS_DIR,
	PK_NS_FIRST, /* one link per enum ns_kind (fs/nsfs.h), in its order */
	PK_NS_LAST = PK_NS_FIRST + 9,
	PK_PID_MOUNTINFO,
	PK_COUNT
};

#define PROC_INO(pid, kind, sub)                                                                   \
	(((uint64_t)(pid) << 24) | ((uint64_t)(kind) << 16) | (uint64_t)(sub))
#define PROC_INO_PID(ino)  ((pid_t)((ino) >> 24))
#define PROC_INO_KIND(ino) ((enum proc_kind)(((ino) >> 16) & 0xff))
#define PROC_INO_SUB(ino)  ((int)((ino)&0xffff))

/* What a generator or a link function is asked about. */
struct proc_node {
	pid_t pid; /* global */
	int sub;
	struct pid_ns *ns; /* the procfs's: the pid namespace of its mounter */
};

typedef int (*proc_gen_fn)(const struct proc_node *n, struct textbuf *out);
/* Writes the link target into buf[n], NUL-terminated; returns its length. */
typedef int (*proc_link_fn)(const struct proc_node *n, char *buf, size_t len);
/* Reads a file that is not text (pagemap) straight into io. */
typedef ssize_t (*proc_read_fn)(const struct proc_node *n, struct iobuf *io, uint64_t off);
/* Takes what a write(2) gave (len bytes, kernel memory): 0 or -errno. */
typedef int (*proc_write_fn)(const struct proc_node *n, const char *buf, size_t len);

struct proc_entry {
	const char *name;
	enum proc_kind parent;
	uint32_t mode;
	proc_gen_fn gen;     /* regular files */
	proc_link_fn link;   /* symlinks */
	proc_write_fn write; /* regular files that take writes */
	proc_read_fn read;   /* regular files read without gen */
};

extern const struct proc_entry proc_entries[PK_COUNT];

/* A new vnode for ino (mode from the table). */
int procfs_node(struct superblock *sb, uint64_t ino, struct vnode **out);
/* Directory operations over the table plus the dynamic children (pids
 * under the root, descriptors under fd/). */
int procfs_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out);
int procfs_readdir(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx);

/* ---- tasks (task_info.c) ---- */

/* A consistent look at one task, with references to its resources
 * (each may be NULL: zombies and exiting tasks have none). */
struct proc_task {
	/* as the procfs's pid namespace sees them (0: outside it) */
	pid_t pid, ppid, pgid, sid;
	pid_t tgid; /* its process */
	/* the same in each namespace from the procfs's down to the task's */
	int ns_levels;
	pid_t ns_tgid[PID_NS_MAX_LEVEL + 1], ns_pid[PID_NS_MAX_LEVEL + 1];
	pid_t ns_pgid[PID_NS_MAX_LEVEL + 1], ns_sid[PID_NS_MAX_LEVEL + 1];
	char name[TASK_NAME_LEN];
	char state;      /* R S D T Z, as Linux */
	const char *abi; /* the ABI module's name */
	int cpu;         /* last hart, or 0 */
	int nthreads;    /* live threads of its process */
	int exit_status; /* zombies */
	uint64_t cpu_ns, cpu_ns_children, start_ns;
	uint64_t sig_pending, sig_ignored;
	int nice, policy, rt_priority; /* proc/sched_policy.h */
	struct mm *mm;
	struct fs_struct *fs;
	struct handle_table *handles;
};

/* Is pid a live process (not a kernel thread) that /proc shows? */
bool proc_task_exists(pid_t pid);
/* ESRCH if it is not.  Numbers as the initial pid namespace sees them,
 * or ns. */
int proc_task_get(pid_t pid, struct proc_task *out);
int proc_task_get_in(const struct pid_ns *ns, pid_t pid, struct proc_task *out);

/* The task's mounts as lister writes them, in a buffer grown until they
 * fit (at most 256 KiB): *list (kmalloc'd; NULL when the task has no
 * fs_struct) and the lister's result (length or -errno). */
typedef int (*proc_mount_lister)(struct fs_struct *fs, char *buf, size_t n);
int proc_list_mounts(const struct proc_task *pt, proc_mount_lister lister, char **list);
void proc_task_put(struct proc_task *pt);
/* Calls fn for each process /proc shows in ns whose number there is >=
 * from, in increasing order, with that number and its global pid, until
 * fn returns non-zero (which is returned). */
int proc_for_each_pid(const struct pid_ns *ns, pid_t from,
                      int (*fn)(pid_t nr, pid_t global, void *ctx), void *ctx);
/* The global pid of the process /proc in ns shows as nr, or 0. */
pid_t proc_pid_global(const struct pid_ns *ns, pid_t nr);
/* How many processes there are, and how many run or wait uninterruptibly. */
struct proc_census {
	int total, running, blocked;
};
void proc_census(struct proc_census *c);
/* Copies [start, end) of mm's memory (faulting pages in) into out;
 * stops at the first unmapped page. */
void proc_read_memory(struct mm *mm, uint64_t start, uint64_t end, struct textbuf *out);

/* ---- what the files say ---- */

/* pid_mountinfo.c */
int proc_gen_pid_mountinfo(const struct proc_node *n, struct textbuf *out);

/* ns_links.c: /proc/PID/ns/KIND, links that follow to a namespace file */
extern const struct vnode_ops proc_ns_link_ops;
#define PROC_IS_NS_LINK(kind) ((kind) >= PK_NS_FIRST && (kind) <= PK_NS_LAST)

/* links.c */
int proc_link_self(const struct proc_node *n, char *buf, size_t len);
int proc_link_mounts(const struct proc_node *n, char *buf, size_t len);
int proc_link_exe(const struct proc_node *n, char *buf, size_t len);
int proc_link_cwd(const struct proc_node *n, char *buf, size_t len);
int proc_link_root(const struct proc_node *n, char *buf, size_t len);
int proc_link_fd(const struct proc_node *n, char *buf, size_t len);

/* names.c */
/* The name of a path as the reading task sees it, else as owner (the
 * process it belongs to) sees it; *view says which. */
int proc_path_name_in(struct fs_struct *owner, const struct path *p, char *buf, size_t len,
                      struct fs_struct **view);
int proc_path_name(struct fs_struct *owner, const struct path *p, char *buf, size_t len);
/* The name of any object a process holds (see names.c). */
int proc_object_name(struct kobj *o, struct fs_struct *owner, char *buf, size_t len);

/* pid_files.c */
int proc_gen_pid_stat(const struct proc_node *n, struct textbuf *out);
int proc_gen_pid_status(const struct proc_node *n, struct textbuf *out);
int proc_gen_pid_statm(const struct proc_node *n, struct textbuf *out);
int proc_gen_pid_cmdline(const struct proc_node *n, struct textbuf *out);
int proc_gen_pid_environ(const struct proc_node *n, struct textbuf *out);
int proc_gen_pid_comm(const struct proc_node *n, struct textbuf *out);
int proc_gen_pid_mounts(const struct proc_node *n, struct textbuf *out);

/* pid_maps.c */
int proc_gen_pid_maps(const struct proc_node *n, struct textbuf *out);
/* Address-space sizes in bytes for stat, status and statm. */
struct proc_vm_sizes {
	uint64_t total, stack, exe, data, code_start, code_end, data_start, data_end;
};
void proc_vm_sizes(struct mm *mm, struct proc_vm_sizes *out);
/* One VMA, copied so the lock is not held while naming the file. */
struct map_line {
	uint64_t start, end;
	unsigned prot, flags;
	bool file; /* maps a file (else anonymous memory) */
};
/* Copies up to max VMAs at or above from; returns how many. */
int proc_copy_vmas(struct mm *mm, uint64_t from, struct map_line *lines, int max);
/* The line maps shows for l (and smaps first). */
void proc_print_map_line(struct textbuf *out, const struct map_line *l, const char *exe,
                         const struct vattr *exe_va);
/* The executable's name and attributes; false if it has none. */
bool proc_exe_info(struct proc_task *pt, char *name, size_t len, struct vattr *va);

/* system_files.c */
int proc_gen_meminfo(const struct proc_node *n, struct textbuf *out);
int proc_gen_uptime(const struct proc_node *n, struct textbuf *out);
int proc_gen_cpuinfo(const struct proc_node *n, struct textbuf *out);
int proc_gen_loadavg(const struct proc_node *n, struct textbuf *out);
/* sysvipc.c */
int proc_gen_sysvipc_shm(const struct proc_node *n, struct textbuf *out);
int proc_gen_sysvipc_sem(const struct proc_node *n, struct textbuf *out);
int proc_gen_sysvipc_msg(const struct proc_node *n, struct textbuf *out);
/* /proc/sys/kernel/{shmmax,...,msgmni} and /proc/sys/fs/mqueue files: the IPC
 * limits (read-only here) */
int proc_gen_shmmax(const struct proc_node *n, struct textbuf *out);
int proc_gen_shmall(const struct proc_node *n, struct textbuf *out);
int proc_gen_shmmni(const struct proc_node *n, struct textbuf *out);
int proc_gen_sem_limits(const struct proc_node *n, struct textbuf *out);
int proc_gen_msgmax(const struct proc_node *n, struct textbuf *out);
int proc_gen_msgmnb(const struct proc_node *n, struct textbuf *out);
int proc_gen_msgmni(const struct proc_node *n, struct textbuf *out);
int proc_gen_mq_queues_max(const struct proc_node *n, struct textbuf *out);
int proc_gen_mq_msg_max(const struct proc_node *n, struct textbuf *out);
int proc_gen_mq_msgsize_max(const struct proc_node *n, struct textbuf *out);
int proc_gen_filesystems(const struct proc_node *n, struct textbuf *out);
int proc_gen_version(const struct proc_node *n, struct textbuf *out);
int proc_gen_stat(const struct proc_node *n, struct textbuf *out);
int proc_gen_ostype(const struct proc_node *n, struct textbuf *out);
int proc_gen_osrelease(const struct proc_node *n, struct textbuf *out);

/* sysctl_files.c */
int proc_gen_hostname(const struct proc_node *n, struct textbuf *out);
int proc_write_hostname(const struct proc_node *n, const char *buf, size_t len);
int proc_gen_domainname(const struct proc_node *n, struct textbuf *out);
int proc_write_domainname(const struct proc_node *n, const char *buf, size_t len);
int proc_gen_core_pattern(const struct proc_node *n, struct textbuf *out);
int proc_write_core_pattern(const struct proc_node *n, const char *buf, size_t len);
int proc_gen_pid_max(const struct proc_node *n, struct textbuf *out);
int proc_gen_tainted(const struct proc_node *n, struct textbuf *out);
int proc_gen_ngroups_max(const struct proc_node *n, struct textbuf *out);
int proc_gen_threads_max(const struct proc_node *n, struct textbuf *out);
int proc_gen_pipe_max_size(const struct proc_node *n, struct textbuf *out);
int proc_gen_file_max(const struct proc_node *n, struct textbuf *out);
int proc_gen_nr_open(const struct proc_node *n, struct textbuf *out);
int proc_gen_max_map_count(const struct proc_node *n, struct textbuf *out);
int proc_gen_kernel_version(const struct proc_node *n, struct textbuf *out);
int proc_gen_cmdline(const struct proc_node *n, struct textbuf *out);

/* pid_smaps.c, pid_pagemap.c */
int proc_gen_pid_smaps(const struct proc_node *n, struct textbuf *out);
ssize_t proc_read_pid_pagemap(const struct proc_node *n, struct iobuf *io, uint64_t off);

/* config_gz.c */
int proc_gen_config_gz(const struct proc_node *n, struct textbuf *out);

/* pid_limits.c */
int proc_gen_pid_limits(const struct proc_node *n, struct textbuf *out);

/* vm_files.c */
int proc_gen_drop_caches(const struct proc_node *n, struct textbuf *out);
int proc_write_drop_caches(const struct proc_node *n, const char *buf, size_t len);
int proc_write_sysrq_trigger(const struct proc_node *n, const char *buf, size_t len);

/* Clock ticks (USER_HZ = 100) from nanoseconds. */
static inline uint64_t proc_ticks(uint64_t ns)
{
	return ns / 10000000;
}

#endif
