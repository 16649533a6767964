/*
 * Credentials (see cred.h): the set*id rules and the checks built on
 * them.  The rules are Linux's: an unprivileged task may only move its
 * ids among the values it already holds.  Pure logic on struct cred (the
 * host tests link it); what needs tasks is in cred_task.c.
 */
#include "proc/cred.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/vfs.h"

/* The capabilities that follow the fsuid (Linux's CAP_FS_MASK). */
#define CAP_FS_MASK                                                                                \
	((1ULL << CAP_CHOWN) | (1ULL << CAP_DAC_OVERRIDE) | (1ULL << CAP_DAC_READ_SEARCH) |        \
	 (1ULL << CAP_FOWNER) | (1ULL << CAP_FSETID) | (1ULL << CAP_LINUX_IMMUTABLE) |             \
	 (1ULL << CAP_MKNOD) | (1ULL << CAP_MAC_OVERRIDE))

bool cred_capable(const struct cred *c, int cap)
{
	return cap >= 0 && cap <= CAP_LAST_CAP && !(c->cap_eff_off & (1ULL << cap));
}

void cred_caps(const struct cred *c, uint64_t *eff, uint64_t *perm, uint64_t *inh)
{
	*eff = CAP_ALL & ~c->cap_eff_off;
	*perm = CAP_ALL & ~c->cap_perm_off;
	*inh = c->cap_inh & CAP_ALL;
}

static bool subset(uint64_t a, uint64_t b)
{
	return (a & ~b) == 0;
}

int cred_capset(struct cred *c, uint64_t eff, uint64_t perm, uint64_t inh)
{
	uint64_t old_eff, old_perm, old_inh;
	cred_caps(c, &old_eff, &old_perm, &old_inh);
	eff &= CAP_ALL;
	perm &= CAP_ALL;
	inh &= CAP_ALL;
	if (!cred_capable(c, CAP_SETPCAP) && !subset(inh, old_inh | old_perm))
		return -EPERM;
	if (!subset(perm, old_perm) || !subset(eff, perm))
		return -EPERM;
	c->cap_eff_off = CAP_ALL & ~eff;
	c->cap_perm_off = CAP_ALL & ~perm;
	c->cap_inh = inh;
	return 0;
}

/* Linux's capability rules for a change of the user ids from old. */
static void caps_follow_uids(struct cred *c, const struct cred *old)
{
	bool was_root = old->uid == 0 || old->euid == 0 || old->suid == 0;
	bool is_root = c->uid == 0 || c->euid == 0 || c->suid == 0;
	if (was_root && !is_root && !c->keepcaps)
		c->cap_perm_off = c->cap_eff_off = CAP_ALL;
	if (old->euid == 0 && c->euid != 0)
		c->cap_eff_off = CAP_ALL;
	if (old->euid != 0 && c->euid == 0)
		c->cap_eff_off = c->cap_perm_off;
}

/* ... and of the fsuid alone. */
static void caps_follow_fsuid(struct cred *c, uint32_t old_fsuid)
{
	if (old_fsuid == 0 && c->fsuid != 0)
		c->cap_eff_off |= CAP_FS_MASK;
	if (old_fsuid != 0 && c->fsuid == 0)
		c->cap_eff_off &= ~(CAP_FS_MASK & ~c->cap_perm_off);
}

