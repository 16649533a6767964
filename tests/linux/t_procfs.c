/*
 * /proc as Linux programs read it: the process's own entries (stat,
 * status, cmdline, environ, maps, fd/, exe, cwd), its parent's, and the
 * system-wide files (meminfo, uptime, cpuinfo, loadavg, mounts,
 * filesystems, version, stat, sys/kernel).
 *
 * Under qemu-riscv64-static on the host, qemu emulates some of
 * /proc/self for the guest (stat, maps, cmdline, exe) and the rest is the
 * host's own, describing the qemu process; only what both give is
 * asserted.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

#define BIG 65536

static char text[BIG];

/* Reads a whole file into text; returns its length or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long len = 0, n;

	if (fd < 0)
		return -1;
	while (len < BIG - 1 && (n = read(fd, text + len, (size_t)(BIG - 1 - len))) > 0)
		len += n;
	close(fd);
	text[len] = '\0';
	return n < 0 ? -1 : len;
}

/* The value after "key:" on its line in text (blanks skipped), or NULL. */
static const char *field(const char *key)
{
	size_t n = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, key, n) == 0 && strspn(l + n, " \t") == strcspn(l + n, ":")) {
			l += n + strspn(l + n, " \t") + 1;
			while (*l == ' ' || *l == '\t')
				l++;
			return l;
		}
	}
	return NULL;
}

static long field_long(const char *key)
{
	const char *v = field(key);

	return v ? strtol(v, NULL, 10) : -1;
}

/* Splits /proc/PID/stat: *comm gets the name, fields[0] is field 3
 * (state); returns the number of fields after the name. */
static int split_stat(char *s, char **comm, char **fields, int max)
{
	char *open = strchr(s, '('), *close = strrchr(s, ')');
	int n = 0;

	if (!open || !close)
		return -1;
	*close = '\0';
	*comm = open + 1;
	for (char *tok = strtok(close + 1, " \n"); tok && n < max; tok = strtok(NULL, " \n"))
		fields[n++] = tok;
	return n;
}

