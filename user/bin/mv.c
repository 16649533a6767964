/*
 * mv src dst | mv src... dir: renames; across file systems (EXDEV) regular
 * files and symlinks are copied and the source removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[16384];

static int fail(const char *path)
{
	fprintf(stderr, "mv: %s: %s\n", path, strerror(errno));
	return 1;
}

static int copy_contents(const char *src, const char *dst, mode_t mode)
{
	int in, out, status = 0;
	ssize_t n, w, off;

	if ((in = open(src, O_RDONLY)) < 0)
		return fail(src);
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode & 07777)) < 0) {
		close(in);
		return fail(dst);
	}
	while (status == 0 && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			status = fail(src);
			break;
		}
		for (off = 0; off < n; off += w) {
			if ((w = write(out, buf + off, (size_t)(n - off))) <= 0) {
				status = fail(dst);
				break;
			}
		}
	}
	close(in);
	if (close(out) < 0 && status == 0)
		status = fail(dst);
	return status;
}

/* Moves one path across file systems. */
static int move_across(const char *src, const char *dst)
{
	struct stat st;
	char target[1024];
	ssize_t n;

	if (lstat(src, &st) < 0)
		return fail(src);
	if (S_ISLNK(st.mode)) {
		if ((n = readlink(src, target, sizeof(target) - 1)) < 0)
			return fail(src);
		target[n] = '\0';
		unlink(dst);
		if (symlink(target, dst) < 0)
			return fail(dst);
	} else if (S_ISREG(st.mode)) {
		if (copy_contents(src, dst, st.mode))
			return 1;
	} else {
		errno = EXDEV;
		return fail(src);
	}
	if (unlink(src) < 0)
		return fail(src);
	return 0;
}

static int move(const char *src, const char *dst)
{
	if (rename(src, dst) == 0)
		return 0;
	if (errno == EXDEV)
		return move_across(src, dst);
	return fail(src);
}

static const char *base_name(const char *path)
{
	const char *p = strrchr(path, '/');

	return p ? p + 1 : path;
}

int main(int argc, char **argv)
{
	struct stat st;
	char dst[1024];
	int i, status = 0, to_dir;

	if (argc < 3) {
		fprintf(stderr, "usage: mv src... dst\n");
		return 1;
	}
	to_dir = stat(argv[argc - 1], &st) == 0 && S_ISDIR(st.mode);
	if (argc > 3 && !to_dir) {
		errno = ENOTDIR;
		return fail(argv[argc - 1]);
	}
	for (i = 1; i < argc - 1; i++) {
		const char *target = argv[argc - 1];
		if (to_dir) {
			if ((size_t)snprintf(dst, sizeof(dst), "%s/%s", argv[argc - 1],
			                     base_name(argv[i])) >= sizeof(dst)) {
				errno = ENAMETOOLONG;
				status |= fail(argv[i]);
				continue;
			}
			target = dst;
		}
		status |= move(argv[i], target);
	}
	return status;
}
