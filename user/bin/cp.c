/*
 * cp [-r] src dst | cp [-r] src... dir: copies files, keeping permission
 * bits; -r copies directories recursively (symlinks are recreated).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive;
static char buf[16384];

static int fail(const char *path)
{
	fprintf(stderr, "cp: %s: %s\n", path, strerror(errno));
	return 1;
}

static int copy_file(const char *src, const char *dst, mode_t mode)
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

static int copy_path(const char *src, const char *dst);

static int copy_dir(const char *src, const char *dst, mode_t mode)
{
	char s[1024], d[1024];
	struct dirent *e;
	DIR *dir;
	int status = 0;

	if (mkdir(dst, mode & 07777) < 0 && errno != EEXIST)
		return fail(dst);
	if (!(dir = opendir(src)))
		return fail(src);
	while ((e = readdir(dir))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(s, sizeof(s), "%s/%s", src, e->d_name) >= sizeof(s) ||
		    (size_t)snprintf(d, sizeof(d), "%s/%s", dst, e->d_name) >= sizeof(d)) {
			errno = ENAMETOOLONG;
			status |= fail(src);
			continue;
		}
		status |= copy_path(s, d);
	}
	closedir(dir);
	return status;
}

static int copy_path(const char *src, const char *dst)
{
	struct stat st;
	char target[1024];
	ssize_t n;

	if ((recursive ? lstat(src, &st) : stat(src, &st)) < 0)
		return fail(src);
	if (S_ISDIR(st.mode)) {
		if (!recursive) {
			fprintf(stderr, "cp: %s: is a directory (not copied, use -r)\n", src);
			return 1;
		}
		return copy_dir(src, dst, st.mode);
	}
	if (S_ISLNK(st.mode)) {
		if ((n = readlink(src, target, sizeof(target) - 1)) < 0)
			return fail(src);
		target[n] = '\0';
		if (symlink(target, dst) < 0)
			return fail(dst);
		return 0;
	}
	return copy_file(src, dst, st.mode);
}

static const char *base_name(const char *path)
{
	size_t len = strlen(path);
	const char *p;

	while (len > 1 && path[len - 1] == '/')
		len--;
	for (p = path + len; p > path && p[-1] != '/';)
		p--;
	return p;
}

int main(int argc, char **argv)
{
	struct stat st;
	char dst[1024];
	int c, i, status = 0, to_dir;

	while ((c = getopt(argc, argv, "rR")) != -1) {
		if (c == '?') {
			fprintf(stderr, "usage: cp [-r] src... dst\n");
			return 1;
		}
		recursive = 1;
	}
	if (argc - optind < 2) {
		fprintf(stderr, "usage: cp [-r] src... dst\n");
		return 1;
	}
	to_dir = stat(argv[argc - 1], &st) == 0 && S_ISDIR(st.mode);
	if (argc - optind > 2 && !to_dir) {
		errno = ENOTDIR;
		return fail(argv[argc - 1]);
	}
	for (i = optind; i < argc - 1; i++) {
		const char *target = argv[argc - 1];
		if (to_dir) {
			size_t blen = strcspn(base_name(argv[i]), "/");
			snprintf(dst, sizeof(dst), "%s/%.*s", argv[argc - 1], (int)blen,
			         base_name(argv[i]));
			target = dst;
		}
		status |= copy_path(argv[i], target);
	}
	return status;
}
