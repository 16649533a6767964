/*
 * Capabilities: capget/capset with arbitrary sets (Linux's subset rules
 * for the effective, permitted and inheritable sets), the checks that
 * use them (chown needs CAP_CHOWN, setuid CAP_SETUID), the way they
 * follow uid changes (keepcaps, seteuid, setfsuid) and exec, and the
 * header versions.  Run as root (Scarlet; Debian's kernel in
 * tools/linux-vm.sh; the host's container root, whatever its bounding set).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

extern char **environ;

struct caps {
	uint64_t eff, perm, inh;
};

static int get_caps(struct caps *c)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) != 0)
		return -1;
	c->eff = d[0].effective | (uint64_t)d[1].effective << 32;
	c->perm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	c->inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

static int set_caps(uint64_t eff, uint64_t perm, uint64_t inh)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {
	    {(uint32_t)eff, (uint32_t)perm, (uint32_t)inh},
	    {(uint32_t)(eff >> 32), (uint32_t)(perm >> 32), (uint32_t)(inh >> 32)}};
	return (int)syscall(SYS_capset, &h, d);
}

#define BIT(cap) (1ULL << (cap))

static int wait_exit(pid_t pid)
{
	int st = -1;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

static const char *file = "caps-file";
static int file_fd; /* open on it: uid 1000 may not search the directory */

/* Child bodies: each returns 0 when everything held, else the step. */
static int drop_and_raise(void)
{
	struct caps c;
	get_caps(&c);
	uint64_t all = c.perm;
	if (set_caps(all & ~BIT(CAP_CHOWN), all, 0) != 0)
		return 1;
	get_caps(&c);
	if (c.eff != (all & ~BIT(CAP_CHOWN)) || c.perm != all || c.inh != 0)
		return 2;
	if (chown(file, 65534, 65534) != -1 || errno != EPERM)
		return 3;                            /* root without CAP_CHOWN */
	if (set_caps(all, all, BIT(CAP_CHOWN)) != 0) /* back: it is still permitted */
		return 4;
	if (chown(file, 65534, 65534) != 0)
		return 5;
	if (set_caps(0, all & ~BIT(CAP_CHOWN), BIT(CAP_CHOWN)) != 0) /* inheritable kept */
		return 6;
	if (set_caps(BIT(CAP_CHOWN), all & ~BIT(CAP_CHOWN), 0) != -1 || errno != EPERM)
		return 7; /* effective beyond permitted */
	if (set_caps(0, all, 0) != -1 || errno != EPERM)
		return 8;           /* permitted cannot grow */
	if (set_caps(0, 0, 0) != 0) /* drop everything, as stress-ng does */
		return 9;
	get_caps(&c);
	if (c.eff || c.perm || c.inh)
		return 10;
	if (setuid(1000) != -1 || errno != EPERM)
		return 11; /* root, but without CAP_SETUID */
	if (set_caps(0, 0, BIT(CAP_KILL)) != -1 || errno != EPERM)
		return 12; /* inheritable beyond inheritable | permitted, no CAP_SETPCAP */
	return 0;
}

static int keepcaps(void)
{
	struct caps c, before;
	get_caps(&before);
	if (prctl(PR_SET_KEEPCAPS, 1) != 0)
		return 1;
	if (setresuid(1000, 1000, 1000) != 0)
		return 2;
	get_caps(&c);
	if (c.eff != 0 || c.perm != before.perm)
		return 3; /* effective emptied, permitted kept */
	if (set_caps(BIT(CAP_CHOWN), before.perm, 0) != 0)
		return 4;
	if (fchown(file_fd, 65534, 65534) != 0)
		return 5; /* uid 1000 with CAP_CHOWN */
	return 0;
}

static int no_keepcaps(void)
{
	struct caps c;
	if (setresuid(1000, 1000, 1000) != 0)
		return 1;
	get_caps(&c);
	if (c.eff || c.perm)
		return 2;
	if (fchown(file_fd, 0, 0) != -1 || errno != EPERM)
		return 3;
	if (set_caps(0, BIT(CAP_CHOWN), 0) != -1 || errno != EPERM)
		return 4;
	return 0;
}

