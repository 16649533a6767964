/*
 * File permission checks (see permission.h): the classic owner / group /
 * other choice of mode bits, the sticky-directory rule and the
 * chmod/chown/utimes rules, as Linux applies them when capabilities are
 * "all for fsuid 0, none otherwise".
 */
#include "fs/permission.h"

#include "fs/vfs_impl.h"
#include "proc/cred.h"

int vfs_permission_attr(const struct vattr *va, int mask)
{
	const struct cred *c = cred_current();
	uint32_t mode = va->mode, bits;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (cred_capable(c, CAP_DAC_OVERRIDE)) {
		if (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111))
			return 0;
		return -EACCES;
	}
	if (c->fsuid == va->uid)
		bits = mode >> 6;
	else if (cred_in_group(c, va->gid))
		bits = mode >> 3;
	else
		bits = mode;
	return ((bits & 7) & (unsigned)mask) == (unsigned)mask ? 0 : -EACCES;
}

int vfs_permission(struct vnode *vn, int mask)
{
	struct vattr va;
	int err;

	/* the hot case, path walk by root: no attributes needed */
	if (cred_capable(cred_current(), CAP_DAC_OVERRIDE) &&
	    (!(mask & MAY_EXEC) || S_ISDIR(vn->mode)))
		return 0;
	err = vnode_getattr(vn, &va);
	return err < 0 ? err : vfs_permission_attr(&va, mask);
}

int vfs_may_create(struct vnode *dir)
{
	return vfs_permission(dir, MAY_WRITE | MAY_EXEC);
}

/* The task owns the file (or may act as if: fsuid 0). */
static bool owns(const struct cred *c, const struct vattr *va)
{
	return cred_capable(c, CAP_FOWNER) || c->fsuid == va->uid;
}

int vfs_may_delete(struct vnode *dir, struct vnode *victim)
{
	const struct cred *c = cred_current();
	struct vattr dva, vva;
	int err = vfs_may_create(dir);

	if (err < 0 || cred_capable(c, CAP_FOWNER))
		return err;
	if ((err = vnode_getattr(dir, &dva)) < 0)
		return err;
	if (!(dva.mode & S_ISVTX) || c->fsuid == dva.uid)
		return 0;
	if ((err = vnode_getattr(victim, &vva)) < 0)
		return err;
	return c->fsuid == vva.uid ? 0 : -EPERM;
}

static int chown_permission(const struct cred *c, const struct vattr *cur, struct vattr *va,
                            unsigned mask)
{
	bool admin = cred_capable(c, CAP_CHOWN);

	if ((mask & VATTR_UID) && va->uid != cur->uid && !admin)
		return -EPERM;
	if ((mask & VATTR_UID) && c->fsuid != cur->uid && !admin)
		return -EPERM;
	if ((mask & VATTR_GID) && !admin &&
	    (c->fsuid != cur->uid || (va->gid != cur->gid && !cred_in_group(c, va->gid))))
		return -EPERM;
	return 0;
}

int vfs_setattr_permission(struct vnode *vn, struct vattr *va, unsigned *mask)
{
	const struct cred *c = cred_current();
	struct vattr cur;
	int err = vnode_getattr(vn, &cur);

	if (err < 0)
		return err;
	if ((*mask & (VATTR_UID | VATTR_GID)) && (err = chown_permission(c, &cur, va, *mask)) < 0)
		return err;
	if ((*mask & VATTR_MODE) && !owns(c, &cur))
		return -EPERM;
	if ((*mask & VATTR_TIMES_SET) && !owns(c, &cur))
		return -EPERM;
	if ((*mask & (VATTR_ATIME | VATTR_MTIME)) && !owns(c, &cur) &&
	    (err = vfs_permission_attr(&cur, MAY_WRITE)) < 0)
		return err;
	if ((*mask & VATTR_MODE) && (va->mode & S_ISGID) && !cred_capable(c, CAP_FSETID) &&
	    !cred_in_group(c, (*mask & VATTR_GID) ? va->gid : cur.gid))
		va->mode &= ~S_ISGID;
	/* a new owner must not inherit the old one's privileges */
	if ((*mask & (VATTR_UID | VATTR_GID)) && !S_ISDIR(cur.mode)) {
		uint32_t mode = (*mask & VATTR_MODE) ? va->mode : cur.mode;
		uint32_t kill = S_ISUID | ((mode & 0010) ? S_ISGID : 0);
		if (mode & kill) {
			va->mode = mode & 07777 & ~kill;
			*mask |= VATTR_MODE;
		}
	}
	return 0;
}

void vfs_init_owner(struct vnode *dir, struct vnode *vn)
{
	const struct cred *c = cred_current();
	struct vattr dva, va = {.uid = c->fsuid, .gid = c->fsgid};
	unsigned mask = VATTR_UID | VATTR_GID;

	if (!vn->ops->setattr || vnode_getattr(dir, &dva) < 0)
		return;
	if (dva.mode & S_ISGID) {
		va.gid = dva.gid;
		if (S_ISDIR(vn->mode)) {
			va.mode = (vn->mode & 07777) | S_ISGID;
			mask |= VATTR_MODE;
		}
	}
	if (va.uid == 0 && va.gid == 0 && mask == (VATTR_UID | VATTR_GID))
		return; /* what every filesystem gives a new file */
	/* FAT stores no owners: it refuses (EPERM) and keeps its own */
	vn->ops->setattr(vn, &va, mask);
}
