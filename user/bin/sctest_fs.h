/*
 * sctest: files and directories on /tmp (tmpfs).  Included by sctest.c
 * only; every path is under the per-run directory tdir.
 */

static void t_file_rw(void)
{
	const char *path = tp("rw");
	static char big[20000], back[20001];
	char buf[64];
	struct stat st;
	int h;

	h = open(path, O_RDWR | O_CREAT | O_EXCL, 0640);
	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_EQ(write(h, "hello world", 11), 11);
	EXPECT_EQ(lseek(h, 0, SEEK_SET), 0);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(read(h, buf, sizeof(buf)), 11);
	CHECK(memcmp(buf, "hello world", 11) == 0, "read back \"%.11s\"", buf);
	EXPECT_EQ(read(h, buf, sizeof(buf)), 0); /* EOF */
	EXPECT_EQ(write(h, "", 0), 0);
	if (EXPECT_OK(fstat(h, &st)) == 0) {
		CHECK(S_ISREG(st.mode), "mode %o is not a regular file", st.mode);
		CHECK((st.mode & 0777) == 0640, "permissions %o, want 640", st.mode & 0777);
		CHECK(st.size == 11, "size %ld, want 11", (long)st.size);
		CHECK(st.nlink == 1, "nlink %u, want 1", st.nlink);
	}
	close(h);
	if (EXPECT_OK(stat(path, &st)) == 0)
		CHECK(st.size == 11, "stat size %ld", (long)st.size);
	/* multi-page data, written in odd pieces, read through a second handle */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + (i >> 9));
	h = open(path, O_WRONLY | O_TRUNC);
	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_EQ(write(h, big, 777), 777);
	EXPECT_EQ(write(h, big + 777, sizeof(big) - 777), sizeof(big) - 777);
	close(h);
	EXPECT_EQ(get_file(path, back, sizeof(back)), sizeof(big));
	CHECK(memcmp(big, back, sizeof(big)) == 0, "20000 bytes did not read back intact");
	/* offsets are per open, shared by dup */
	h = open(path, O_RDONLY);
	if (EXPECT_OK(h) < 0)
		return;
	int h2 = open(path, O_RDONLY), h3 = dup(h);
	EXPECT_EQ(read(h, buf, 10), 10);
	EXPECT_EQ(lseek(h2, 0, SEEK_CUR), 0);
	EXPECT_EQ(lseek(h3, 0, SEEK_CUR), 10);
	close(h);
	close(h2);
	close(h3);
}

static void t_seek(void)
{
	int h = open(tp("seek"), O_RDWR | O_CREAT | O_TRUNC, 0644), p[2];
	char buf[16];

	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_EQ(write(h, "hello world", 11), 11);
	EXPECT_EQ(lseek(h, 0, SEEK_CUR), 11);
	EXPECT_EQ(lseek(h, 0, SEEK_SET), 0);
	EXPECT_EQ(read(h, buf, 5), 5);
	CHECK(memcmp(buf, "hello", 5) == 0, "read \"%.5s\"", buf);
	EXPECT_EQ(lseek(h, 1, SEEK_CUR), 6);
	EXPECT_EQ(read(h, buf, 5), 5);
	CHECK(memcmp(buf, "world", 5) == 0, "read \"%.5s\" after SEEK_CUR", buf);
	EXPECT_EQ(lseek(h, -5, SEEK_END), 6);
	EXPECT_EQ(read(h, buf, 1), 1);
	CHECK(buf[0] == 'w', "read '%c' after SEEK_END", buf[0]);
	EXPECT_EQ(lseek(h, 0, SEEK_END), 11);
	EXPECT_EQ(lseek(h, 100, SEEK_SET), 100); /* past the end is allowed */
	EXPECT_EQ(read(h, buf, 5), 0);
	EXPECT_EQ(lseek(h, 3, SEEK_SET), 3);
	EXPECT_ERR(lseek(h, -1, SEEK_SET), EINVAL);
	EXPECT_ERR(lseek(h, -4, SEEK_CUR), EINVAL);
	EXPECT_ERR(lseek(h, -12, SEEK_END), EINVAL);
	EXPECT_ERR(lseek(h, 0, 3), EINVAL);
	EXPECT_ERR(lseek(h, 0, -1), EINVAL);
	EXPECT_EQ(lseek(h, 0, SEEK_CUR), 3); /* unchanged by the failures */
	close(h);
	if (EXPECT_OK(pipe(p)) < 0)
		return;
	EXPECT_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
	EXPECT_ERR(lseek(p[1], 0, SEEK_CUR), ESPIPE);
	close(p[0]);
	close(p[1]);
	EXPECT_ERR(lseek(p[0], 0, SEEK_SET), EBADF);
}