bool cred_in_group(const struct cred *c, uint32_t gid)
{
	if (c->fsgid == gid)
		return true;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

void cred_override_real(struct cred_fs_ids *saved)
{
	struct cred *c = cred_current_mut();

	if (!c)
		return;
	saved->fsuid = c->fsuid;
	saved->fsgid = c->fsgid;
	saved->cap_eff_off = c->cap_eff_off;
	c->fsuid = c->uid;
	c->fsgid = c->gid;
	c->cap_eff_off = c->uid == 0 ? c->cap_perm_off : CAP_ALL;
}

void cred_override_end(const struct cred_fs_ids *saved)
{
	struct cred *c = cred_current_mut();

	if (!c)
		return;
	c->fsuid = saved->fsuid;
	c->fsgid = saved->fsgid;
	c->cap_eff_off = saved->cap_eff_off;
}

/* id is one of the three an unprivileged task may switch among. */
static bool holds(uint32_t id, uint32_t r, uint32_t e, uint32_t s)
{
	return id == r || id == e || id == s;
}

/* One family (uid or gid) of ids, so both share the rules below. */
struct ids {
	uint32_t *r, *e, *s, *fs;
};

static struct ids uids(struct cred *c)
{
	return (struct ids){&c->uid, &c->euid, &c->suid, &c->fsuid};
}

static struct ids gids(struct cred *c)
{
	return (struct ids){&c->gid, &c->egid, &c->sgid, &c->fsgid};
}

static int set_one(struct ids ids, bool admin, uint32_t id)
{
	if (id == CRED_KEEP)
		return -EINVAL;
	if (admin) {
		*ids.r = *ids.s = id;
	} else if (id != *ids.r && id != *ids.s) {
		return -EPERM;
	}
	*ids.e = *ids.fs = id;
	return 0;
}

static int set_re(struct ids ids, bool admin, uint32_t r, uint32_t e)
{
	uint32_t old_r = *ids.r;

	if (!admin && r != CRED_KEEP && r != *ids.r && r != *ids.e)
		return -EPERM;
	if (!admin && e != CRED_KEEP && !holds(e, *ids.r, *ids.e, *ids.s))
		return -EPERM;
	if (r != CRED_KEEP)
		*ids.r = r;
	if (e != CRED_KEEP)
		*ids.e = e;
	/* Linux: the saved id follows when the real one is set or the
	 * effective one moves away from the old real id. */
	if (r != CRED_KEEP || (e != CRED_KEEP && e != old_r))
		*ids.s = *ids.e;
	*ids.fs = *ids.e;
	return 0;
}

static int set_res(struct ids ids, bool admin, uint32_t r, uint32_t e, uint32_t s)
{
	if (!admin) {
		uint32_t want[3] = {r, e, s};
		for (int i = 0; i < 3; i++)
			if (want[i] != CRED_KEEP && !holds(want[i], *ids.r, *ids.e, *ids.s))
				return -EPERM;
	}
	if (r != CRED_KEEP)
		*ids.r = r;
	if (e != CRED_KEEP)
		*ids.e = e;
	if (s != CRED_KEEP)
		*ids.s = s;
	*ids.fs = *ids.e;
	return 0;
}

static uint32_t set_fs(struct ids ids, bool admin, uint32_t id)
{
	uint32_t old = *ids.fs;

	if (id != CRED_KEEP && (admin || holds(id, *ids.r, *ids.e, *ids.s) || id == old))
		*ids.fs = id;
	return old;
}

/* Runs a change of the user ids with the capability rules after it. */
#define UID_CHANGE(c, call)                                                                        \
	({                                                                                         \
		struct cred old_ = *(c);                                                           \
		int r_ = (call);                                                                   \
		if (r_ == 0)                                                                       \
			caps_follow_uids((c), &old_);                                              \
		r_;                                                                                \
	})

int cred_setuid(struct cred *c, uint32_t uid)
{
	return UID_CHANGE(c, set_one(uids(c), cred_capable(c, CAP_SETUID), uid));
}

int cred_setreuid(struct cred *c, uint32_t ruid, uint32_t euid)
{
	return UID_CHANGE(c, set_re(uids(c), cred_capable(c, CAP_SETUID), ruid, euid));
}

int cred_setresuid(struct cred *c, uint32_t ruid, uint32_t euid, uint32_t suid)
{
	return UID_CHANGE(c, set_res(uids(c), cred_capable(c, CAP_SETUID), ruid, euid, suid));
}

int cred_setgid(struct cred *c, uint32_t gid)
{
	return set_one(gids(c), cred_capable(c, CAP_SETGID), gid);
}

int cred_setregid(struct cred *c, uint32_t rgid, uint32_t egid)
{
	return set_re(gids(c), cred_capable(c, CAP_SETGID), rgid, egid);
}

int cred_setresgid(struct cred *c, uint32_t rgid, uint32_t egid, uint32_t sgid)
{
	return set_res(gids(c), cred_capable(c, CAP_SETGID), rgid, egid, sgid);
}

uint32_t cred_setfsuid(struct cred *c, uint32_t fsuid)
{
	uint32_t old = set_fs(uids(c), cred_capable(c, CAP_SETUID), fsuid);
	caps_follow_fsuid(c, old);
	return old;
}

uint32_t cred_setfsgid(struct cred *c, uint32_t fsgid)
{
	return set_fs(gids(c), cred_capable(c, CAP_SETGID), fsgid);
}

int cred_setgroups(struct cred *c, const uint32_t *groups, int n)
{
	if (n < 0 || n > CRED_NGROUPS_MAX)
		return -EINVAL;
	if (!cred_capable(c, CAP_SETGID))
		return -EPERM;
	/* kept sorted, as Linux (getgroups shows that order) */
	for (int i = 0; i < n; i++) {
		int j = i;
		for (; j > 0 && c->groups[j - 1] > groups[i]; j--)
			c->groups[j] = c->groups[j - 1];
		c->groups[j] = groups[i];
	}
	c->ngroups = n;
	return 0;
}

bool cred_exec(struct cred *c, const struct vattr *file, bool nosuid)
{
	if (!nosuid && S_ISREG(file->mode) && (file->mode & S_ISUID))
		c->euid = file->uid;
	/* set-group-ID without group execute marks mandatory locking, not a
	 * privilege (as Linux) */
	if (!nosuid && S_ISREG(file->mode) && (file->mode & (S_ISGID | 0010)) == (S_ISGID | 0010))
		c->egid = file->gid;
	c->suid = c->fsuid = c->euid;
	c->sgid = c->fsgid = c->egid;
	/* no file has capabilities: root (real or effective) gets every one
	 * permitted, effective with an effective uid 0; others none */
	c->cap_perm_off = c->euid == 0 || c->uid == 0 ? 0 : CAP_ALL;
	c->cap_eff_off = c->euid == 0 ? c->cap_perm_off : CAP_ALL;
	c->keepcaps = false;
	return c->euid != c->uid || c->egid != c->gid;
}
