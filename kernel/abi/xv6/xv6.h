/*
 * The xv6-riscv64 ABI module: the constants, data layouts and limits of
 * xv6-riscv as its programs see them (system call numbers, open flags,
 * struct stat, struct dirent, NOFILE, MAXPATH...), and the module's
 * internal interfaces: the per-process descriptor table (fdtable.c), the
 * pure translations between xv6's and the kernel's conventions
 * (translate.c) and the system call handlers (sys_*.c).
 *
 * xv6 has no errno: every system call returns -1 on any error.  The
 * handlers return -ERRNO like the rest of the kernel and the dispatcher
 * (module.c) turns every negative value into -1 at the boundary.
 */
#ifndef ABI_XV6_H
#define ABI_XV6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vattr;
struct kobj;
struct task;
struct handle_table;
struct fd_carry;

/* Limits (xv6 kernel/param.h, kernel/fs.h, kernel/riscv.h). */
#define XV6_NPROC     64  /* processes of this ABI at once */
#define XV6_NOFILE    16  /* open files per process */
#define XV6_MAXARG    32  /* exec arguments, the NULL included */
#define XV6_MAXPATH   128 /* path buffer, the NUL included */
#define XV6_DIRSIZ    14  /* significant characters of a name */
#define XV6_BSIZE     1024
#define XV6_NDIRECT   12
#define XV6_NINDIRECT (XV6_BSIZE / 4)
#define XV6_MAXFILE   (XV6_NDIRECT + XV6_NINDIRECT) /* blocks */
#define XV6_MAXBYTES  ((uint64_t)XV6_MAXFILE * XV6_BSIZE)
#define XV6_PGSIZE    4096UL
#define XV6_USERSTACK 1 /* pages of user stack */
#define XV6_MAXVA     (1UL << 38)
#define XV6_TRAPFRAME (XV6_MAXVA - 2 * XV6_PGSIZE) /* top of user memory */
#define XV6_TICK_NS   100000000ULL                 /* 1/10 s */
#define XV6_CONSOLE   1                            /* major of the console */

/* Open flags (kernel/fcntl.h). */
#define XV6_O_RDONLY 0x000
#define XV6_O_WRONLY 0x001
#define XV6_O_RDWR   0x002
#define XV6_O_CREATE 0x200
#define XV6_O_TRUNC  0x400

/* File types of struct stat (kernel/stat.h). */
#define XV6_T_DIR    1
#define XV6_T_FILE   2
#define XV6_T_DEVICE 3

/* sbrk's second argument (newer xv6; older binaries leave it random). */
#define XV6_SBRK_EAGER 1
#define XV6_SBRK_LAZY  2

/* kernel/stat.h */
struct xv6_stat {
	int32_t dev;
	uint32_t ino;
	int16_t type;
	int16_t nlink;
	uint64_t size;
};
_Static_assert(sizeof(struct xv6_stat) == 24, "xv6 struct stat layout");

/* kernel/fs.h: what read() of a directory returns. */
struct xv6_dirent {
	uint16_t inum;
	char name[XV6_DIRSIZ];
};
_Static_assert(sizeof(struct xv6_dirent) == 16, "xv6 struct dirent layout");

/* ---- translate.c: pure conversions (host-tested) ---- */

/* xv6 open mode to kernel O_* flags. */
int xv6_open_flags(int omode);
/* Fills st from va; -1 for objects xv6 cannot describe (pipes, FIFOs,
 * sockets). */
int xv6_stat_from_vattr(struct xv6_stat *st, const struct vattr *va);
/* One directory record: name cut to DIRSIZ, NUL-padded; inum never 0
 * (xv6 programs skip inum 0 as a free slot). */
void xv6_dirent_fill(struct xv6_dirent *de, const char *name, size_t len, uint64_t ino);
/* Cuts every component of path (in place) to DIRSIZ characters, as xv6
 * path lookup only looks at those; returns true when it changed. */
bool xv6_path_truncate(char *path);
/* exit(n) as a kernel wait status, and back.  Bits 16 and up keep the
 * high part of n, so xv6 parents read back any n in [-2^23, 2^23) while
 * native ones see the low 8 bits; a killed child reads as -1. */
int xv6_exit_status(int n);
int xv6_wait_status(int kstatus);
/* mknod's (major, minor) as a kernel device number: xv6's console (major
 * 1) is the terminal; other majors get numbers no driver owns. */
uint64_t xv6_rdev(int major, int minor);
/* Monotonic nanoseconds to xv6 clock ticks. */
uint64_t xv6_ticks(uint64_t ns);

/* ---- fdtable.c: descriptors over the task's handle table ---- */

/* abi_data of an xv6 task: fd -> kernel handle, -1 when closed. */
struct xv6_proc {
	int handle[XV6_NOFILE];
};

/* The current task's table (created on first use). */
struct xv6_proc *xv6_proc_current(void);
/* Installs obj at the lowest free fd, consuming the reference on success;
 * -EMFILE when all NOFILE are taken (obj then untouched). */
int xv6_fd_install(struct kobj *obj);
/* The object behind fd with a new reference, or NULL. */
struct kobj *xv6_fd_get(int fd);
int xv6_fd_close(int fd);

int xv6_fork_data(struct task *parent, void **child_data);
void xv6_free_data(void *data);
int xv6_export_fds(struct task *t, struct fd_carry *out, int max);
int xv6_import_fds(struct handle_table *ht, struct fd_carry *in, int n, void **data);
void xv6_exec_same_abi(struct task *t);

/* ---- load.c ---- */
struct exec_binary;
struct exec_args;
struct mm;
struct trapframe;
int xv6_score(const struct exec_binary *bin);
int xv6_load(const struct exec_binary *bin, struct mm *mm, const struct exec_args *args,
             struct trapframe *tf);

/* ---- system calls ---- */

/* A path argument: as given, and with every component cut to DIRSIZ. */
struct xv6_path {
	char full[XV6_MAXPATH];
	char cut[XV6_MAXPATH];
	bool differs;
};
/* Copies a user path; -ENAMETOOLONG past MAXPATH, -EFAULT. */
int xv6_path_get(uint64_t upath, struct xv6_path *p);
/* The name to retry a lookup with after error r: the full name when the
 * cut one was not found, else NULL. */
const char *xv6_path_retry(const struct xv6_path *p, int r);
/* Number of live (or zombie) tasks of this ABI. */
int xv6_count_procs(void);

#define XV6_SYSCALL(name) long xv6_sys_##name(uint64_t a0, uint64_t a1, uint64_t a2)

#define X(name, nr) XV6_SYSCALL(name);
#include "abi/xv6/syscalls.def"
#undef X

extern const struct abi_module xv6_abi;

#endif