static void test_self_link(void)
{
	char buf[64], want[32];
	long n = readlink("/proc/self", buf, sizeof(buf) - 1);

	CHECK(n > 0);
	buf[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%d", getpid());
	CHECK_STR(buf, want);
	struct stat a, b;
	snprintf(want, sizeof(want), "/proc/%d", getpid());
	CHECK_EQ(stat("/proc/self", &a), 0);
	CHECK_EQ(stat(want, &b), 0);
	CHECK(S_ISDIR(a.st_mode));
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_ERR(open("/proc/999999999/stat", O_RDONLY), ENOENT);
	CHECK_ERR(open("/proc/self/no-such-file", O_RDONLY), ENOENT);
}

static double uptime_now(void)
{
	return slurp("/proc/uptime") > 0 ? strtod(text, NULL) : -1;
}

static void test_stat(void)
{
	char *comm, *f[64];
	char path[64];

	CHECK(slurp("/proc/self/stat") > 0);
	CHECK_EQ(strtol(text, NULL, 10), getpid());
	int n = split_stat(text, &comm, f, 64);
	CHECK(n >= 42); /* 44 fields under qemu, 52 on Linux 6.1 */
	if (n < 42)
		return;
	CHECK_STR(comm, "t_procfs");
	CHECK_EQ(strtol(f[1], NULL, 10), getppid());
	/* qemu-user's emulated stat has 0 for the state and the thread count,
	 * which no Linux kernel gives */
	if (strcmp(f[0], "0") == 0 && strcmp(f[17], "0") == 0) {
		SKIP("qemu-user's stat has no state or thread count");
	} else {
		CHECK(strchr("RSD", f[0][0]) != NULL && f[0][1] == '\0');
		CHECK(strtol(f[17], NULL, 10) >= 1);
	}
	/* starttime, in clock ticks since boot: not in the future */
	long start = strtol(f[19], NULL, 10);
	CHECK(start >= 0 && start <= (long)(uptime_now() * 100) + 1);

	/* the parent: another process, read from here */
	snprintf(path, sizeof(path), "/proc/%d/stat", getppid());
	CHECK(slurp(path) > 0);
	CHECK_EQ(strtol(text, NULL, 10), getppid());
	snprintf(path, sizeof(path), "/proc/%d/cmdline", getppid());
	CHECK(slurp(path) > 0);
}

static void test_status(void)
{
	char comm[64];

	CHECK(slurp("/proc/self/comm") > 0);
	strncpy(comm, text, sizeof(comm) - 1);
	comm[sizeof(comm) - 1] = '\0';
	CHECK(slurp("/proc/self/status") > 0);
	const char *name = field("Name");
	CHECK(name && strncmp(name, comm, strlen(comm)) == 0); /* both end in '\n' */
	CHECK_EQ(field_long("Pid"), getpid());
	CHECK_EQ(field_long("Tgid"), getpid());
	CHECK_EQ(field_long("PPid"), getppid());
	CHECK(field_long("Threads") >= 1);
	CHECK(field("State") && strchr("RSD", field("State")[0]));
	CHECK(field("Uid") && field("Gid"));
	CHECK(field_long("VmSize") > 0);
	CHECK(field_long("VmRSS") > 0);
	CHECK(field_long("FDSize") >= 3);
}

/* Reads path one byte at a time; it must hold exactly argv. */
static void check_is_argv(const char *path, int argc, char **argv)
{
	int fd = open(path, O_RDONLY), i = 0;
	char want[4096];
	size_t wlen = 0, pos = 0;
	char c;

	for (i = 0; i < argc && wlen + strlen(argv[i]) + 1 < sizeof(want); i++) {
		strcpy(want + wlen, argv[i]);
		wlen += strlen(argv[i]) + 1;
	}
	CHECK(fd >= 0);
	while (fd >= 0 && read(fd, &c, 1) == 1) {
		if (pos >= wlen || want[pos] != c)
			break;
		pos++;
	}
	CHECK_EQ(pos, wlen);
	CHECK_EQ(read(fd, &c, 1), 0);
	close(fd);
}

static void test_cmdline_environ(int argc, char **argv)
{
	check_is_argv("/proc/self/cmdline", argc, argv);
	long n = slurp("/proc/self/environ");
	const char *path = getenv("PATH");
	int found = 0;

	CHECK(n > 0);
	for (long i = 0; i < n; i += (long)strlen(text + i) + 1)
		found |=
		    strncmp(text + i, "PATH=", 5) == 0 && path && strcmp(text + i + 5, path) == 0;
	CHECK(found);
}

static void test_maps(const char *exe_target)
{
	uintptr_t local = (uintptr_t)&local;
	int stack = 0, exe_x = 0;
	struct stat st;
	char *save;

	CHECK_EQ(stat(exe_target, &st), 0);
	CHECK(slurp("/proc/self/maps") > 0);
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		unsigned long lo, hi, off, ino;
		char perms[8], dev[16], name[512] = "";
		if (sscanf(l, "%lx-%lx %7s %lx %15s %lu %511s", &lo, &hi, perms, &off, dev, &ino,
		           name) < 6) {
			CHECK(!"maps line parses");
			continue;
		}
		if (strcmp(name, "[stack]") == 0 && lo <= local && local < hi)
			stack = 1;
		if (strcmp(name, exe_target) == 0 && perms[2] == 'x' && ino == st.st_ino)
			exe_x = 1;
	}
	CHECK(stack);
	CHECK(exe_x);
}

/* readlink of /proc/self/NAME into buf. */
static long self_link(const char *name, char *buf, size_t n)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/%s", name);
	long r = readlink(path, buf, n - 1);
	buf[r > 0 ? r : 0] = '\0';
	return r;
}

