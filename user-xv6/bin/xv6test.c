/*
 * xv6test: conformance tests of the xv6-riscv system calls.
 *
 * Each test checks what xv6-riscv's kernel does, edge cases included,
 * and runs in its own child process, so a test that crashes (or is
 * wrongly killed) is reported and the others still run.  Output: one
 * line per test, "ok NAME" or "FAIL NAME: detail", then
 * "xv6test: N passed, M failed"; the exit status is 0 iff all passed.
 * "xv6test name..." runs only the named tests.
 *
 * The tests work in a fresh directory under /tmp (or / when there is no
 * /tmp), removed at the end.
 */
#include "types.h"
#include "stat.h"
#include "fcntl.h"
#include "fs.h"
#include "param.h"
#include "user.h"

#define BAD_HIGH   ((void *)0xffffffffffffUL)     /* above MAXVA */
#define BAD_KERNEL ((void *)0xffffffc080200000UL) /* Scarlet's kernel text */
#define BAD_KBASE  ((void *)0x80000000UL)         /* xv6's KERNBASE, unmapped here */

static const char *test_name;
static int test_failed;
static char buf[8192];

/* Records a failed check of the running test (the first one is printed). */
static void check(int cond, const char *what, long value)
{
	if (cond)
		return;
	if (!test_failed)
		printf("FAIL %s: %s (got %ld)\n", test_name, what, value);
	test_failed = 1;
}