static void t_append(void)
{
	const char *path = tp("app");
	char buf[64];
	int h;

	if (put_file(path, "abc") < 0)
		return;
	h = open(path, O_WRONLY | O_APPEND);
	if (EXPECT_OK(h) < 0)
		return;
	CHECK(fcntl(h, F_GETFL) & O_APPEND, "F_GETFL lacks O_APPEND: %#x", fcntl(h, F_GETFL));
	EXPECT_EQ(lseek(h, 0, SEEK_SET), 0);
	EXPECT_EQ(write(h, "def", 3), 3);
	EXPECT_EQ(lseek(h, 0, SEEK_CUR), 6);
	EXPECT_EQ(write(h, "g", 1), 1);
	close(h);
	EXPECT_EQ(get_file(path, buf, sizeof(buf)), 7);
	CHECK(strcmp(buf, "abcdefg") == 0, "O_APPEND file is \"%s\"", buf);
	/* two appenders interleave, neither overwrites */
	int a = open(path, O_WRONLY | O_APPEND), b = open(path, O_WRONLY | O_APPEND);
	EXPECT_EQ(write(a, "1", 1), 1);
	EXPECT_EQ(write(b, "2", 1), 1);
	EXPECT_EQ(write(a, "3", 1), 1);
	close(a);
	close(b);
	get_file(path, buf, sizeof(buf));
	CHECK(strcmp(buf, "abcdefg123") == 0, "two appenders gave \"%s\"", buf);
	/* F_SETFL turns append on */
	h = open(path, O_WRONLY);
	EXPECT_OK(fcntl(h, F_SETFL, O_APPEND));
	EXPECT_EQ(write(h, "4", 1), 1);
	close(h);
	get_file(path, buf, sizeof(buf));
	CHECK(strcmp(buf, "abcdefg1234") == 0, "after F_SETFL O_APPEND: \"%s\"", buf);
}

static void t_trunc(void)
{
	const char *path = tp("trunc");
	struct stat st;
	char buf[64];
	int h;

	if (put_file(path, "0123456789") < 0)
		return;
	h = open(path, O_RDONLY);
	EXPECT_OK(h);
	close(h);
	EXPECT_OK(stat(path, &st));
	CHECK(st.size == 10, "size %ld before O_TRUNC", (long)st.size);
	h = open(path, O_WRONLY | O_TRUNC);
	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_OK(fstat(h, &st));
	CHECK(st.size == 0, "size %ld after O_TRUNC", (long)st.size);
	EXPECT_EQ(write(h, "xy", 2), 2);
	close(h);
	EXPECT_EQ(get_file(path, buf, sizeof(buf)), 2);
	CHECK(strcmp(buf, "xy") == 0, "contents \"%s\"", buf);
	/* O_CREAT|O_TRUNC on an existing file truncates it, keeps the inode */
	ino_t ino = st.ino;
	h = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	EXPECT_OK(fstat(h, &st));
	CHECK(st.size == 0 && st.ino == ino, "size %ld ino %lu (was %lu)", (long)st.size,
	      (unsigned long)st.ino, (unsigned long)ino);
	close(h);
}

