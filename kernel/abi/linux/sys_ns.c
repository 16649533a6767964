/*
 * Linux namespace calls: unshare, setns (with descriptors of
 * /proc/PID/ns/KIND, fs/nsfs.h), and sethostname/setdomainname, which
 * write the caller's UTS namespace (proc/uts_ns.h).  Mount namespaces
 * are fs/ns.c's mnt_ns_clone.  clone's namespace flags are checked here
 * too (linux_clone_ns_flags) so unshare and clone agree.
 *
 * What exists: CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWPID (proc/pid_ns.h),
 * CLONE_NEWIPC (ipc/ipc_ns.h).  CLONE_NEWNET, NEWCGROUP, NEWTIME and
 * NEWUSER fail with EINVAL, as on a Linux built without those namespaces,
 * after the EPERM check Linux makes first.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "abi/linux/lns.h"
#include "fs/nsfs.h"
#include "fs/vfs.h"
#include "ipc/ipc_ns.h"
#include "mm/vm.h"
#include "obj/handle.h"
#include "proc/cred.h"
#include "proc/pid_ns.h"
#include "proc/task.h"
#include "proc/thread_group.h"
#include "proc/uts_ns.h"

#define UNSHARE_KNOWN                                                                              \
	(LCLONE_VM | LCLONE_FS | LCLONE_FILES | LCLONE_SIGHAND | LCLONE_THREAD | LCLONE_SYSVSEM |  \
	 LCLONE_NEWNS | LCLONE_NEWUTS | LCLONE_NEWIPC | LCLONE_NEWPID | LCLONE_NEWNET |            \
	 LCLONE_NEWUSER | LCLONE_NEWCGROUP | LCLONE_NEWTIME)

long linux_ns_flags_check(uint64_t flags)
{
	if (flags & LCLONE_NEWUSER) {
		abi_log_missing("linux: pid %d: user namespaces are not implemented\n",
		                current()->pid);
		return -EINVAL; /* Linux without CONFIG_USER_NS, checked before EPERM */
	}
	if (!(flags & LCLONE_NS_ALL))
		return 0;
	if (!cred_capable(cred_current(), CAP_SYS_ADMIN))
		return -EPERM; /* CAP_SYS_ADMIN */
	if (flags & LCLONE_NS_MISSING) {
		abi_log_missing("linux: pid %d: namespaces %#lx are not implemented\n",
		                current()->pid, (unsigned long)(flags & LCLONE_NS_MISSING));
		return -EINVAL; /* Linux without CONFIG_PID_NS, NET_NS, ... */
	}
	return 0;
}

/* Linux refuses to unshare what other tasks still share: the process
 * (CLONE_THREAD), dispositions (CLONE_SIGHAND) and memory (CLONE_VM) can
 * be unshared only when nothing shares them already. */
static long check_unshare_shared(uint64_t flags)
{
	struct task *t = current();
	if ((flags & (LCLONE_THREAD | LCLONE_SIGHAND | LCLONE_VM)) && thread_group_count(t) > 1)
		return -EINVAL;
	if ((flags & LCLONE_VM) && __atomic_load_n(&t->mm->refcount, __ATOMIC_ACQUIRE) > 1)
		return -EINVAL;
	return 0;
}

static long unshare_fs(struct task *t)
{
	if (__atomic_load_n(&t->fs->refcount, __ATOMIC_ACQUIRE) <= 1)
		return 0;
	struct fs_struct *old = t->fs, *c = fs_struct_clone(old);
	if (!c)
		return -ENOMEM;
	spin_lock(&t->lock); /* /proc readers take references there */
	t->fs = c;
	spin_unlock(&t->lock);
	fs_struct_put(old);
	return 0;
}

static long unshare_files(struct task *t)
{
	if (__atomic_load_n(&t->handles->refcount, __ATOMIC_ACQUIRE) <= 1)
		return 0;
	struct handle_table *old = t->handles, *c = handle_table_clone(old);
	if (!c)
		return -ENOMEM;
	spin_lock(&t->lock);
	t->handles = c;
	spin_unlock(&t->lock);
	handle_table_put(old);
	return 0;
}