/* Creates name holding text; returns 0 or -1. */
static int make_file(const char *name, const char *text)
{
	int fd = open(name, O_CREATE | O_TRUNC | O_WRONLY), n = strlen(text);

	if (fd < 0)
		return -1;
	if (write(fd, text, n) != n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Reads all of name into buf (NUL-terminated); returns the length or -1. */
static int read_file(const char *name)
{
	int fd = open(name, O_RDONLY), n, len = 0;

	if (fd < 0)
		return -1;
	while (len < (int)sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fd);
	return len;
}

/* Waits for pid; returns its exit status, or -1000 when wait failed. */
static int wait_for(int pid)
{
	int status = -999, w = wait(&status);

	return w == pid ? status : -1000;
}

/* Forks a child that exits with status; -1000 if fork failed. */
static int fork_exit(int status)
{
	int pid = fork();

	if (pid == 0)
		exit(status);
	return pid;
}

/* ------------------------------------------------------------ processes */

static void test_getpid(void)
{
	int me = getpid(), p[2], pid, child = 0;

	check(me > 0, "getpid > 0", me);
	check(getpid() == me, "getpid stable", getpid());
	pipe(p);
	if ((pid = fork()) == 0) {
		child = getpid();
		write(p[1], &child, sizeof(child));
		exit(0);
	}
	read(p[0], &child, sizeof(child));
	check(child == pid, "child's getpid is fork's return", child);
	check(child != me, "child pid differs from parent's", child);
	check(wait_for(pid) == 0, "child status", 0);
}

static void test_fork_exit_wait(void)
{
	int pid, status, i, seen = 0, w;

	pid = fork_exit(7);
	check(pid > 0, "fork returns the child's pid", pid);
	check(wait_for(pid) == 7, "exit(7) seen by wait", 7);
	pid = fork_exit(-1);
	check(wait_for(pid) == -1, "exit(-1) seen by wait as -1", -1);
	pid = fork_exit(12345);
	status = wait_for(pid);
	check(status == 12345, "exit(12345) seen whole", status);
	pid = fork_exit(3);
	check(wait(0) == pid, "wait(0) returns the pid", pid);
	for (i = 1; i <= 3; i++)
		fork_exit(i);
	for (i = 0; i < 3; i++) {
		w = wait(&status);
		check(w > 0 && status >= 1 && status <= 3, "wait for three children", status);
		seen |= 1 << status;
	}
	check(seen == 0xe, "statuses 1, 2, 3 all seen", seen);
	check(wait(&status) == -1, "wait without children", 0);
}

/* wait with a bad status pointer fails and leaves the zombie to reap. */
static void test_wait_badptr(void)
{
	int pid = fork_exit(9), r;

	pause(1);
	r = wait(BAD_HIGH);
	check(r == -1, "wait(bad pointer) fails", r);
	check(wait_for(pid) == 9, "the child is still there to wait for", 0);
}

static void test_kill(void)
{
	int pid, status, p[2];
	volatile int spin = 1;

	if ((pid = fork()) == 0) {
		while (spin)
			;
		exit(0);
	}
	pause(1);
	check(kill(pid) == 0, "kill a spinning child", -1);
	status = wait_for(pid);
	check(status == -1, "killed spinning child's status is -1", status);

	if ((pid = fork()) == 0) {
		pause(1000);
		exit(0);
	}
	pause(1);
	check(kill(pid) == 0, "kill a sleeping child", -1);
	status = wait_for(pid);
	check(status == -1, "killed sleeping child's status is -1", status);

	pipe(p);
	if ((pid = fork()) == 0) {
		close(p[1]);
		read(p[0], &status, 1);
		exit(0);
	}
	pause(1);
	check(kill(pid) == 0, "kill a child blocked in pipe read", -1);
	status = wait_for(pid);
	check(status == -1, "killed reader's status is -1", status);
	close(p[0]);
	close(p[1]);

	if ((pid = fork()) == 0) {
		kill(getpid());
		exit(5);
	}
	status = wait_for(pid);
	check(status == -1, "kill(self) then exit(5): status -1", status);
	check(kill(99999) == -1, "kill of a nonexistent pid", 0);
}

/* ------------------------------------------------------------ pipes */

static void test_pipe_basic(void)
{
	int p[2], n, pid;
	char c[16];

	check(pipe(p) == 0, "pipe", -1);
	check(write(p[1], "hello", 5) == 5, "write 5 bytes", 0);
	n = read(p[0], c, sizeof(c));
	check(n == 5 && memcmp(c, "hello", 5) == 0, "read them back", n);
	if ((pid = fork()) == 0) {
		close(p[0]);
		write(p[1], "xy", 2);
		exit(0);
	}
	close(p[1]);
	n = read(p[0], c, sizeof(c));
	check(n == 2, "read the child's data", n);
	wait_for(pid);
	n = read(p[0], c, sizeof(c));
	check(n == 0, "EOF once all writers closed", n);
	close(p[0]);

	pipe(p);
	close(p[0]);
	if ((pid = fork()) == 0)
		exit(write(p[1], "x", 1) == -1 ? 0 : 1);
	n = wait_for(pid);
	check(n == 0, "write with no reader returns -1 (and does not kill)", n);
	close(p[1]);
	n = pipe(BAD_HIGH);
	check(n == -1, "pipe(bad pointer)", n);
	n = open(".", O_RDONLY);
	check(n == 3, "a failed pipe() leaks no descriptor", n);
	close(n);
}

#define MIB (1024 * 1024)

static void pipe_writer(int fd)
{
	int i, sent;

	for (sent = 0; sent < MIB; sent += 4096) {
		for (i = 0; i < 4096; i++)
			buf[i] = (char)((sent + i) * 7);
		if (write(fd, buf, 4096) != 4096)
			exit(1);
	}
	exit(0);
}

static void test_pipe_1mib(void)
{
	int p[2], pid, n, i, got = 0, bad = 0;

	pipe(p);
	if ((pid = fork()) == 0) {
		close(p[0]);
		pipe_writer(p[1]);
	}
	close(p[1]);
	while ((n = read(p[0], buf, 3000)) > 0) {
		for (i = 0; i < n; i++)
			bad += buf[i] != (char)((got + i) * 7);
		got += n;
	}
	check(got == MIB, "received 1 MiB", got);
	check(bad == 0, "data intact", bad);
	check(wait_for(pid) == 0, "writer status", 0);
	close(p[0]);
}

/* ------------------------------------------------------------ descriptors */

static void test_bad_fds(void)
{
	char c;
	struct stat st;

	check(read(-1, &c, 1) == -1, "read(-1)", 0);
	check(read(NOFILE, &c, 1) == -1, "read(16)", 0);
	check(read(10, &c, 1) == -1, "read(closed fd)", 0);
	check(write(-1, "x", 1) == -1, "write(-1)", 0);
	check(write(NOFILE, "x", 1) == -1, "write(16)", 0);
	check(write(10, "x", 1) == -1, "write(closed fd)", 0);
	check(close(-1) == -1, "close(-1)", 0);
	check(close(NOFILE) == -1, "close(16)", 0);
	check(close(10) == -1, "close(closed fd)", 0);
	check(fstat(-1, &st) == -1, "fstat(-1)", 0);
	check(fstat(10, &st) == -1, "fstat(closed fd)", 0);
	check(dup(-1) == -1, "dup(-1)", 0);
	check(dup(NOFILE) == -1, "dup(16)", 0);
	check(dup(10) == -1, "dup(closed fd)", 0);
}

static void test_dup(void)
{
	int a, b, c;

	make_file("dupf", "abcdef");
	a = open("dupf", O_RDONLY);
	b = open("dupf", O_RDONLY);
	check(a == 3 && b == 4, "open returns the lowest fds", a * 10 + b);
	close(a);
	c = dup(b);
	check(c == 3, "dup returns the lowest free fd", c);
	check(read(b, buf, 3) == 3 && memcmp(buf, "abc", 3) == 0, "read via original", 0);
	check(read(c, buf, 3) == 3 && memcmp(buf, "def", 3) == 0, "dup shares the offset", 0);
	close(b);
	check(read(c, buf, 3) == 0, "dup survives the original's close", 0);
	check(close(c) == 0, "close", -1);
	check(close(c) == -1, "second close fails", 0);
	unlink("dupf");
}

static void test_fork_shares_offset(void)
{
	int fd = open("sharef", O_CREATE | O_TRUNC | O_RDWR), pid;

	if ((pid = fork()) == 0) {
		write(fd, "child", 5);
		exit(0);
	}
	wait_for(pid);
	write(fd, "parent", 6);
	close(fd);
	check(read_file("sharef") == 11 && strcmp(buf, "childparent") == 0,
	      "fork shares the file offset", 0);
	unlink("sharef");
}

static void test_nofile(void)
{
	int fd, last = -1, i, n = 0, p[2];
	struct stat st;

	make_file("nof", "x");
	while ((fd = open("nof", O_RDONLY)) >= 0 && n < 100) {
		last = fd;
		n++;
	}
	check(last == NOFILE - 1, "the last fd opened is 15", last);
	for (i = 0, n = 0; i < NOFILE; i++)
		n += fstat(i, &st) == 0;
	check(n == NOFILE, "fds 0..15 all open", n);
	check(dup(0) == -1, "dup with a full table", 0);
	check(pipe(p) == -1, "pipe with a full table", 0);
	close(NOFILE - 1);
	check(pipe(p) == -1, "pipe with one free fd", 0);
	check(open("nof", O_RDONLY) == NOFILE - 1, "the freed fd is reused", 0);
	for (i = 3; i < NOFILE; i++)
		close(i);
	unlink("nof");
}

/* ------------------------------------------------------------ bad pointers */

static void test_bad_pointers(void)
{
	int fd, r;
	char *unmapped = sbrk(0) + 16 * 4096;
	char *argv_bad[] = {"echo", (char *)BAD_HIGH, 0};
	struct stat st;

	make_file("ptrf", "0123456789");
	fd = open("ptrf", O_RDWR);
	check(read(fd, BAD_HIGH, 10) == -1, "read into 0xffffffffffff", 0);
	check(read(fd, BAD_KERNEL, 10) == -1, "read into a kernel address", 0);
	check(read(fd, BAD_KBASE, 10) == -1, "read into 0x80000000", 0);
	check(read(fd, unmapped, 10) == -1, "read into unmapped memory above the heap", 0);
	r = read(fd, (void *)0, 10);
	check(r == -1, "read into the read-only text page", r);
	check(write(fd, BAD_HIGH, 10) == -1, "write from 0xffffffffffff", 0);
	check(write(fd, BAD_KERNEL, 10) == -1, "write from a kernel address", 0);
	check(write(fd, unmapped, 10) == -1, "write from unmapped memory", 0);
	check(fstat(fd, BAD_HIGH) == -1, "fstat into a bad address", 0);
	check(fstat(fd, BAD_KERNEL) == -1, "fstat into a kernel address", 0);
	close(fd);
	check(read_file("ptrf") == 10 && strcmp(buf, "0123456789") == 0, "file unchanged", 0);
	check(open(BAD_HIGH, O_RDONLY) == -1, "open(bad path pointer)", 0);
	check(open(BAD_KERNEL, O_RDONLY) == -1, "open(kernel path pointer)", 0);
	check(open(unmapped, O_CREATE | O_RDWR) == -1, "open(unmapped path)", 0);
	check(unlink(BAD_HIGH) == -1 && mkdir(BAD_HIGH) == -1, "unlink/mkdir(bad path)", 0);
	check(chdir(BAD_HIGH) == -1 && link(BAD_HIGH, "x") == -1, "chdir/link(bad path)", 0);
	check(mknod(BAD_HIGH, 1, 0) == -1, "mknod(bad path)", 0);
	check(exec(BAD_HIGH, argv_bad) == -1, "exec(bad path)", 0);
	check(exec("/echo", BAD_HIGH) == -1, "exec(bad argv array)", 0);
	check(exec("/echo", BAD_KERNEL) == -1, "exec(kernel argv array)", 0);
	check(exec("/echo", argv_bad) == -1, "exec(bad argv string)", 0);
	check(stat("ptrf", &st) == 0 && st.size == 10, "the process still works", 0);
	unlink("ptrf");
}

/* ------------------------------------------------------------ exec */

/* Runs /echo with argv in a child, its output into buf; returns the length. */
static int run_echo(char **argv)
{
	int p[2], pid, n, len = 0;

	pipe(p);
	if ((pid = fork()) == 0) {
		close(1);
		dup(p[1]);
		close(p[0]);
		close(p[1]);
		exec("/echo", argv);
		exit(99);
	}
	close(p[1]);
	while ((n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(p[0]);
	return wait_for(pid) == 0 ? len : -1;
}

static void test_exec(void)
{
	char *argv[MAXARG + 2];
	char *args[] = {"echo", "a", "bc", "", "d", 0};
	int i, r;

	check(run_echo(args) == 8 && strcmp(buf, "a bc  d\n") == 0, "exec /echo with args", 0);
	for (i = 0; i < MAXARG - 1; i++)
		argv[i] = "x";
	argv[i] = 0;
	r = run_echo(argv);
	check(r == 2 * (MAXARG - 2), "exec with MAXARG-1 arguments", r);
	for (i = 0; i < MAXARG + 1; i++)
		argv[i] = "x";
	argv[i] = 0;
	check(exec("/echo", argv) == -1, "exec with MAXARG+1 arguments", 0);
	check(exec("/no-such-program", args) == -1, "exec of a nonexistent path", 0);
	check(exec("", args) == -1, "exec of an empty path", 0);
	make_file("textf", "this is not a program\n");
	check(exec("textf", args) == -1, "exec of a text file", 0);
	make_file("shortf", "\177EL");
	check(exec("shortf", args) == -1, "exec of a truncated ELF magic", 0);
	check(exec(".", args) == -1, "exec of a directory", 0);
	check(exec("/", args) == -1, "exec of /", 0);
	check(getpid() > 0, "the caller continues", 0);
	unlink("textf");
	unlink("shortf");
}

/* ------------------------------------------------------------ memory */

static int all_zero(const char *p, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (p[i])
			return 0;
	}
	return 1;
}

static void test_sbrk(void)
{
	char *base = sbrk(0), *p, *q;
	int pid, status;

	p = sbrk(8192);
	check(p == base, "sbrk returns the old break", (long)p);
	check(sbrk(0) == base + 8192, "the break moved", (long)sbrk(0));
	check(all_zero(p, 8192), "new memory is zeroed", 0);
	memset(p, 0x5a, 8192);
	check(sbrk(-8192) == base + 8192, "shrinking returns the old break", 0);
	check(sbrk(0) == base, "the break moved back", (long)sbrk(0));
	p = sbrk(8192);
	check(p == base && all_zero(p, 8192), "regrown memory is zeroed again", 0);
	sbrk(-8192);
	q = sbrk(1);
	check(sbrk(0) == q + 1, "sbrk(1) moves the break by one byte", 0);
	sbrk(-1);
	p = sbrk(0x7fffffff);
	check(p == SBRK_ERROR, "sbrk(2 GiB - 1) fails", (long)p);
	check(sbrk(0) == base, "a failed sbrk leaves the break", (long)sbrk(0));
	p = sbrk(64 * 4096);
	check(p != SBRK_ERROR && all_zero(p, 64 * 4096), "256 KiB", 0);
	sbrk(-64 * 4096);
	if ((pid = fork()) == 0) {
		p = sbrk(4096);
		sbrk(-4096);
		*(volatile char *)p = 1;
		exit(0);
	}
	status = wait_for(pid);
	check(status == -1, "touching freed memory kills the process (status -1)", status);
	if ((pid = fork()) == 0) {
		p = sbrk(4096);
		*(volatile char *)p = 1;
		exit(p[0] == 1 ? 0 : 1);
	}
	check(wait_for(pid) == 0, "a child grows its own heap", 0);
}

static void test_sbrklazy(void)
{
	char *base = sbrk(0), *p;
	int pid, status, size = 16 * MIB;

	p = sbrklazy(size);
	check(p == base, "sbrklazy returns the old break", (long)p);
	check(sbrk(0) == base + size, "the break moved", (long)sbrk(0));
	check(p[0] == 0 && p[size / 2] == 0 && p[size - 1] == 0, "lazy pages read as 0", 0);
	p[1] = 1;
	p[size - 2] = 2;
	check(p[1] == 1 && p[size - 2] == 2, "lazy pages are writable", 0);
	check(sbrk(-size) == base + size && sbrk(0) == base, "shrink a lazy region", 0);
	p = sbrklazy(1 << 30);
	check(p == base, "sbrklazy(1 GiB)", (long)p);
	if (p != SBRK_ERROR) {
		p[(1 << 30) - 1] = 3;
		check(p[(1 << 30) - 1] == 3, "touch the last byte of 1 GiB", 0);
		sbrk(-(1 << 30));
	}
	if ((pid = fork()) == 0) {
		p = sbrklazy(4096);
		p[4096 + 100] = 1; /* past the break */
		exit(0);
	}
	status = wait_for(pid);
	check(status == -1, "a fault past the break kills (status -1)", status);
}

/* ------------------------------------------------------------ time */

static void test_pause_uptime(void)
{
	int t0 = uptime(), t1, t2;

	check(t0 >= 0, "uptime", t0);
	check(pause(2) == 0, "pause(2) returns 0", 0);
	t1 = uptime();
	check(t1 - t0 >= 2, "pause(2) takes at least 2 ticks", t1 - t0);
	check(t1 - t0 < 20, "pause(2) takes less than 2 s", t1 - t0);
	check(pause(0) == 0, "pause(0)", 0);
	check(pause(-1) == 0, "pause(-1)", 0);
	t2 = uptime();
	check(t2 >= t1, "uptime does not go back", t2);
	check(sleep(1) == 0, "sleep(1) (the old name)", 0);
}

/* ------------------------------------------------------------ files */

static void test_open_flags(void)
{
	int fd, n;
	char c;

	check(open("nof", O_RDONLY) == -1, "open a nonexistent file", 0);
	fd = open("of", O_CREATE | O_RDWR);
	check(fd >= 0, "O_CREATE", fd);
	check(write(fd, "abc", 3) == 3, "write", 0);
	close(fd);
	fd = open("of", O_CREATE | O_WRONLY);
	check(write(fd, "X", 1) == 1, "O_CREATE of an existing file", 0);
	close(fd);
	check(read_file("of") == 3 && strcmp(buf, "Xbc") == 0, "O_CREATE does not truncate", 0);
	fd = open("of", O_RDONLY);
	check(write(fd, "x", 1) == -1, "write to an O_RDONLY fd", 0);
	close(fd);
	fd = open("of", O_WRONLY);
	check(read(fd, &c, 1) == -1, "read from an O_WRONLY fd", 0);
	close(fd);
	fd = open("of", O_RDWR | O_TRUNC);
	n = read(fd, &c, 1);
	check(n == 0, "O_TRUNC empties the file", n);
	close(fd);
	check(open(".", O_WRONLY) == -1, "open a directory O_WRONLY", 0);
	check(open(".", O_RDWR) == -1, "open a directory O_RDWR", 0);
	check(open(".", O_CREATE | O_RDONLY) == -1, "O_CREATE of an existing directory", 0);
	fd = open(".", O_RDONLY);
	check(fd >= 0, "open a directory O_RDONLY", fd);
	check(write(fd, "x", 1) == -1, "write to a directory", 0);
	close(fd);
	check(open("of/x", O_CREATE | O_RDWR) == -1, "create under a file", 0);
	check(open("nodir/x", O_CREATE | O_RDWR) == -1, "create under a missing dir", 0);
	unlink("of");
}

static void test_fstat(void)
{
	struct stat st, st2;
	int fd, n;

	make_file("sf", "twelve bytes");
	fd = open("sf", O_RDONLY);
	n = fstat(fd, &st);
	check(n == 0 && st.type == T_FILE, "a file is T_FILE", st.type);
	check(st.size == 12, "its size", st.size);
	check(st.nlink == 1, "nlink 1", st.nlink);
	check(link("sf", "sf2") == 0, "link", -1);
	fstat(fd, &st);
	check(st.nlink == 2, "nlink 2 after link", st.nlink);
	check(stat("sf2", &st2) == 0 && st2.ino == st.ino, "both names, one inode", st2.ino);
	unlink("sf2");
	fstat(fd, &st);
	check(st.nlink == 1, "nlink 1 after unlink", st.nlink);
	close(fd);
	make_file("sf3", "");
	stat("sf3", &st2);
	check(st2.ino != st.ino && st2.size == 0, "another file, another inode", st2.ino);
	check(stat(".", &st) == 0 && st.type == T_DIR, "a directory is T_DIR", st.type);
	check(stat("/", &st) == 0 && st.type == T_DIR, "/ is T_DIR", st.type);
	unlink("sf");
	unlink("sf3");
}

static void test_console_device(void)
{
	struct stat st;
	int fd;

	check(mknod("cons", CONSOLE, 0) == 0, "mknod console", -1);
	fd = open("cons", O_RDWR);
	check(fd >= 0, "open the device node", fd);
	check(fstat(fd, &st) == 0 && st.type == T_DEVICE, "fstat: T_DEVICE", st.type);
	check(write(fd, "", 0) == 0, "write 0 bytes to the console", -1);
	close(fd);
	check(stat("cons", &st) == 0 && st.type == T_DEVICE, "stat by name: T_DEVICE", st.type);
	check(mknod("cons", CONSOLE, 0) == -1, "mknod over an existing name", 0);
	check(unlink("cons") == 0, "unlink the node", -1);
}

static void test_chdir(void)
{
	struct stat st;

	check(mkdir("cd1") == 0, "mkdir", -1);
	check(chdir("cd1") == 0, "chdir into it", -1);
	make_file("inner", "in");
	check(chdir("..") == 0, "chdir ..", -1);
	check(read_file("cd1/inner") == 2, "the file was made inside", 0);
	check(chdir("no-such-dir") == -1, "chdir to a missing dir", 0);
	check(chdir("cd1/inner") == -1, "chdir into a file", 0);
	check(stat("cd1", &st) == 0 && st.type == T_DIR, "still here", 0);
	unlink("cd1/inner");
	unlink("cd1");
}

static void test_unlink(void)
{
	int fd, n;
	struct stat st;

	make_file("uf", "still here");
	fd = open("uf", O_RDONLY);
	check(unlink("uf") == 0, "unlink a file", -1);
	check(open("uf", O_RDONLY) == -1, "the name is gone", 0);
	n = read(fd, buf, sizeof(buf));
	check(n == 10 && memcmp(buf, "still here", 10) == 0, "the open file stays readable", n);
	check(fstat(fd, &st) == 0 && st.nlink == 0, "nlink 0", st.nlink);
	close(fd);
	check(unlink("uf") == -1, "unlink a missing name", 0);
	mkdir("ud");
	make_file("ud/f", "x");
	check(unlink("ud") == -1, "unlink a nonempty directory", 0);
	check(unlink("ud/.") == -1, "unlink dir/.", 0);
	check(unlink("ud/..") == -1, "unlink dir/..", 0);
	check(unlink(".") == -1, "unlink .", 0);
	check(unlink("..") == -1, "unlink ..", 0);
	unlink("ud/f");
	check(unlink("ud") == 0, "unlink an empty directory", -1);
	check(stat("ud", &st) == -1, "the directory is gone", 0);
}

static void test_link(void)
{
	make_file("la", "link me");
	make_file("lb", "other");
	check(link("la", "lc") == 0, "link a file", -1);
	check(read_file("lc") == 7 && strcmp(buf, "link me") == 0, "same content", 0);
	check(link("la", "lb") == -1, "link to an existing name", 0);
	check(link("la", "lc") == -1, "link to its own other name", 0);
	check(link("no-such", "ld") == -1, "link a missing file", 0);
	mkdir("ldir");
	check(link("ldir", "ldir2") == -1, "link a directory", 0);
	check(link("la", "no-such-dir/x") == -1, "link into a missing dir", 0);
	check(link("la", "ldir/la") == 0, "link into a subdirectory", -1);
	unlink("ldir/la");
	unlink("ldir");
	unlink("la");
	unlink("lb");
	unlink("lc");
}

static void test_mkdir(void)
{
	check(mkdir("md") == 0, "mkdir", -1);
	check(mkdir("md") == -1, "mkdir of an existing dir", 0);
	make_file("mf", "x");
	check(mkdir("mf") == -1, "mkdir over a file", 0);
	check(mkdir("mf/sub") == -1, "mkdir under a file", 0);
	check(mkdir("no-such/sub") == -1, "mkdir under a missing dir", 0);
	check(mkdir("md/sub") == 0, "mkdir nested", -1);
	unlink("md/sub");
	unlink("md");
	unlink("mf");
}

/* Reads the directory path's entries; 1 if name (of up to DIRSIZ) is among them. */
static int dir_has(const char *path, const char *name, uint *inum)
{
	struct dirent de;
	int fd = open(path, O_RDONLY), found = 0;

	while (fd >= 0 && read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum && strncmp(de.name, name, DIRSIZ) == 0) {
			found = 1;
			*inum = de.inum;
		}
	}
	close(fd);
	return found;
}

static void test_dirsiz(void)
{
	struct stat a, b;
	uint inum;
	int fd;

	fd = open("abcdefghijklmnop", O_CREATE | O_RDWR);
	check(fd >= 0, "create a 16-character name", fd);
	write(fd, "long", 4);
	close(fd);
	check(stat("abcdefghijklmn", &a) == 0 && a.size == 4, "found by its first 14", 0);
	check(stat("abcdefghijklmnXYZ", &b) == 0 && b.ino == a.ino,
	      "any name with those 14 finds it", 0);
	check(dir_has(".", "abcdefghijklmn", &inum), "the directory holds 14 characters", 0);
	check(stat("abcdefghijklm", &b) == -1, "13 characters do not match", 0);
	check(unlink("abcdefghijklmnop") == 0, "unlink by the long name", -1);
	check(stat("abcdefghijklmn", &a) == -1, "gone", 0);
}

static void test_maxpath(void)
{
	char path[MAXPATH + 8];
	int i, fd;

	for (i = 0; i < 126; i += 2) {
		path[i] = '.';
		path[i + 1] = '/';
	}
	path[126] = 'p';
	path[127] = '\0';
	fd = open(path, O_CREATE | O_RDWR);
	check(fd >= 0, "a 127-character path", fd);
	close(fd);
	path[127] = 'q';
	path[128] = '\0';
	check(open(path, O_CREATE | O_RDWR) == -1, "a 128-character path", 0);
	for (i = 0; i < MAXPATH + 7; i++)
		path[i] = 'a';
	path[i] = '\0';
	check(open(path, O_CREATE | O_RDWR) == -1, "a 135-character name", 0);
	check(mkdir(path) == -1, "mkdir of a too long path", 0);
	unlink("p");
}

static void test_dir_read(void)
{
	struct dirent de;
	struct stat st;
	int fd, n, dot = 0, dotdot = 0, file = 0;

	mkdir("rd");
	make_file("rd/entry", "");
	stat("rd/entry", &st);
	fd = open("rd", O_RDONLY);
	while ((n = read(fd, &de, sizeof(de))) == sizeof(de)) {
		if (de.inum == 0)
			continue;
		dot += strcmp(de.name, ".") == 0;
		dotdot += strcmp(de.name, "..") == 0;
		if (strcmp(de.name, "entry") == 0)
			file += de.inum == st.ino ? 1 : 100;
	}
	close(fd);
	check(n == 0, "reading ends with 0 at a record boundary", n);
	check(dot == 1, "\".\" listed once", dot);
	check(dotdot == 1, "\"..\" listed once", dotdot);
	check(file == 1, "the file listed with its inode number", file);
	unlink("rd/entry");
	unlink("rd");
}

static void test_maxfile(void)
{
	int fd = open("big", O_CREATE | O_TRUNC | O_WRONLY), i, n, ok = 1;
	struct stat st;

	memset(buf, 'b', BSIZE);
	for (i = 0; i < (int)MAXFILE && ok; i++)
		ok = write(fd, buf, BSIZE) == BSIZE;
	check(ok, "write MAXFILE blocks", i);
	n = write(fd, buf, 1);
	check(n == -1, "one byte past MAXFILE fails", n);
	fstat(fd, &st);
	check(st.size == MAXFILE * BSIZE, "the size stops at MAXFILE*BSIZE", st.size);
	close(fd);
	fd = open("big", O_WRONLY);
	n = write(fd, buf, BSIZE);
	check(n == BSIZE, "rewriting inside the limit works", n);
	close(fd);
	unlink("big");
}

/* ------------------------------------------------------------ limits */

static void test_nproc(void)
{
	int p[2], n = 0, pid, i, reaped = 0;
	char c;

	pipe(p);
	while (n < 200 && (pid = fork()) >= 0) {
		if (pid == 0) {
			close(p[1]);
			read(p[0], &c, 1);
			exit(0);
		}
		n++;
	}
	close(p[0]);
	close(p[1]);
	check(n > 0 && n < NPROC, "fork fails before NPROC processes", n);
	for (i = 0; i < n; i++)
		reaped += wait(0) > 0;
	check(reaped == n, "all children reaped", reaped);
	pid = fork_exit(0);
	check(pid > 0 && wait_for(pid) == 0, "fork works again", pid);
}

/* Two processes unlink and create one name at once, as grind does, in a
 * directory of the root: Scarlet's overlay, not the /tmp of the others.
 * open(O_CREATE) must never fail: it opens the other's file or makes
 * its own. */
#define CREATE_RACE_ROUNDS 10000

static int create_race_rounds(const char *path)
{
	int i, fd, failures = 0;

	for (i = 0; i < CREATE_RACE_ROUNDS; i++) {
		unlink(path);
		fd = open(path, O_CREATE | O_RDWR);
		if (fd < 0)
			failures++;
		else
			close(fd);
	}
	return failures;
}

static void test_create_race(void)
{
	char dir[32], path[40];
	int pid, failures, status;

	snprintf(dir, sizeof(dir), "/race.%d", getpid());
	snprintf(path, sizeof(path), "%s/c", dir);
	check(mkdir(dir) == 0, "mkdir in the root", 0);
	pid = fork();
	if (pid == 0)
		exit(create_race_rounds(path) ? 1 : 0);
	failures = create_race_rounds(path);
	status = wait_for(pid);
	check(failures == 0, "failed O_CREATE opens", failures);
	check(status == 0, "the other process's O_CREATE opens", status);
	unlink(path);
	unlink(dir);
}

/* ------------------------------------------------------------ driver */

static const struct {
	const char *name;
	void (*run)(void);
} tests[] = {
    {"getpid", test_getpid},
    {"fork_exit_wait", test_fork_exit_wait},
    {"wait_badptr", test_wait_badptr},
    {"kill", test_kill},
    {"pipe", test_pipe_basic},
    {"pipe_1mib", test_pipe_1mib},
    {"bad_fds", test_bad_fds},
    {"dup", test_dup},
    {"fork_shares_offset", test_fork_shares_offset},
    {"nofile", test_nofile},
    {"bad_pointers", test_bad_pointers},
    {"exec", test_exec},
    {"sbrk", test_sbrk},
    {"sbrklazy", test_sbrklazy},
    {"pause_uptime", test_pause_uptime},
    {"open_flags", test_open_flags},
    {"fstat", test_fstat},
    {"console_device", test_console_device},
    {"chdir", test_chdir},
    {"unlink", test_unlink},
    {"link", test_link},
    {"mkdir", test_mkdir},
    {"dirsiz", test_dirsiz},
    {"maxpath", test_maxpath},
    {"dir_read", test_dir_read},
    {"maxfile", test_maxfile},
    {"nproc", test_nproc},
    {"create_race", test_create_race},
};
#define NTESTS (int)(sizeof(tests) / sizeof(tests[0]))

/* Runs test i in a child; returns 1 if it passed. */
static int run_test(int i)
{
	int pid = fork(), status;

	if (pid < 0) {
		printf("FAIL %s: fork failed\n", tests[i].name);
		return 0;
	}
	if (pid == 0) {
		test_name = tests[i].name;
		tests[i].run();
		exit(test_failed ? 1 : 0);
	}
	status = wait_for(pid);
	if (status == 0)
		printf("ok %s\n", tests[i].name);
	else if (status != 1)
		printf("FAIL %s: the test process ended with status %d\n", tests[i].name, status);
	return status == 0;
}

/* Makes and enters a fresh work directory; returns 0 or -1. */
static int enter_workdir(char *dir, int size)
{
	static const char *parents[] = {"/tmp", ""};
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(dir, size, "%s/xv6test.%d", parents[i], getpid());
		if (mkdir(dir) == 0 && chdir(dir) == 0)
			return 0;
	}
	return -1;
}

static int selected(int i, int argc, char **argv)
{
	int j;

	for (j = 1; j < argc; j++) {
		if (strcmp(argv[j], tests[i].name) == 0)
			return 1;
	}
	return argc < 2;
}

int main(int argc, char **argv)
{
	char dir[64];
	int i, passed = 0, failed = 0;

	if (enter_workdir(dir, sizeof(dir)) < 0) {
		printf("xv6test: cannot make a work directory\n");
		exit(1);
	}
	for (i = 0; i < NTESTS; i++) {
		if (!selected(i, argc, argv))
			continue;
		if (run_test(i))
			passed++;
		else
			failed++;
	}
	chdir("/");
	unlink(dir);
	printf("xv6test: %d passed, %d failed\n", passed, failed);
	exit(failed ? 1 : 0);
}
