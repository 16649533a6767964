/*
 * Linux credential calls over proc/cred.h: get/set of the real,
 * effective, saved and filesystem ids, supplementary groups, and
 * and capget/capset over the capability sets of proc/cred.h.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "proc/cred.h"
#include "proc/pid_ns.h"
#include "proc/task.h"

/* Ids travel as 32-bit values; -1 means "unchanged" (CRED_KEEP). */
#define ID(a) ((uint32_t)(a))

LINUX_SYSCALL(getuid)
{
	LINUX_UNUSED();
	return cred_current()->uid;
}

LINUX_SYSCALL(geteuid)
{
	LINUX_UNUSED();
	return cred_current()->euid;
}

LINUX_SYSCALL(getgid)
{
	LINUX_UNUSED();
	return cred_current()->gid;
}

LINUX_SYSCALL(getegid)
{
	LINUX_UNUSED();
	return cred_current()->egid;
}

LINUX_SYSCALL(setuid)
{
	LINUX_UNUSED();
	return cred_setuid(cred_current_mut(), ID(a0));
}

LINUX_SYSCALL(setgid)
{
	LINUX_UNUSED();
	return cred_setgid(cred_current_mut(), ID(a0));
}

LINUX_SYSCALL(setreuid)
{
	LINUX_UNUSED();
	return cred_setreuid(cred_current_mut(), ID(a0), ID(a1));
}

LINUX_SYSCALL(setregid)
{
	LINUX_UNUSED();
	return cred_setregid(cred_current_mut(), ID(a0), ID(a1));
}

LINUX_SYSCALL(setresuid)
{
	LINUX_UNUSED();
	return cred_setresuid(cred_current_mut(), ID(a0), ID(a1), ID(a2));
}

LINUX_SYSCALL(setresgid)
{
	LINUX_UNUSED();
	return cred_setresgid(cred_current_mut(), ID(a0), ID(a1), ID(a2));
}

static long put_three(uint64_t ua, uint64_t ub, uint64_t uc, uint32_t a, uint32_t b, uint32_t c)
{
	if (copy_to_user((void *)ua, &a, 4) < 0 || copy_to_user((void *)ub, &b, 4) < 0 ||
	    copy_to_user((void *)uc, &c, 4) < 0)
		return -EFAULT;
	return 0;
}

LINUX_SYSCALL(getresuid)
{
	const struct cred *c = cred_current();
	LINUX_UNUSED();
	return put_three(a0, a1, a2, c->uid, c->euid, c->suid);
}

LINUX_SYSCALL(getresgid)
{
	const struct cred *c = cred_current();
	LINUX_UNUSED();
	return put_three(a0, a1, a2, c->gid, c->egid, c->sgid);
}

LINUX_SYSCALL(setfsuid)
{
	LINUX_UNUSED();
	return cred_setfsuid(cred_current_mut(), ID(a0));
}

LINUX_SYSCALL(setfsgid)
{
	LINUX_UNUSED();
	return cred_setfsgid(cred_current_mut(), ID(a0));
}

LINUX_SYSCALL(getgroups)
{
	const struct cred *c = cred_current();
	int size = (int)a0;
	LINUX_UNUSED();
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (size < c->ngroups)
		return -EINVAL;
	if (copy_to_user((void *)a1, c->groups, (size_t)c->ngroups * 4) < 0)
		return -EFAULT;
	return c->ngroups;
}

/* Linux's limit (NGROUPS_MAX); we store at most CRED_NGROUPS_MAX. */
#define LINUX_NGROUPS_MAX 65536

