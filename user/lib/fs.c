/*
 * File-system wrappers: stat family, directories, links, cwd, access.
 * sys/stat.h renames `stat` to `sc_stat`, so stat() is the symbol sc_stat.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libc.h"

int stat(const char *path, struct stat *st)
{
	return SYSCALL2(SYS_stat, path, st);
}

int lstat(const char *path, struct stat *st)
{
	return SYSCALL2(SYS_lstat, path, st);
}

int fstat(int h, struct stat *st)
{
	return SYSCALL2(SYS_fstat, h, st);
}

int mkdir(const char *path, mode_t mode)
{
	return SYSCALL2(SYS_mkdir, path, mode);
}

int unlink(const char *path)
{
	return SYSCALL1(SYS_unlink, path);
}

int rmdir(const char *path)
{
	return SYSCALL1(SYS_rmdir, path);
}

int rename(const char *old, const char *new)
{
	return SYSCALL2(SYS_rename, old, new);
}

int link(const char *old, const char *new)
{
	return SYSCALL2(SYS_link, old, new);
}

int symlink(const char *target, const char *linkpath)
{
	return SYSCALL2(SYS_symlink, target, linkpath);
}

ssize_t readlink(const char *path, char *buf, size_t n)
{
	return SYSCALL3(SYS_readlink, path, buf, n);
}

int chdir(const char *path)
{
	return SYSCALL1(SYS_chdir, path);
}

/* With buf NULL, allocates a buffer of n bytes (4096 when n is 0). */
char *getcwd(char *buf, size_t n)
{
	char *mem = NULL;

	if (!buf) {
		if (n == 0)
			n = 4096;
		buf = mem = malloc(n);
		if (!buf)
			return NULL;
	}
	if (SYSCALL2(SYS_getcwd, buf, n) < 0) {
		free(mem);
		return NULL;
	}
	return buf;
}

void sync(void)
{
	sc_call0(SYS_sync);
}

/*
 * The native ABI has no permission check call: existence is checked with
 * stat, and X_OK additionally needs one execute bit set.
 */
int access(const char *path, int mode)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	if ((mode & X_OK) && !(st.mode & 0111)) {
		errno = EACCES;
		return -1;
	}
	return 0;
}
