/*
 * Data layouts and constants of the Scarlet native ABI, shared by the
 * kernel (kernel/abi/native) and the native userland (user/).
 *
 * Flag and mode values follow the Linux generic ones so that translation
 * in the Linux ABI module is the identity for them; the structures are
 * Scarlet's own.
 */
#ifndef SCARLET_ABI_H
#define SCARLET_ABI_H

#include <stdint.h>

/* open() flags */
#define O_RDONLY    0x0
#define O_WRONLY    0x1
#define O_RDWR      0x2
#define O_ACCMODE   0x3
#define O_CREAT     0x40
#define O_EXCL      0x80
#define O_NOCTTY    0x100
#define O_TRUNC     0x200
#define O_APPEND    0x400
#define O_NONBLOCK  0x800
#define O_DIRECTORY 0x10000
#define O_NOFOLLOW  0x20000
#define O_CLOEXEC   0x80000

/* file type and permission bits of sc_stat.mode */
#define S_IFMT      0170000
#define S_IFSOCK    0140000
#define S_IFLNK     0120000
#define S_IFREG     0100000
#define S_IFBLK     0060000
#define S_IFDIR     0040000
#define S_IFCHR     0020000
#define S_IFIFO     0010000
#define S_ISUID     04000
#define S_ISGID     02000
#define S_ISVTX     01000
#define S_ISDIR(m)  (((m)&S_IFMT) == S_IFDIR)
#define S_ISREG(m)  (((m)&S_IFMT) == S_IFREG)
#define S_ISLNK(m)  (((m)&S_IFMT) == S_IFLNK)
#define S_ISCHR(m)  (((m)&S_IFMT) == S_IFCHR)
#define S_ISBLK(m)  (((m)&S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m)&S_IFMT) == S_IFIFO)

struct sc_stat {
	uint64_t dev;
	uint64_t ino;
	uint32_t mode;
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint64_t rdev;
	int64_t size;
	uint64_t blocks; /* 512-byte units */
	int64_t atime_ns;
	int64_t mtime_ns;
	int64_t ctime_ns;
};

/* d_type values of sc_dirent */
#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10

/*
 * readdir() fills the buffer with whole records; reclen is the distance to
 * the next one (8-byte aligned).  name is NUL-terminated.
 */
struct sc_dirent {
	uint64_t ino;
	uint16_t reclen;
	uint8_t type;
	char name[];
};

/* seek() whence */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* wait() options and status encoding (as in POSIX wait macros) */
#define WNOHANG               1
#define WUNTRACED             2 /* also report children that stopped */
#define W_EXITCODE(code, sig) (((code)&0xff) << 8 | ((sig)&0x7f))
#define W_STOPCODE(sig)       (((sig)&0xff) << 8 | 0x7f)

/* clock() ids */
#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1

/* signals (Linux numbering) */
#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4
#define SIGTRAP   5
#define SIGABRT   6
#define SIGBUS    7
#define SIGFPE    8
#define SIGKILL   9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGVTALRM 26
#define SIGPROF   27
#define NSIG      64
#define SIG_DFL   0
#define SIG_IGN   1

/* hctl() commands */
#define HCTL_GETFD  1 /* -> HFD_CLOEXEC bit */
#define HCTL_SETFD  2 /* arg: HFD_CLOEXEC bit */
#define HCTL_GETFL  3 /* -> O_* status flags */
#define HCTL_SETFL  4 /* arg: O_APPEND | O_NONBLOCK */
#define HFD_CLOEXEC 1

/* ioctl() commands for terminals */
#define TTY_GETMODE      0x5401 /* arg: unsigned *mode */
#define TTY_SETMODE      0x5402 /* arg: unsigned mode */
#define TTY_GETPGRP      0x540f /* arg: int *pgid */
#define TTY_SETPGRP      0x5410 /* arg: int *pgid: foreground group */
#define TTY_MODE_ECHO    1      /* echo input */
#define TTY_MODE_CANON   2      /* line editing, Ctrl-D is end of file */
#define TTY_MODE_ISIG    4      /* Ctrl-C sends SIGINT to the foreground */
#define TTY_MODE_ONLCR   8      /* output \n as \r\n */
#define TTY_MODE_DEFAULT 15

/* mmap() */
#define PROT_NONE     0
#define PROT_READ     1
#define PROT_WRITE    2
#define PROT_EXEC     4
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FAILED    ((void *)-1)

/* clone() flags: what the child shares with its creator */
#define CLONE_SHARE_VM    0x1
#define CLONE_SHARE_FILES 0x2
#define CLONE_SHARE_FS    0x4

/* mount() flags */
#define MS_RDONLY  1
#define MS_NOSUID  2      /* set-user-ID bits are ignored on exec */
#define MS_NODEV   4      /* device nodes cannot be opened */
#define MS_NOEXEC  8      /* files cannot be executed */
#define MS_REMOUNT 0x20   /* change the flags of an existing mount */
#define MS_BIND    0x1000 /* source is a path to attach at target */
#define MS_REC     0x4000 /* with MS_BIND: submounts too */

/* unshare() flags */
#define UNSHARE_NS 0x1 /* a private copy of the mount namespace */

struct sc_utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
};

/* sizes in bytes */
struct sc_meminfo {
	uint64_t total;
	uint64_t free;
	uint64_t kernel_heap;
	uint64_t page_size;
};

#define SC_TASK_RUNNING  'R'
#define SC_TASK_SLEEPING 'S'
#define SC_TASK_ZOMBIE   'Z'
#define SC_TASK_STOPPED  'T'

struct sc_procinfo {
	int32_t pid;
	int32_t ppid;
	int32_t pgid;
	char state;      /* SC_TASK_* */
	char abi[15];    /* ABI module name, "scarlet" for native */
	uint64_t mem;    /* resident user bytes */
	uint64_t cpu_ns; /* time on a CPU */
	char name[32];
};

#endif
