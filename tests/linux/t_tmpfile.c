/*
 * O_TMPFILE as Linux does it: an unnamed regular file in a directory
 * (no entry, no link, the mode less the umask), given a name later with
 * linkat(AT_EMPTY_PATH) unless it was opened with O_EXCL (ENOENT), and
 * the EINVAL, ENOTDIR, ENOENT and EOPNOTSUPP cases, through openat and
 * openat2.  Runs in the cwd, or in the directory given (test_files_ext2.py
 * passes an ext2 one).  --beyond-qemu (first) adds a check qemu-user
 * 7.2 gets wrong: it drops __O_TMPFILE without O_DIRECTORY.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ltest.h"

static int beyond_qemu;

static int entries(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_unnamed(void)
{
	int before = entries(".");
	umask(022);
	int fd = open(".", O_TMPFILE | O_RDWR, 0666);
	CHECK(fd >= 0);
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_mode & 07777, 0644);
	CHECK_EQ(st.st_nlink, 0);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(entries("."), before);
	CHECK_EQ(write(fd, "hello", 5), 5);
	char buf[8] = "";
	CHECK_EQ(pread(fd, buf, sizeof(buf), 0), 5);
	CHECK_STR(buf, "hello");

	/* a name, once: then it is an ordinary file */
	CHECK_EQ(linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_EQ(entries("."), before + 1);
	int fd2 = open("named", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(read(fd2, buf, sizeof(buf)), 5);
	CHECK_STR(buf, "hello");
	close(fd2);
	CHECK_ERR(linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH), EEXIST);
	CHECK_EQ(linkat(fd, "", AT_FDCWD, "named2", AT_EMPTY_PATH), 0);
	CHECK_EQ(stat("named", &st), 0);
	CHECK_EQ(st.st_nlink, 2);
	close(fd);
	CHECK_EQ(unlink("named"), 0);
	CHECK_EQ(unlink("named2"), 0);

	/* O_EXCL: never linkable; closed unnamed, it is gone */
	fd = open(".", O_TMPFILE | O_WRONLY | O_EXCL, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_ERR(linkat(fd, "", AT_FDCWD, "excl", AT_EMPTY_PATH), ENOENT);
	CHECK_ERR(access("excl", F_OK), ENOENT);
	close(fd);
	CHECK_EQ(entries("."), before);

	/* a file unlinked the usual way stays unlinkable */
	fd = open("plain", O_CREAT | O_RDWR, 0644);
	CHECK_EQ(unlink("plain"), 0);
	CHECK_ERR(linkat(fd, "", AT_FDCWD, "plain2", AT_EMPTY_PATH), ENOENT);
	close(fd);

	/* in a subdirectory, by openat and openat2 */
	CHECK_EQ(mkdir("sub", 0755), 0);
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	fd = openat(dfd, "sub", O_TMPFILE | O_WRONLY, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(linkat(fd, "", dfd, "sub/f", AT_EMPTY_PATH), 0);
	CHECK_EQ(stat("sub/f", &st), 0);
	CHECK_EQ(st.st_mode & 07777, 0600);
	close(fd);
	CHECK_EQ(unlink("sub/f"), 0);
	struct open_how how = {.flags = O_TMPFILE | O_RDWR, .mode = 0640};
	errno = 0;
	fd = (int)syscall(SYS_openat2, dfd, "sub", &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		SKIP("no openat2 here (qemu-user 7.2)");
	} else {
		CHECK(fd >= 0);
		CHECK_EQ(fstat(fd, &st), 0);
		CHECK_EQ(st.st_nlink, 0);
		close(fd);
		how.mode = 010000;
		CHECK_ERR(syscall(SYS_openat2, dfd, "sub", &how, sizeof(how)), EINVAL);
	}
	CHECK_EQ(entries("sub"), 2);
	CHECK_EQ(rmdir("sub"), 0);
	close(dfd);
}

static void test_errors(void)
{
	CHECK_ERR(open(".", O_TMPFILE | O_RDONLY, 0600), EINVAL);
	if (beyond_qemu)
		CHECK_ERR(open(".", (O_TMPFILE & ~O_DIRECTORY) | O_RDWR, 0600), EINVAL);
	CHECK_ERR(open(".", O_TMPFILE | O_CREAT | O_RDWR, 0600), EINVAL);
	CHECK_ERR(open("missing", O_TMPFILE | O_RDWR, 0600), ENOENT);
	int fd = open("file", O_CREAT | O_WRONLY, 0644);
	close(fd);
	CHECK_ERR(open("file", O_TMPFILE | O_RDWR, 0600), ENOTDIR);
	CHECK_ERR(open("file/", O_TMPFILE | O_RDWR, 0600), ENOTDIR);
	CHECK_EQ(unlink("file"), 0);
	struct stat st;
	if (stat("/proc/self", &st) == 0)
		CHECK_ERR(open("/proc", O_TMPFILE | O_RDWR, 0600), EOPNOTSUPP);
	else
		SKIP("no /proc");
}

int main(int argc, char **argv)
{
	beyond_qemu = argc > 1 && strcmp(argv[1], "--beyond-qemu") == 0;
	if (beyond_qemu) {
		argc--;
		argv++;
	}
	if (argc > 1 && chdir(argv[1]) != 0) {
		CHECK(!"chdir to the directory given");
		return ltest_done("tmpfile");
	}
	CHECK_EQ(mkdir("tmpfile.d", 0755), 0);
	CHECK_EQ(chdir("tmpfile.d"), 0);
	test_unnamed();
	test_errors();
	CHECK_EQ(chdir(".."), 0);
	CHECK_EQ(rmdir("tmpfile.d"), 0);
	return ltest_done("tmpfile");
}
