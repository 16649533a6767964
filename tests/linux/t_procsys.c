/*
 * /proc/sys and the other system-wide tunables as Linux programs read
 * them: kernel/{pid_max,tainted,hostname,domainname,core_pattern,
 * osrelease,ostype,version,ngroups_max,threads-max}, fs/{pipe-max-size,
 * file-max,nr_open}, vm/max_map_count, /proc/cmdline, /proc/config.gz
 * and /proc/self/limits; writing hostname and core_pattern as root.
 *
 * Under qemu-riscv64-static on the host these are the host's files
 * (and the host's user, usually not root): only format and consistency
 * with uname, sysconf and getrlimit are asserted, and the root-only
 * parts run with --write (test_linux.py passes it on Scarlet).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

static char text[8192];
/* --write as root: change the host name and core pattern (and put them
 * back); the host runner leaves its machine's alone. */
static int write_tunables;

static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long len = 0, n;

	if (fd < 0)
		return -1;
	while (len < (long)sizeof(text) - 1 &&
	       (n = read(fd, text + len, sizeof(text) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	text[len] = '\0';
	return n < 0 ? -1 : len;
}

/* The file's one decimal number followed by a newline; -1 if not so. */
static long long number_file(const char *path)
{
	char *end;
	long long v;

	if (slurp(path) <= 0) {
		printf("  cannot read %s\n", path);
		return -1;
	}
	v = strtoll(text, &end, 10);
	if (end == text || strcmp(end, "\n") != 0 || v < 0) {
		printf("  %s is not a number: \"%s\"\n", path, text);
		return -1;
	}
	return v;
}

/* The file's one line, without its newline (in text); NULL if not so. */
static const char *line_file(const char *path)
{
	long n = slurp(path);

	if (n <= 0 || text[n - 1] != '\n' || strchr(text, '\n') != text + n - 1) {
		printf("  %s is not one line: \"%s\"\n", path, n > 0 ? text : "");
		return NULL;
	}
	text[n - 1] = '\0';
	return text;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static void test_numbers(void)
{
	CHECK(number_file("/proc/sys/kernel/pid_max") >= getpid());
	CHECK(number_file("/proc/sys/kernel/tainted") >= 0);
	CHECK(number_file("/proc/sys/kernel/threads-max") >= 20);
	CHECK(number_file("/proc/sys/fs/pipe-max-size") >= 4096);
	CHECK(number_file("/proc/sys/fs/file-max") > 0);
	CHECK(number_file("/proc/sys/vm/max_map_count") > 0);
	/* glibc's sysconf(_SC_NGROUPS_MAX) reads the file */
	long long ngroups = number_file("/proc/sys/kernel/ngroups_max");
	CHECK(ngroups > 0);
	CHECK_EQ(sysconf(_SC_NGROUPS_MAX), ngroups);
	/* no hard limit on descriptors above nr_open */
	long long nr_open = number_file("/proc/sys/fs/nr_open");
	struct rlimit rl;
	CHECK(nr_open > 0);
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	CHECK(rl.rlim_max <= (rlim_t)nr_open);
	rl.rlim_cur = rl.rlim_max = (rlim_t)nr_open + 1;
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &rl), EPERM);
}

static void test_strings(void)
{
	struct utsname u;
	const char *s;

	CHECK(uname(&u) == 0);
	CHECK((s = line_file("/proc/sys/kernel/hostname")) && strcmp(s, u.nodename) == 0);
	CHECK((s = line_file("/proc/sys/kernel/domainname")) && strcmp(s, u.domainname) == 0);
	CHECK((s = line_file("/proc/sys/kernel/osrelease")) && strcmp(s, u.release) == 0);
	CHECK((s = line_file("/proc/sys/kernel/ostype")) && strcmp(s, u.sysname) == 0);
	CHECK((s = line_file("/proc/sys/kernel/version")) && strcmp(s, u.version) == 0);
	CHECK((s = line_file("/proc/sys/kernel/core_pattern")) && *s);
	CHECK(line_file("/proc/cmdline") != NULL);

	struct stat st;
	CHECK(stat("/proc/sys/kernel/hostname", &st) == 0 && (st.st_mode & 07777) == 0644);
	CHECK(stat("/proc/sys/kernel/core_pattern", &st) == 0 && (st.st_mode & 07777) == 0644);
	CHECK(stat("/proc/sys/kernel/pid_max", &st) == 0 && S_ISREG(st.st_mode));
	CHECK(stat("/proc/sys/fs", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK_ERR(stat("/proc/sys/kernel/nosuch", &st), ENOENT);
}

/* Only root writes the tunables; others get EACCES at open. */
static void test_nonroot_writes(void)
{
	if (geteuid() == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			if (setuid(65534) < 0)
				_exit(2);
			errno = 0;
			int fd = open("/proc/sys/kernel/hostname", O_WRONLY);
			_exit(fd < 0 && errno == EACCES ? 0 : 1);
		}
		int status = -1;
		CHECK(waitpid(pid, &status, 0) == pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	} else {
		CHECK_ERR(open("/proc/sys/kernel/hostname", O_WRONLY), EACCES);
		CHECK_ERR(open("/proc/sys/kernel/core_pattern", O_WRONLY), EACCES);
	}
}

static void test_root_writes(void)
{
	char old_host[128], old_core[256], want[80];
	struct utsname u;
	const char *s;

	if (!write_tunables) {
		SKIP("writing hostname and core_pattern: run as root with --write (they are the "
		     "machine's)");
		return;
	}
	snprintf(old_host, sizeof(old_host), "%s\n", line_file("/proc/sys/kernel/hostname"));
	snprintf(old_core, sizeof(old_core), "%s\n", line_file("/proc/sys/kernel/core_pattern"));

	CHECK(write_file("/proc/sys/kernel/hostname", "ltest-host\n") == 0);
	CHECK(uname(&u) == 0);
	CHECK_STR(u.nodename, "ltest-host");
	CHECK((s = line_file("/proc/sys/kernel/hostname")) && strcmp(s, "ltest-host") == 0);
	/* longer than 64: cut to 64, as proc_dostring does */
	memset(want, 'h', 70);
	want[70] = '\0';
	CHECK(write_file("/proc/sys/kernel/hostname", want) == 0);
	want[64] = '\0';
	CHECK((s = line_file("/proc/sys/kernel/hostname")) && strcmp(s, want) == 0);
	CHECK(write_file("/proc/sys/kernel/hostname", old_host) == 0);

	CHECK(write_file("/proc/sys/kernel/core_pattern", "ltest.%p.%e\n") == 0);
	CHECK((s = line_file("/proc/sys/kernel/core_pattern")) && strcmp(s, "ltest.%p.%e") == 0);
	CHECK(write_file("/proc/sys/kernel/core_pattern", old_core) == 0);
	CHECK(write_file("/proc/sys/kernel/domainname", "ltest.domain\n") == 0);
	CHECK(uname(&u) == 0);
	CHECK_STR(u.domainname, "ltest.domain");
	CHECK(write_file("/proc/sys/kernel/domainname", "(none)\n") == 0);
}

static const char *const limit_names[] = {
    "Max cpu time",       "Max file size",     "Max data size",         "Max stack size",
    "Max core file size", "Max resident set",  "Max processes",         "Max open files",
    "Max locked memory",  "Max address space", "Max file locks",        "Max pending signals",
    "Max msgqueue size",  "Max nice priority", "Max realtime priority", "Max realtime timeout",
};

/* The soft and hard values of the named line of text. */
static int limit_line(const char *name, char soft[32], char hard[32])
{
	for (char *l = strchr(text, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
		if (strncmp(l + 1, name, strlen(name)) == 0 && l[1 + strlen(name)] == ' ')
			return sscanf(l + 26, "%31s %31s", soft, hard) == 2 ? 0 : -1;
	}
	return -1;
}

static void expect_limit(int res, const char *name)
{
	struct rlimit rl;
	char soft[32], hard[32], want[32];

	CHECK(getrlimit(res, &rl) == 0);
	CHECK(limit_line(name, soft, hard) == 0);
	if (rl.rlim_cur == RLIM_INFINITY)
		strcpy(want, "unlimited");
	else
		snprintf(want, sizeof(want), "%lu", (unsigned long)rl.rlim_cur);
	CHECK_STR(soft, want);
	if (rl.rlim_max == RLIM_INFINITY)
		strcpy(want, "unlimited");
	else
		snprintf(want, sizeof(want), "%lu", (unsigned long)rl.rlim_max);
	CHECK_STR(hard, want);
}

static void test_limits(void)
{
	struct rlimit rl;

	CHECK(getrlimit(RLIMIT_CORE, &rl) == 0);
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 12345 ? 12345 : rl.rlim_max;
	CHECK(setrlimit(RLIMIT_CORE, &rl) == 0);
	CHECK(slurp("/proc/self/limits") > 0);
	static const char header[] = "Limit                     Soft Limit           "
	                             "Hard Limit           Units     \n";
	CHECK(strncmp(text, header, strlen(header)) == 0);
	int lines = 0;
	for (char *p = text; *p; p++)
		lines += *p == '\n';
	CHECK_EQ(lines, 17);
	for (unsigned i = 0; i < sizeof(limit_names) / sizeof(limit_names[0]); i++) {
		char soft[32], hard[32];
		if (limit_line(limit_names[i], soft, hard) != 0)
			printf("  no line for %s\n", limit_names[i]);
		CHECK(limit_line(limit_names[i], soft, hard) == 0);
	}
	CHECK(strstr(text, "\nMax open files            ") != NULL);
	CHECK(strstr(text, " files     \n") != NULL);
	CHECK(strstr(text, "\nMax nice priority         ") != NULL);
	expect_limit(RLIMIT_CORE, "Max core file size");
	expect_limit(RLIMIT_NOFILE, "Max open files");
	expect_limit(RLIMIT_CPU, "Max cpu time");
	/* a parent's view: the same table for another process */
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/limits", getppid());
	CHECK(slurp(path) > 0 && strncmp(text, "Limit ", 6) == 0);
}

/* /proc/config.gz: a gzip stream of Linux's .config format, with the
 * options every kernel that has the file must have. */
static void test_config_gz(void)
{
	unsigned char head[3] = {0};
	int fd = open("/proc/config.gz", O_RDONLY);
	char line[512];
	int lines = 0, bad = 0, proc_fs = 0, ikconfig = 0;

	CHECK(fd >= 0);
	CHECK_EQ(read(fd, head, 3), 3);
	CHECK(head[0] == 0x1f && head[1] == 0x8b && head[2] == 8);
	close(fd);
	FILE *z = popen("zcat /proc/config.gz", "r");
	CHECK(z != NULL);
	while (z && fgets(line, sizeof(line), z)) {
		lines++;
		if (strcmp(line, "CONFIG_PROC_FS=y\n") == 0)
			proc_fs = 1;
		if (strcmp(line, "CONFIG_IKCONFIG_PROC=y\n") == 0)
			ikconfig = 1;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		size_t name = strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		if (strncmp(line, "CONFIG_", 7) != 0 || line[name] != '=' || !strchr(line, '\n')) {
			if (bad++ < 3)
				printf("  config line: %s", line);
		}
	}
	CHECK(z && pclose(z) == 0);
	CHECK(lines > 20);
	CHECK_EQ(bad, 0);
	CHECK(proc_fs && ikconfig);
}

int main(int argc, char **argv)
{
	write_tunables = argc > 1 && strcmp(argv[1], "--write") == 0 && geteuid() == 0;
	test_numbers();
	test_strings();
	test_nonroot_writes();
	test_root_writes();
	test_limits();
	test_config_gz();
	return ltest_done("procsys");
}