static void t_excl(void)
{
	const char *path = tp("excl");
	int h;

	h = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (EXPECT_OK(h) < 0)
		return;
	close(h);
	EXPECT_ERR(open(path, O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	EXPECT_ERR(open(tdir, O_RDONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	h = open(path, O_WRONLY | O_CREAT, 0644); /* without O_EXCL it opens */
	CHECK(h >= 0, "O_CREAT on existing: %s", strerror(errno));
	close(h);
}

static void t_enoent(void)
{
	struct stat st;

	EXPECT_ERR(open(tp("missing"), O_RDONLY), ENOENT);
	EXPECT_ERR(open(tp("missing"), O_RDWR), ENOENT);
	EXPECT_ERR(open(tp("nodir/file"), O_RDWR | O_CREAT, 0644), ENOENT);
	EXPECT_ERR(stat(tp("missing"), &st), ENOENT);
	EXPECT_ERR(unlink(tp("missing")), ENOENT);
	EXPECT_ERR(rmdir(tp("missing")), ENOENT);
	EXPECT_ERR(chdir(tp("missing")), ENOENT);
	EXPECT_ERR(mkdir(tp("nodir/sub"), 0755), ENOENT);
	EXPECT_ERR(rename(tp("missing"), tp("other")), ENOENT);
	EXPECT_ERR(open("", O_RDONLY), ENOENT);
	EXPECT_ERR(stat("", &st), ENOENT);
}

static void t_enotdir(void)
{
	struct stat st;
	char path[320];

	if (put_file(tp("plain"), "x") < 0)
		return;
	snprintf(path, sizeof(path), "%s/x", tp("plain"));
	EXPECT_ERR(open(path, O_RDONLY), ENOTDIR);
	EXPECT_ERR(open(path, O_RDWR | O_CREAT, 0644), ENOTDIR);
	EXPECT_ERR(stat(path, &st), ENOTDIR);
	EXPECT_ERR(mkdir(path, 0755), ENOTDIR);
	EXPECT_ERR(chdir(tp("plain")), ENOTDIR);
	EXPECT_ERR(open(tp("plain"), O_RDONLY | O_DIRECTORY), ENOTDIR);
	EXPECT_ERR(rmdir(tp("plain")), ENOTDIR);
	snprintf(path, sizeof(path), "%s/", tp("plain"));
	EXPECT_ERR(open(path, O_RDONLY), ENOTDIR);
}

static void t_ftruncate(void)
{
	int h = open(tp("ftr"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	static char buf[10000];
	struct stat st;

	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_EQ(write(h, "abcdef", 6), 6);
	EXPECT_OK(ftruncate(h, 9000));
	EXPECT_OK(fstat(h, &st));
	CHECK(st.size == 9000, "size %ld after growing to 9000", (long)st.size);
	EXPECT_EQ(lseek(h, 0, SEEK_CUR), 6); /* offset unchanged */
	memset(buf, 0x55, sizeof(buf));
	EXPECT_EQ(lseek(h, 0, SEEK_SET), 0);
	EXPECT_EQ(read_all(h, buf, sizeof(buf)), 9000);
	CHECK(memcmp(buf, "abcdef", 6) == 0, "data before the growth lost");
	CHECK(all_bytes(buf + 6, 0, 9000 - 6), "grown area is not zero");
	EXPECT_OK(ftruncate(h, 3));
	EXPECT_OK(fstat(h, &st));
	CHECK(st.size == 3, "size %ld after shrinking to 3", (long)st.size);
	EXPECT_EQ(lseek(h, 0, SEEK_SET), 0);
	EXPECT_EQ(read(h, buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "abc", 3) == 0, "shrunk data \"%.3s\"", buf);
	/* grow again: the cut bytes must not reappear */
	EXPECT_OK(ftruncate(h, 6));
	EXPECT_EQ(lseek(h, 0, SEEK_SET), 0);
	EXPECT_EQ(read(h, buf, sizeof(buf)), 6);
	CHECK(memcmp(buf, "abc\0\0\0", 6) == 0, "regrown file has stale bytes");
	EXPECT_ERR(ftruncate(h, -1), EINVAL);
	close(h);
	h = open(tp("ftr"), O_RDONLY);
	EXPECT_ERR(ftruncate(h, 0), EBADF); /* not open for writing: EBADF or EINVAL */
	close(h);
	EXPECT_ERR(ftruncate(h, 0), EBADF);
}

static void t_sparse(void)
{
	int h = open(tp("sparse"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	static char buf[70000];
	struct stat st;

	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_EQ(write(h, "A", 1), 1);
	EXPECT_EQ(lseek(h, 65536 + 100, SEEK_SET), 65636);
	EXPECT_EQ(write(h, "Z", 1), 1);
	EXPECT_OK(fstat(h, &st));
	CHECK(st.size == 65637, "size %ld, want 65637", (long)st.size);
	EXPECT_EQ(lseek(h, 0, SEEK_SET), 0);
	memset(buf, 0x11, sizeof(buf));
	EXPECT_EQ(read_all(h, buf, sizeof(buf)), 65637);
	CHECK(buf[0] == 'A' && buf[65636] == 'Z', "ends %#x %#x", buf[0], buf[65636]);
	CHECK(all_bytes(buf + 1, 0, 65635), "the hole does not read as zeros");
	close(h);
}

/* Two processes remove and create one name at once, as upstream xv6's
 * grind does: open(O_CREAT) without O_EXCL must never fail; it opens the
 * other's file or makes its own.  It used to fail with ENOENT when the
 * other created the name after our lookup and removed it before our
 * second one. */
#define CREAT_RACE_ROUNDS 4000

static int creat_race_rounds(const char *path)
{
	int failures = 0;

	for (int i = 0; i < CREAT_RACE_ROUNDS; i++) {
		unlink(path);
		int h = open(path, O_RDWR | O_CREAT, 0644);
		if (h < 0)
			failures++;
		else
			close(h);
	}
	return failures;
}

static void t_creat_race(void)
{
	const char *path = tp("race");
	int st = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(creat_race_rounds(path) ? 1 : 0);
	if (EXPECT_OK(pid) < 0)
		return;
	int failures = creat_race_rounds(path);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	CHECK(failures == 0, "%d of %d opens with O_CREAT failed", failures, CREAT_RACE_ROUNDS);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the other process's opens failed (status %x)",
	      st);
	unlink(path);
}

static void t_unlink_open(void)
{
	const char *path = tp("unl");
	char buf[32];
	struct stat st;
	int h;

	if (put_file(path, "still here") < 0)
		return;
	h = open(path, O_RDWR);
	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_OK(unlink(path));
	EXPECT_ERR(stat(path, &st), ENOENT);
	EXPECT_ERR(open(path, O_RDONLY), ENOENT);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(read(h, buf, sizeof(buf)), 10);
	CHECK(strcmp(buf, "still here") == 0, "read \"%s\" after unlink", buf);
	EXPECT_EQ(write(h, "!", 1), 1);
	EXPECT_EQ(lseek(h, 0, SEEK_SET), 0);
	EXPECT_EQ(read(h, buf, sizeof(buf)), 11);
	if (EXPECT_OK(fstat(h, &st)) == 0)
		CHECK(st.nlink == 0, "nlink %u after unlink, want 0", st.nlink);
	close(h);
	/* the name can be reused for a new file */
	if (put_file(path, "new") == 0) {
		EXPECT_EQ(get_file(path, buf, sizeof(buf)), 3);
		unlink(path);
	}
}

static void t_mkdir_exist(void)
{
	struct stat st;

	EXPECT_OK(mkdir(tp("md"), 0750));
	if (EXPECT_OK(stat(tp("md"), &st)) == 0) {
		CHECK(S_ISDIR(st.mode), "mode %o not a directory", st.mode);
		CHECK((st.mode & 0777) == 0750, "permissions %o, want 750", st.mode & 0777);
	}
	EXPECT_ERR(mkdir(tp("md"), 0755), EEXIST);
	if (put_file(tp("mdfile"), "") == 0)
		EXPECT_ERR(mkdir(tp("mdfile"), 0755), EEXIST);
	EXPECT_ERR(mkdir("/", 0755), EEXIST);
	EXPECT_ERR(mkdir("/tmp", 0755), EEXIST);
}

static void t_rmdir(void)
{
	EXPECT_OK(mkdir(tp("rd"), 0755));
	EXPECT_OK(mkdir(tp("rd/sub"), 0755));
	EXPECT_ERR(rmdir(tp("rd")), ENOTEMPTY);
	EXPECT_OK(rmdir(tp("rd/sub")));
	if (put_file(tp("rd/f"), "x") < 0)
		return;
	EXPECT_ERR(rmdir(tp("rd")), ENOTEMPTY);
	EXPECT_OK(unlink(tp("rd/f")));
	EXPECT_OK(rmdir(tp("rd")));
	EXPECT_ERR(rmdir(tp("rd")), ENOENT);
	EXPECT_OK(mkdir(tp("rd2"), 0755));
	EXPECT_ERR(rmdir(tp("rd2/.")), EINVAL);
	EXPECT_OK(rmdir(tp("rd2")));
}

static void t_unlink_dir(void)
{
	EXPECT_OK(mkdir(tp("ud"), 0755));
	EXPECT_ERR(unlink(tp("ud")), EISDIR);
	EXPECT_ERR(unlink("/tmp"), EISDIR);
	EXPECT_ERR(open(tp("ud"), O_WRONLY), EISDIR);
	EXPECT_ERR(open(tp("ud"), O_RDWR), EISDIR);
	int h = open(tp("ud"), O_RDONLY);
	char c;
	if (CHECK(h >= 0, "open(dir, O_RDONLY): %s", strerror(errno))) {
		EXPECT_ERR(read(h, &c, 1), EISDIR);
		close(h);
	}
	EXPECT_OK(rmdir(tp("ud")));
}

static void t_rename_file(void)
{
	char buf[32];
	struct stat st;

	if (put_file(tp("ra"), "AAA") < 0 || put_file(tp("rb"), "B") < 0)
		return;
	int h = open(tp("rb"), O_RDONLY); /* the replaced file stays readable */
	EXPECT_OK(rename(tp("ra"), tp("rb")));
	EXPECT_ERR(stat(tp("ra"), &st), ENOENT);
	EXPECT_EQ(get_file(tp("rb"), buf, sizeof(buf)), 3);
	CHECK(strcmp(buf, "AAA") == 0, "renamed-over file holds \"%s\"", buf);
	if (h >= 0) {
		EXPECT_EQ(read_all(h, buf, sizeof(buf)), 1);
		CHECK(buf[0] == 'B', "old target read \"%s\"", buf);
		close(h);
	}
	/* to a new name, and onto itself */
	EXPECT_OK(rename(tp("rb"), tp("rc")));
	EXPECT_OK(rename(tp("rc"), tp("rc")));
	EXPECT_EQ(get_file(tp("rc"), buf, sizeof(buf)), 3);
	/* file over directory, directory over file */
	EXPECT_OK(mkdir(tp("rdir"), 0755));
	EXPECT_ERR(rename(tp("rc"), tp("rdir")), EISDIR);
	EXPECT_ERR(rename(tp("rdir"), tp("rc")), ENOTDIR);
}

static void t_rename_dir(void)
{
	char buf[32];
	struct stat st;

	EXPECT_OK(mkdir(tp("d1"), 0755));
	if (put_file(tp("d1/inner"), "in") < 0)
		return;
	EXPECT_OK(rename(tp("d1"), tp("d2")));
	EXPECT_ERR(stat(tp("d1"), &st), ENOENT);
	EXPECT_EQ(get_file(tp("d2/inner"), buf, sizeof(buf)), 2);
	/* over an empty directory: allowed; over a non-empty one: ENOTEMPTY */
	EXPECT_OK(mkdir(tp("d3"), 0755));
	EXPECT_OK(rename(tp("d2"), tp("d3")));
	EXPECT_EQ(get_file(tp("d3/inner"), buf, sizeof(buf)), 2);
	EXPECT_OK(mkdir(tp("d4"), 0755));
	EXPECT_ERR(rename(tp("d4"), tp("d3")), ENOTEMPTY);
	/* moved into another directory: ".." follows */
	EXPECT_OK(rename(tp("d4"), tp("d3/d4")));
	if (EXPECT_OK(chdir(tp("d3/d4"))) == 0) {
		EXPECT_EQ(get_file("../inner", buf, sizeof(buf)), 2);
		char *cwd = getcwd(NULL, 0);
		CHECK(cwd && strcmp(cwd, tp("d3/d4")) == 0, "cwd \"%s\"", cwd ? cwd : "?");
		free(cwd);
		chdir("/");
	}
}

static void t_rename_self(void)
{
	struct stat st;

	EXPECT_OK(mkdir(tp("rs"), 0755));
	EXPECT_OK(mkdir(tp("rs/child"), 0755));
	EXPECT_ERR(rename(tp("rs"), tp("rs/child/x")), EINVAL);
	EXPECT_ERR(rename(tp("rs"), tp("rs/x")), EINVAL);
	EXPECT_OK(stat(tp("rs/child"), &st)); /* still intact */
	EXPECT_ERR(rename(tp("rs/child"), tp("rs/child/y")), EINVAL);
}

static void t_link(void)
{
	struct stat a, b;
	char buf[32];

	if (put_file(tp("la"), "linked") < 0)
		return;
	EXPECT_OK(link(tp("la"), tp("lb")));
	int h = open(tp("la"), O_RDONLY);
	if (EXPECT_OK(fstat(h, &a)) == 0)
		CHECK(a.nlink == 2, "nlink %u after link, want 2", a.nlink);
	close(h);
	EXPECT_OK(stat(tp("lb"), &b));
	CHECK(a.ino == b.ino && a.dev == b.dev, "hard links have inodes %lu/%lu",
	      (unsigned long)a.ino, (unsigned long)b.ino);
	/* a write through one name shows through the other */
	h = open(tp("lb"), O_WRONLY | O_APPEND);
	write(h, "!", 1);
	close(h);
	EXPECT_EQ(get_file(tp("la"), buf, sizeof(buf)), 7);
	EXPECT_OK(unlink(tp("la")));
	EXPECT_OK(stat(tp("lb"), &b));
	CHECK(b.nlink == 1, "nlink %u after unlinking one name", b.nlink);
	EXPECT_ERR(link(tp("lb"), tp("lb")), EEXIST);
	EXPECT_ERR(link(tp("missing"), tp("lc")), ENOENT);
	EXPECT_OK(mkdir(tp("ldir"), 0755));
	EXPECT_ERR(link(tp("ldir"), tp("ldir2")), EPERM);
}

static void t_symlink(void)
{
	char buf[64];
	ssize_t n;

	EXPECT_OK(symlink("some/target/text", tp("sl")));
	memset(buf, 'X', sizeof(buf));
	n = readlink(tp("sl"), buf, sizeof(buf));
	CHECK(n == 16 && memcmp(buf, "some/target/text", 16) == 0 && buf[16] == 'X',
	      "readlink = %ld \"%.*s\"", (long)n, n > 0 ? (int)n : 0, buf);
	n = readlink(tp("sl"), buf, 4); /* truncated */
	CHECK(n == 4 && memcmp(buf, "some", 4) == 0, "short readlink = %ld", (long)n);
	EXPECT_ERR(symlink("x", tp("sl")), EEXIST);
	if (put_file(tp("regular"), "r") == 0)
		EXPECT_ERR(readlink(tp("regular"), buf, sizeof(buf)), EINVAL);
	EXPECT_ERR(readlink(tp("missing"), buf, sizeof(buf)), ENOENT);
	/* a dangling link: open fails ENOENT, O_CREAT creates the target */
	EXPECT_ERR(open(tp("sl"), O_RDONLY), ENOENT);
	/* relative target resolves from the link's directory */
	EXPECT_OK(symlink("regular", tp("rel")));
	EXPECT_EQ(get_file(tp("rel"), buf, sizeof(buf)), 1);
	/* absolute target, and a link to a directory used as a path prefix */
	EXPECT_OK(mkdir(tp("sdir"), 0755));
	put_file(tp("sdir/f"), "deep");
	EXPECT_OK(symlink(tp("sdir"), tp("sdl")));
	EXPECT_EQ(get_file(tp("sdl/f"), buf, sizeof(buf)), 4);
	EXPECT_ERR(open(tp("rel"), O_RDONLY | O_NOFOLLOW), ELOOP);
}

static void t_symlink_loop(void)
{
	struct stat st;

	EXPECT_OK(symlink("lb", tp("la")));
	EXPECT_OK(symlink("la", tp("lb")));
	EXPECT_ERR(open(tp("la"), O_RDONLY), ELOOP);
	EXPECT_ERR(stat(tp("lb"), &st), ELOOP);
	EXPECT_OK(lstat(tp("la"), &st));
	EXPECT_OK(symlink("self", tp("self")));
	EXPECT_ERR(open(tp("self"), O_RDONLY), ELOOP);
	EXPECT_ERR(chdir(tp("self")), ELOOP);
}

static void t_stat_lstat(void)
{
	struct stat s, l;

	if (put_file(tp("target"), "12345") < 0)
		return;
	EXPECT_OK(symlink("target", tp("tl")));
	EXPECT_OK(stat(tp("tl"), &s));
	EXPECT_OK(lstat(tp("tl"), &l));
	CHECK(S_ISREG(s.mode) && s.size == 5, "stat: mode %o size %ld", s.mode, (long)s.size);
	CHECK(S_ISLNK(l.mode) && l.size == 6, "lstat: mode %o size %ld", l.mode, (long)l.size);
	CHECK(s.ino != l.ino, "stat and lstat gave the same inode %lu", (unsigned long)s.ino);
	EXPECT_OK(lstat(tp("target"), &l));
	CHECK(S_ISREG(l.mode) && l.ino == s.ino, "lstat of a plain file differs");
	EXPECT_OK(stat("/dev/null", &s));
	CHECK(S_ISCHR(s.mode), "/dev/null mode %o", s.mode);
	EXPECT_OK(stat("/tmp", &s));
	CHECK(S_ISDIR(s.mode), "/tmp mode %o", s.mode);
	int p[2];
	if (EXPECT_OK(pipe(p)) == 0) {
		EXPECT_OK(fstat(p[0], &s));
		CHECK(S_ISFIFO(s.mode), "pipe mode %o", s.mode);
		close(p[0]);
		close(p[1]);
	}
}

static void t_chdir(void)
{
	char buf[320];

	EXPECT_OK(mkdir(tp("cd"), 0755));
	EXPECT_OK(chdir(tp("cd")));
	CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, tp("cd")) == 0, "getcwd \"%s\"", buf);
	/* relative paths resolve from the cwd */
	if (put_file("rel", "r") == 0)
		EXPECT_OK(access(tp("cd/rel"), F_OK));
	EXPECT_OK(mkdir("sub", 0755));
	EXPECT_OK(chdir("sub"));
	CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, tp("cd/sub")) == 0, "getcwd \"%s\"", buf);
	EXPECT_OK(chdir(".."));
	CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, tp("cd")) == 0, "after ..: \"%s\"", buf);
	EXPECT_OK(chdir("./sub/../sub/."));
	CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, tp("cd/sub")) == 0, "getcwd \"%s\"", buf);
	/* too small a buffer */
	EXPECT_ERR(getcwd(buf, 3) == NULL ? -1 : 0, ERANGE);
	EXPECT_OK(chdir("/"));
	CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0, "getcwd at / \"%s\"", buf);
	EXPECT_OK(chdir(".."));
	CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0, "'..' at / gave \"%s\"", buf);
	EXPECT_OK(chdir("/../../tmp/.."));
	CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0, "\"%s\"", buf);
	/* a forked child inherits the cwd, and its chdir does not affect us */
	chdir(tp("cd"));
	pid_t pid = fork();
	if (pid == 0) {
		char b[320];
		int okv =
		    getcwd(b, sizeof(b)) && strcmp(b, tp("cd")) == 0 && access("rel", F_OK) == 0;
		chdir("/");
		_exit(okv ? 0 : 1);
	}
	if (pid > 0)
		EXPECT_EXIT("child checking inherited cwd", reap(pid), 0);
	CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, tp("cd")) == 0, "cwd now \"%s\"", buf);
	/* chdir to a file fails */
	chdir("/");
	EXPECT_ERR(chdir(tp("cd/rel")), ENOTDIR);
}

