/*
 * Scarlet-specific calls without a POSIX name (scarlet.h): system
 * information, mounts, namespaces, chroot, power, raw directory reads and
 * the raw syscall.
 */
#include <sys/stat.h>
#include <scarlet.h>
#include "libc.h"

long sc_syscall(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return sc_call6(n, a0, a1, a2, a3, a4, a5);
}

int sc_uname(struct sc_utsname *u)
{
	return SYSCALL1(SYS_uname, u);
}

int sc_meminfo(struct sc_meminfo *m)
{
	return SYSCALL1(SYS_meminfo, m);
}

int sc_procinfo(struct sc_procinfo *buf, int max)
{
	return SYSCALL2(SYS_procinfo, buf, max);
}

int sc_readdir(int h, void *buf, size_t n)
{
	return SYSCALL3(SYS_readdir, h, buf, n);
}

int sc_mount(const char *src, const char *target, const char *fstype, unsigned long flags,
             const void *data)
{
	return sc_ret(
	    sc_call6(SYS_mount, (long)src, (long)target, (long)fstype, (long)flags, (long)data, 0));
}

int sc_umount(const char *target)
{
	return SYSCALL1(SYS_umount, target);
}

int sc_mounts(char *buf, size_t n)
{
	return SYSCALL2(SYS_mounts, buf, n);
}

int sc_unshare(unsigned flags)
{
	return SYSCALL1(SYS_unshare, flags);
}

int sc_chroot(const char *path)
{
	return SYSCALL1(SYS_chroot, path);
}

int sc_exec_abi(const char *abi, const char *path, char *const argv[], char *const envp[])
{
	return SYSCALL4(SYS_exec_abi, abi, path, argv, envp);
}

int chmod(const char *path, mode_t mode)
{
	return SYSCALL2(SYS_chmod, path, mode);
}

int sc_abi_probe(const char *path, char *name, size_t n)
{
	return SYSCALL3(SYS_abi_probe, path, name, n);
}

int sc_poweroff(int code)
{
	for (;;)
		sc_call1(SYS_poweroff, code);
}

int sc_yield(void)
{
	return SYSCALL0(SYS_yield);
}

uint64_t sc_clock_ns(int clock)
{
	uint64_t ns = 0;

	sc_call2(SYS_clock, clock, &ns);
	return ns;
}
