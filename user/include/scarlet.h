/* Scarlet-specific calls of the native ABI that have no POSIX name. */
#ifndef _SCARLET_H
#define _SCARLET_H
#include <scarlet/abi.h>
#include <stddef.h>
#include <stdint.h>
int sc_uname(struct sc_utsname *u);
int sc_meminfo(struct sc_meminfo *m);
int sc_procinfo(struct sc_procinfo *buf, int max); /* -> count */
int sc_readdir(int h, void *buf, size_t n);        /* raw sc_dirent records */
int sc_mount(const char *src, const char *target, const char *fstype, unsigned long flags,
             const void *data);
int sc_umount(const char *target);
int sc_mounts(char *buf, size_t n);
int sc_unshare(unsigned flags); /* UNSHARE_NS: private mount namespace */
int sc_chroot(const char *path);
/* exec under a named ABI ("scarlet", "xv6-riscv64"...), whatever the
 * binary looks like; only returns on failure. */
int sc_exec_abi(const char *abi, const char *path, char *const argv[], char *const envp[]);
/* The name of the ABI exec would pick for path ("script" for #!). */
int sc_abi_probe(const char *path, char *name, size_t n);
int sc_poweroff(int code) __attribute__((noreturn));
int sc_tty_getmode(int h, unsigned *mode);
int sc_tty_setmode(int h, unsigned mode);
int sc_yield(void);
uint64_t sc_clock_ns(int clock); /* CLOCK_MONOTONIC or CLOCK_REALTIME */
/* Starts fn(arg) in a new task sharing this address space, handles and
 * fs, on the given stack top (16-byte aligned); the thread exits with
 * fn's return value.  Returns the thread's pid (wait() collects it). */
int sc_thread_create(int (*fn)(void *), void *arg, void *stack_top);
long sc_syscall(long n, long a0, long a1, long a2, long a3, long a4, long a5);
#endif
