/*
 * The linux-riscv64 ABI module: Linux's generic system call numbering,
 * Linux data layouts and errno values (which are the kernel's own).  This
 * first part runs static glibc programs' start-up and basic I/O; the rest
 * of the system calls return ENOSYS, logged once per call and process.
 */
#ifndef ABI_LINUX_H
#define ABI_LINUX_H

#include <stdint.h>

#include "abi/abi.h"
#include "core/kernel.h"
#include "core/uaccess.h"

#define LINUX_NR_MAX 512
extern const char *const linux_syscall_names[LINUX_NR_MAX];

typedef long (*linux_syscall_fn)(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                                 uint64_t a5);

#define LINUX_SYSCALL(name)                                                                        \
	long linux_sys_##name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,     \
	                      uint64_t a5)
#define LINUX_UNUSED() (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5

#define LINUX_AT_FDCWD            (-100)
#define LINUX_AT_EMPTY_PATH       0x1000
#define LINUX_AT_SYMLINK_NOFOLLOW 0x100

/* struct stat of the generic (asm-generic) layout riscv64 uses */
struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint64_t pad1;
	int64_t st_size;
	int32_t st_blksize;
	int32_t pad2;
	int64_t st_blocks;
	int64_t st_atime_sec;
	uint64_t st_atime_nsec;
	int64_t st_mtime_sec;
	uint64_t st_mtime_nsec;
	int64_t st_ctime_sec;
	uint64_t st_ctime_nsec;
	uint32_t unused[2];
};

struct linux_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

struct linux_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct linux_iovec {
	uint64_t base;
	uint64_t len;
};

struct linux_rlimit {
	uint64_t cur, max;
};

struct linux_winsize {
	uint16_t rows, cols, xpixel, ypixel;
};

/* The fd of a Linux process is its handle number (as for native). */
struct kobj *linux_fd_get(int fd);

struct trapframe;
/* Whether an interrupted call waited on a socket with a timeout for its
 * direction (SO_RCVTIMEO, SO_SNDTIMEO): Linux never restarts those
 * (sys_socket.c). */
bool linux_sock_no_restart(const struct trapframe *tf);

#endif