static void test_links(char *exe, size_t n)
{
	char cwd[4096];
	struct stat a, b;

	CHECK(self_link("exe", exe, n) > 0);
	CHECK(exe[0] == '/');
	const char *base = strrchr(exe, '/');
	CHECK_STR(base ? base + 1 : exe, "t_procfs");
	CHECK(self_link("cwd", cwd, sizeof(cwd)) > 0);
	CHECK_EQ(stat(cwd, &a), 0);
	CHECK_EQ(stat(".", &b), 0);
	CHECK(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	CHECK(self_link("root", cwd, sizeof(cwd)) > 0);
	CHECK_STR(cwd, "/");

	/* a file opened through a /proc link is named by what it is */
	int fd = open("/proc/self/exe", O_RDONLY);
	char path[64];
	CHECK(fd >= 0);
	snprintf(path, sizeof(path), "fd/%d", fd);
	CHECK(self_link(path, cwd, sizeof(cwd)) > 0);
	CHECK_STR(cwd, exe);
	close(fd);
}

/* Opens name in the cwd and /dev/null; fd/N must name them. */
static void test_fds(void)
{
	char cwd[2048], want[4096], got[4096], path[64];
	int f = open("procfs_probe", O_CREAT | O_RDWR | O_TRUNC, 0644);
	int z = open("/dev/null", O_RDONLY);

	CHECK(f >= 0 && z >= 0);
	CHECK(self_link("cwd", cwd, sizeof(cwd)) > 0);
	snprintf(want, sizeof(want), "%s/procfs_probe", strcmp(cwd, "/") ? cwd : "");
	snprintf(path, sizeof(path), "fd/%d", f);
	CHECK(self_link(path, got, sizeof(got)) > 0);
	CHECK_STR(got, want);
	snprintf(path, sizeof(path), "fd/%d", z);
	CHECK(self_link(path, got, sizeof(got)) > 0);
	CHECK_STR(got, "/dev/null");

	DIR *d = opendir("/proc/self/fd");
	int seen_f = 0, seen_z = 0, entries = 0;
	struct dirent *e;
	CHECK(d != NULL);
	errno = 0;
	while (d && (e = readdir(d)) != NULL) {
		entries++;
		seen_f |= atoi(e->d_name) == f && e->d_name[0] != '.';
		seen_z |= atoi(e->d_name) == z && e->d_name[0] != '.';
	}
	CHECK_EQ(errno, 0); /* readdir ended without an error */
	CHECK(entries > 0);
	CHECK(seen_f && seen_z);
	if (d)
		closedir(d);
	close(f);
	close(z);
	unlink("procfs_probe");

	int p[2];
	CHECK_EQ(pipe(p), 0);
	snprintf(path, sizeof(path), "fd/%d", p[0]);
	CHECK(self_link(path, got, sizeof(got)) > 0);
	CHECK(strncmp(got, "pipe:[", 6) == 0);
	snprintf(path, sizeof(path), "fd/%d", p[1]);
	CHECK(self_link(path, want, sizeof(want)) > 0);
	CHECK_STR(got, want); /* both ends: the same pipe */
	close(p[0]);
	close(p[1]);
}

static void test_meminfo_uptime(void)
{
	CHECK(slurp("/proc/meminfo") > 0);
	long total = field_long("MemTotal"), free_kb = field_long("MemFree");
	CHECK(total > 0);
	CHECK(free_kb >= 0 && free_kb <= total);
	CHECK(field_long("MemAvailable") >= 0);
	CHECK(field_long("Buffers") >= 0 && field_long("Cached") >= 0);
	CHECK(field_long("SwapTotal") >= 0 && field_long("SwapFree") >= 0);
	CHECK(strstr(field("MemTotal"), " kB\n") != NULL);

	/* "secs.hh idle.hh"; reading again from offset 0 gives fresh data */
	int fd = open("/proc/uptime", O_RDONLY);
	char a[64] = "", b[64] = "";
	CHECK(fd >= 0 && read(fd, a, sizeof(a) - 1) > 0);
	double up, idle;
	CHECK_EQ(sscanf(a, "%lf %lf", &up, &idle), 2);
	CHECK(up > 0 && idle >= 0);
	CHECK(strchr(a, '.') && strchr(a, '.')[3] == ' ');
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t1);
	while ((t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec < 50000000L);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK(read(fd, b, sizeof(b) - 1) > 0);
	CHECK(strtod(b, NULL) >= up + 0.04);
	close(fd);
}

static void test_cpuinfo_loadavg_stat(void)
{
	int procs = 0;
	CHECK(slurp("/proc/cpuinfo") > 0);
	for (const char *l = text; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		procs += strncmp(l, "processor", 9) == 0;
	CHECK(procs >= 1);
	CHECK_EQ(procs, sysconf(_SC_NPROCESSORS_ONLN));
	if (field("isa")) /* a RISC-V machine; the host's is not */
		CHECK(strncmp(field("isa"), "rv64", 4) == 0);
	else
		SKIP("not a RISC-V /proc/cpuinfo");

	double l1, l5, l15;
	int running, total, last;
	CHECK(slurp("/proc/loadavg") > 0);
	CHECK_EQ(sscanf(text, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total, &last), 6);
	CHECK(l1 >= 0 && l5 >= 0 && l15 >= 0);
	CHECK(running >= 1 && total >= running && last >= 1);

	CHECK(slurp("/proc/stat") > 0);
	unsigned long user, nice, sys, idle;
	CHECK_EQ(sscanf(text, "cpu  %lu %lu %lu %lu", &user, &nice, &sys, &idle), 4);
	CHECK(user + nice + sys + idle > 0);
	const char *bt = strstr(text, "\nbtime ");
	CHECK(bt && strtol(bt + 7, NULL, 10) > 1600000000);
	CHECK(strstr(text, "\nprocesses ") != NULL);
	CHECK(strstr(text, "\nprocs_running ") != NULL);
}

static void test_mounts_filesystems(void)
{
	const char *files[] = {"/proc/mounts", "/proc/self/mounts"};
	char *save;

	for (int i = 0; i < 2; i++) {
		int proc = 0, lines = 0, bad = 0;
		CHECK(slurp(files[i]) > 0);
		for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char src[256], dir[1024], type[64], opts[512];
			int dump, pass;
			lines++;
			if (sscanf(l, "%255s %1023s %63s %511s %d %d", src, dir, type, opts, &dump,
			           &pass) != 6) {
				bad++;
				continue;
			}
			proc |= strcmp(dir, "/proc") == 0 && strcmp(type, "proc") == 0;
			bad += strncmp(opts, "rw", 2) != 0 && strncmp(opts, "ro", 2) != 0;
		}
		CHECK(lines > 0);
		CHECK_EQ(bad, 0);
		CHECK(proc);
	}

	int proc = 0, bad = 0;
	CHECK(slurp("/proc/filesystems") > 0);
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		proc |= strcmp(l, "nodev\tproc") == 0;
		bad += !(strncmp(l, "nodev\t", 6) == 0 || l[0] == '\t');
	}
	CHECK(proc);
	CHECK_EQ(bad, 0);
}