static int seteuid_and_back(void)
{
	struct caps c, before;
	get_caps(&before);
	if (seteuid(1000) != 0)
		return 1;
	get_caps(&c);
	if (c.eff != 0 || c.perm != before.perm)
		return 2;
	if (seteuid(0) != 0)
		return 3;
	get_caps(&c);
	if (c.eff != before.perm)
		return 4; /* effective = permitted again */
	setfsuid(1000);
	get_caps(&c);
	if ((c.eff & BIT(CAP_CHOWN)) || !(c.eff & BIT(CAP_KILL)))
		return 5; /* only the filesystem capabilities follow the fsuid */
	setfsuid(0);
	get_caps(&c);
	if (!(c.eff & BIT(CAP_CHOWN)))
		return 6;
	return 0;
}

static int in_child(int (*fn)(void))
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn());
	return wait_exit(pid);
}

static void test_versions(void)
{
	struct __user_cap_header_struct h = {0x12345678, 0};
	struct __user_cap_data_struct d[2];
	CHECK_ERR(syscall(SYS_capget, &h, d), EINVAL);
	CHECK_EQ(h.version, _LINUX_CAPABILITY_VERSION_3);
	h.version = 0x12345678;
	CHECK_EQ(syscall(SYS_capget, &h, NULL), 0); /* a probe */
	h.version = _LINUX_CAPABILITY_VERSION_1;
	CHECK_EQ(syscall(SYS_capget, &h, d), 0);
	h.version = _LINUX_CAPABILITY_VERSION_3;
	h.pid = getppid();
	CHECK_EQ(syscall(SYS_capget, &h, d), 0);
	CHECK_ERR(syscall(SYS_capset, &h, d), EPERM); /* only oneself */
	h.pid = 0;
	CHECK_ERR(syscall(SYS_capset, &h, (void *)8), EFAULT);
}

/* The Linux tree's /etc/passwd and /etc/group have the usual system
 * users and groups. */
static void test_system_users(void)
{
	if (access("/etc/passwd", R_OK) != 0) {
		SKIP("no /etc/passwd here (a bare root)");
		return;
	}
	static const struct {
		const char *name;
		unsigned id;
	} users[] = {{"root", 0}, {"daemon", 1}, {"bin", 2}, {"sys", 3}, {"nobody", 65534}},
	  groups[] = {{"root", 0}, {"daemon", 1}, {"bin", 2}, {"sys", 3}, {"nogroup", 65534}};
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		struct passwd *pw = getpwnam(users[i].name);
		CHECK(pw != NULL);
		if (pw)
			CHECK_EQ(pw->pw_uid, users[i].id);
		struct group *gr = getgrnam(groups[i].name);
		CHECK(gr != NULL);
		if (gr)
			CHECK_EQ(gr->gr_gid, groups[i].id);
	}
	struct passwd *pw = getpwuid(65534);
	CHECK(pw && !strcmp(pw->pw_name, "nobody"));
}

int main(void)
{
	test_system_users();
	struct caps c;
	CHECK_EQ(get_caps(&c), 0);
	CHECK((c.eff & ~c.perm) == 0);
	test_versions();
	if (geteuid() != 0 || !(c.eff & BIT(CAP_CHOWN)) || !(c.eff & BIT(CAP_SETUID)) ||
	    !(c.eff & BIT(CAP_KILL))) {
		SKIP("needs root with CAP_CHOWN, CAP_SETUID and CAP_KILL");
		return ltest_done("caps");
	}
	file_fd = open(file, O_CREAT | O_WRONLY, 0644);
	CHECK(file_fd >= 0);
	CHECK_EQ(in_child(drop_and_raise), 0);
	CHECK_EQ(in_child(keepcaps), 0);
	CHECK_EQ(chown(file, 0, 0), 0);
	CHECK_EQ(in_child(no_keepcaps), 0);
	CHECK_EQ(in_child(seteuid_and_back), 0);
	close(file_fd);
	unlink(file);
	return ltest_done("caps");
}