LINUX_SYSCALL(setgroups)
{
	struct cred *c = cred_current_mut();
	uint32_t groups[CRED_NGROUPS_MAX];
	int n = (int)a0;
	LINUX_UNUSED();
	if (!cred_capable(c, CAP_SETGID))
		return -EPERM;
	if (n < 0 || n > LINUX_NGROUPS_MAX)
		return -EINVAL;
	if (n > CRED_NGROUPS_MAX) {
		abi_log_missing("linux: pid %d: setgroups: %d groups, at most %d supported\n",
		                current()->pid, n, CRED_NGROUPS_MAX);
		return -EINVAL;
	}
	if (copy_from_user(groups, (const void *)a1, (size_t)n * 4) < 0)
		return -EFAULT;
	return cred_setgroups(c, groups, n);
}

/* capget/capset: struct __user_cap_header_struct and _data_struct. */
#define CAP_VERSION_1 0x19980330
#define CAP_VERSION_2 0x20071026
#define CAP_VERSION_3 0x20080522

struct cap_header {
	uint32_t version;
	int32_t pid;
};

struct cap_data {
	uint32_t effective, permitted, inheritable;
};

/* Number of data structs for a version; writes the preferred version
 * back and fails with EINVAL for an unknown one, as Linux. */
static int cap_words(uint64_t uhdr, struct cap_header *h)
{
	if (copy_from_user(h, (const void *)uhdr, sizeof(*h)) < 0)
		return -EFAULT;
	if (h->version == CAP_VERSION_1)
		return 1;
	if (h->version == CAP_VERSION_2 || h->version == CAP_VERSION_3)
		return 2;
	h->version = CAP_VERSION_3;
	if (copy_to_user((void *)uhdr, &h->version, 4) < 0)
		return -EFAULT;
	return -EINVAL;
}

static void caps_of(const struct cred *c, struct cap_data d[2])
{
	uint64_t eff, perm, inh;
	cred_caps(c, &eff, &perm, &inh);
	for (int i = 0; i < 2; i++) {
		d[i].effective = (uint32_t)(eff >> (32 * i));
		d[i].permitted = (uint32_t)(perm >> (32 * i));
		d[i].inheritable = (uint32_t)(inh >> (32 * i));
	}
}

/* The credentials of header pid (0: the caller); ESRCH. */
static int cap_target(int32_t pid, struct cred *out)
{
	if (pid < 0)
		return -EINVAL;
	if (pid == 0 || pid == task_pid_vnr(current())) {
		*out = *cred_current();
		return 0;
	}
	spin_lock(&task_tree_lock);
	struct task *t = task_find_vnr(pid);
	if (t)
		*out = t->cred;
	spin_unlock(&task_tree_lock);
	return t ? 0 : -ESRCH;
}

LINUX_SYSCALL(capget)
{
	struct cap_header h;
	struct cap_data d[2];
	struct cred c;
	int words = cap_words(a0, &h), r;
	LINUX_UNUSED();
	if (a1 == 0)
		return words == -EINVAL || words > 0 ? 0 : words;
	if (words < 0)
		return words;
	if ((r = cap_target(h.pid, &c)) < 0)
		return r;
	caps_of(&c, d);
	if (copy_to_user((void *)a1, d, (size_t)words * sizeof(d[0])) < 0)
		return -EFAULT;
	return 0;
}

/* Linux's rules (cred_capset); a v1 header sets the upper 32 bits to 0. */
LINUX_SYSCALL(capset)
{
	struct cap_header h;
	struct cap_data want[2] = {0};
	int words = cap_words(a0, &h);
	LINUX_UNUSED();
	if (words < 0)
		return words;
	if (h.pid != 0 && h.pid != current()->pid)
		return -EPERM;
	if (copy_from_user(want, (const void *)a1, (size_t)words * sizeof(want[0])) < 0)
		return -EFAULT;
	struct cred *c = cred_current_mut();
	if (!c)
		return -EPERM;
	uint64_t eff = want[0].effective | (uint64_t)want[1].effective << 32;
	uint64_t perm = want[0].permitted | (uint64_t)want[1].permitted << 32;
	uint64_t inh = want[0].inheritable | (uint64_t)want[1].inheritable << 32;
	return cred_capset(c, eff, perm, inh);
}