static void test_version_sys(void)
{
	struct utsname u;
	char want[512];

	CHECK_EQ(uname(&u), 0);
	CHECK(slurp("/proc/version") > 0);
	CHECK(strncmp(text, "Linux version ", 14) == 0);
	CHECK(slurp("/proc/sys/kernel/ostype") > 0);
	CHECK_STR(text, "Linux\n");
	snprintf(want, sizeof(want), "%s\n", u.release);
	CHECK(slurp("/proc/sys/kernel/osrelease") > 0);
	CHECK_STR(text, want);
	snprintf(want, sizeof(want), "%s\n", u.nodename);
	CHECK(slurp("/proc/sys/kernel/hostname") > 0);
	CHECK_STR(text, want);
}

/* /proc lists our own pid and "self". */
static void test_readdir_root(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int self = 0, me = 0, entries = 0;

	CHECK(d != NULL);
	errno = 0;
	while (d && (e = readdir(d)) != NULL) {
		entries++;
		self |= strcmp(e->d_name, "self") == 0;
		me |= atoi(e->d_name) == getpid() && e->d_type == DT_DIR;
	}
	CHECK_EQ(errno, 0); /* readdir ended without an error */
	CHECK(entries > 0);
	CHECK(self);
	CHECK(me);
	if (d)
		closedir(d);
}

int main(int argc, char **argv)
{
	char exe[4096];

	test_self_link();
	test_stat();
	test_status();
	test_cmdline_environ(argc, argv);
	test_links(exe, sizeof(exe));
	test_maps(exe);
	test_fds();
	test_meminfo_uptime();
	test_cpuinfo_loadavg_stat();
	test_mounts_filesystems();
	test_version_sys();
	test_readdir_root();
	return ltest_done("procfs");
}