static void t_name_max(void)
{
	char name[300], path[600];
	struct stat st;
	int h;

	memset(name, 'n', 255);
	name[255] = '\0';
	snprintf(path, sizeof(path), "%s/%s", tdir, name);
	h = open(path, O_WRONLY | O_CREAT, 0644);
	CHECK(h >= 0, "creating a 255-char name: %s", strerror(errno));
	close(h);
	EXPECT_OK(stat(path, &st));
	EXPECT_OK(unlink(path));
	EXPECT_OK(mkdir(path, 0755));
	EXPECT_OK(rmdir(path));
	memset(name, 'm', 256);
	name[256] = '\0';
	snprintf(path, sizeof(path), "%s/%s", tdir, name);
	EXPECT_ERR(open(path, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
	EXPECT_ERR(mkdir(path, 0755), ENAMETOOLONG);
	EXPECT_ERR(stat(path, &st), ENAMETOOLONG);
	EXPECT_ERR(symlink("x", path), ENAMETOOLONG);
	/* a whole path of 4096+ bytes */
	char *longp = malloc(5000);
	if (longp) {
		for (int i = 0; i < 4999; i++)
			longp[i] = (i % 2) ? 'a' : '/';
		longp[4999] = '\0';
		EXPECT_ERR(open(longp, O_RDONLY), ENAMETOOLONG);
		free(longp);
	}
}

static void t_readdir(void)
{
	static const struct {
		const char *name;
		int type;
	} want[] = {
	    {".", DT_DIR}, {"..", DT_DIR}, {"file", DT_REG}, {"sub", DT_DIR}, {"link", DT_LNK}};
	int seen[5] = {0}, others = 0;
	DIR *d;
	struct dirent *e;
	char many[64];

	EXPECT_OK(mkdir(tp("rdir"), 0755));
	put_file(tp("rdir/file"), "x");
	EXPECT_OK(mkdir(tp("rdir/sub"), 0755));
	EXPECT_OK(symlink("file", tp("rdir/link")));
	d = opendir(tp("rdir"));
	if (!CHECK(d != NULL, "opendir: %s", strerror(errno)))
		return;
	while ((e = readdir(d))) {
		size_t i;
		for (i = 0; i < 5; i++)
			if (strcmp(e->d_name, want[i].name) == 0)
				break;
		if (i == 5) {
			others++;
			FAIL("unexpected entry \"%s\"", e->d_name);
			continue;
		}
		seen[i]++;
		CHECK(e->d_type == want[i].type, "%s: d_type %d, want %d", e->d_name, e->d_type,
		      want[i].type);
		CHECK(e->d_ino != 0, "%s: d_ino 0", e->d_name);
	}
	closedir(d);
	for (int i = 0; i < 5; i++)
		CHECK(seen[i] == 1, "\"%s\" listed %d times", want[i].name, seen[i]);
	/* many entries, more than one readdir buffer */
	EXPECT_OK(mkdir(tp("big"), 0755));
	for (int i = 0; i < 200; i++) {
		snprintf(many, sizeof(many), "big/entry-with-a-longish-name-%03d", i);
		if (put_file(tp(many), "") < 0)
			return;
	}
	int count = 0;
	static char hit[200];
	d = opendir(tp("big"));
	if (!CHECK(d != NULL, "opendir big: %s", strerror(errno)))
		return;
	while ((e = readdir(d))) {
		int k;
		count++;
		if (strncmp(e->d_name, "entry-with-a-longish-name-", 26) == 0) {
			k = atoi(e->d_name + 26);
			if (k >= 0 && k < 200)
				hit[k]++;
		}
	}
	closedir(d);
	CHECK(count == 202, "big directory listed %d entries, want 202", count);
	for (int i = 0; i < 200; i++)
		if (!CHECK(hit[i] == 1, "entry %d listed %d times", i, hit[i]))
			break;
	/* readdir on a non-directory handle */
	int h = open(tp("rdir/file"), O_RDONLY);
	char buf[256];
	EXPECT_ERR(sc_readdir(h, buf, sizeof(buf)), ENOTDIR);
	close(h);
	/* a buffer too small for one record */
	h = open(tp("rdir"), O_RDONLY | O_DIRECTORY);
	EXPECT_ERR(sc_readdir(h, buf, 4), EINVAL);
	close(h);
}