LINUX_SYSCALL(unshare)
{
	LINUX_UNUSED();
	struct task *t = current();
	uint64_t flags = a0;
	if (flags & ~(uint64_t)UNSHARE_KNOWN)
		return -EINVAL;
	if (flags & LCLONE_NEWNS)
		flags |= LCLONE_FS; /* Linux: a new mount tree needs its own root and cwd */
	long r = check_unshare_shared(flags);
	if (r == 0)
		r = linux_ns_flags_check(flags);
	if (r == 0 && (flags & LCLONE_NEWPID))
		r = pid_ns_unshare(t); /* first: its EINVAL leaves the rest as it was */
	if (r == 0 && (flags & LCLONE_FS))
		r = unshare_fs(t);
	if (r == 0 && (flags & LCLONE_FILES))
		r = unshare_files(t);
	if (r == 0 && (flags & LCLONE_NEWNS))
		r = mnt_ns_clone(t->fs);
	if (r == 0 && (flags & LCLONE_NEWUTS))
		r = uts_ns_unshare(t);
	if (r == 0 && (flags & LCLONE_NEWIPC))
		r = ipc_ns_unshare(t);
	/* CLONE_SYSVSEM: SEM_UNDO records are per process already */
	return r;
}

static long set_name(enum uts_field f, uint64_t uname, uint64_t ulen)
{
	char buf[UTS_NAME_LEN + 1];
	if (!cred_capable(cred_current(), CAP_SYS_ADMIN))
		return -EPERM; /* CAP_SYS_ADMIN */
	if ((int64_t)ulen < 0 || ulen > UTS_NAME_LEN)
		return -EINVAL;
	if (copy_from_user(buf, (const void *)uname, ulen) < 0)
		return -EFAULT;
	return uts_ns_write(uts_ns_of(current()), f, buf, ulen);
}

LINUX_SYSCALL(sethostname)
{
	LINUX_UNUSED();
	return set_name(UTS_HOSTNAME, a0, a1);
}

LINUX_SYSCALL(setdomainname)
{
	LINUX_UNUSED();
	return set_name(UTS_DOMAINNAME, a0, a1);
}

/* The CLONE_NEW* value setns's nstype names each kind with. */
static uint64_t clone_flag_of(enum ns_kind k)
{
	switch (k) {
	case NS_CGROUP:
		return LCLONE_NEWCGROUP;
	case NS_IPC:
		return LCLONE_NEWIPC;
	case NS_MNT:
		return LCLONE_NEWNS;
	case NS_NET:
		return LCLONE_NEWNET;
	case NS_PID:
	case NS_PID_FOR_CHILDREN:
		return LCLONE_NEWPID;
	case NS_TIME:
	case NS_TIME_FOR_CHILDREN:
		return LCLONE_NEWTIME;
	case NS_USER:
		return LCLONE_NEWUSER;
	case NS_UTS:
		return LCLONE_NEWUTS;
	default:
		return 0;
	}
}

/* Enters f's namespace.  Of the kinds with only the initial namespace
 * here, the caller is in it already: nothing changes (a user namespace
 * one is in already is EINVAL, as Linux). */
static long enter(struct task *t, const struct ns_file *f)
{
	switch (f->kind) {
	case NS_MNT:
		/* Linux: a shared root and cwd cannot move alone */
		if (__atomic_load_n(&t->fs->refcount, __ATOMIC_ACQUIRE) > 1)
			return -EINVAL;
		mnt_ns_install(t->fs, f->obj);
		return 0;
	case NS_UTS:
		uts_ns_install(t, f->obj);
		return 0;
	case NS_IPC:
		ipc_ns_install(t, f->obj);
		return 0;
	case NS_USER:
		return -EINVAL;
	case NS_PID:
	case NS_PID_FOR_CHILDREN:
		return pid_ns_install(t, f->obj);
	default:
		return 0;
	}
}

LINUX_SYSCALL(setns)
{
	LINUX_UNUSED();
	int nstype = (int)a1;
	struct kobj *o = linux_fd_get((int)a0);
	if (!o)
		return -EBADF;
	struct vnode *vn = file_vnode(o);
	const struct ns_file *f = nsfs_file(vn);
	long r = 0;
	if (!f) {
		/* a pidfd (several namespaces at once) is not supported */
		r = -EINVAL;
	} else if (nstype && (uint64_t)nstype != clone_flag_of(f->kind)) {
		r = -EINVAL;
	} else if (!cred_capable(cred_current(), CAP_SYS_ADMIN)) {
		r = -EPERM; /* CAP_SYS_ADMIN */
	} else {
		r = enter(current(), f);
	}
	kobj_put(o);
	return r;
}
