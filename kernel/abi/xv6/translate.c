/*
 * Pure conversions between xv6's conventions and the kernel's: open
 * flags, struct stat, directory records, xv6's 14-character names, exit
 * statuses, device numbers and clock ticks.  No state and no kernel
 * services, so tests/host/xv6_test.c runs them on the host.
 */
#include <scarlet/abi.h>

#include "abi/xv6/xv6.h"
#include "fs/vfs.h"

/* Device numbers given to xv6 majors other than the console: above every
 * major a kernel driver registers, so opening one fails as in xv6. */
#define XV6_FOREIGN_MAJOR 0x800

int xv6_open_flags(int omode)
{
	int flags = omode & O_ACCMODE;
	if (omode & XV6_O_CREATE)
		flags |= O_CREAT;
	if (omode & XV6_O_TRUNC)
		flags |= O_TRUNC;
	return flags;
}

static int xv6_type(uint32_t mode)
{
	if (S_ISDIR(mode))
		return XV6_T_DIR;
	if (S_ISREG(mode) || S_ISLNK(mode))
		return XV6_T_FILE;
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return XV6_T_DEVICE;
	return -1;
}

int xv6_stat_from_vattr(struct xv6_stat *st, const struct vattr *va)
{
	int type = xv6_type(va->mode);
	if (type < 0)
		return -1;
	st->dev = (int32_t)va->dev;
	st->ino = (uint32_t)va->ino;
	st->type = (int16_t)type;
	st->nlink = (int16_t)(va->nlink > 0x7fff ? 0x7fff : va->nlink);
	st->size = va->size;
	return 0;
}

void xv6_dirent_fill(struct xv6_dirent *de, const char *name, size_t len, uint64_t ino)
{
	de->inum = (uint16_t)ino;
	if (de->inum == 0)
		de->inum = 0xffff;
	for (size_t i = 0; i < XV6_DIRSIZ; i++)
		de->name[i] = i < len ? name[i] : '\0';
}

bool xv6_path_truncate(char *path)
{
	char *out = path;
	bool changed = false;
	const char *in = path;
	while (*in) {
		if (*in == '/') {
			*out++ = *in++;
			continue;
		}
		size_t n = 0;
		while (in[n] && in[n] != '/')
			n++;
		size_t keep = n > XV6_DIRSIZ ? XV6_DIRSIZ : n;
		changed |= keep != n;
		for (size_t i = 0; i < keep; i++)
			out[i] = in[i];
		out += keep;
		in += n;
	}
	*out = '\0';
	return changed;
}

int xv6_exit_status(int n)
{
	return (int)((uint32_t)n << 8);
}

int xv6_wait_status(int kstatus)
{
	if (kstatus & 0x7f)
		return -1; /* killed by a signal (or stopped: not reported) */
	return kstatus >> 8;
}

uint64_t xv6_rdev(int major, int minor)
{
	if (major == XV6_CONSOLE)
		return MKDEV(5, 1);
	return MKDEV(XV6_FOREIGN_MAJOR + (unsigned)(major & 0xffff), (unsigned)(minor & 0xffff));
}

uint64_t xv6_ticks(uint64_t ns)
{
	return ns / XV6_TICK_NS;
}
