/*
 * UTS namespaces (proc/uts_ns.h).  A task's pointer is written only by
 * the task itself (unshare) or before the task runs (fork), and read
 * under its own lifetime, so no lock guards the pointer; the names are
 * guarded by the namespace's spinlock and copied out before any user
 * copy.
 */
#include "proc/uts_ns.h"

#include "core/kernel.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "proc/task.h"

/* Linux's first namespace inode number (PROC_DYNAMIC_FIRST is after the
 * initial ones: 4026531835 + i). */
#define INIT_UTS_INUM 4026531838u

static struct uts_ns init_uts = {
    .refcount = 1,
    .lock = SPINLOCK_INIT("uts_ns"),
    .hostname = "scarlet",
    .domainname = "(none)",
    .inum = INIT_UTS_INUM,
};

struct uts_ns *uts_ns_of(struct task *t)
{
	return t && t->uts ? t->uts : &init_uts;
}

struct uts_ns *uts_ns_get(struct uts_ns *ns)
{
	if (ns && ns != &init_uts)
		__atomic_fetch_add(&ns->refcount, 1, __ATOMIC_RELAXED);
	return ns;
}

void uts_ns_put(struct uts_ns *ns)
{
	if (ns && ns != &init_uts && __atomic_sub_fetch(&ns->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(ns);
}

int uts_ns_unshare(struct task *t)
{
	struct uts_ns *old = uts_ns_of(t), *ns = kzalloc(sizeof(*ns));

	if (!ns)
		return -ENOMEM;
	ns->refcount = 1;
	spin_init(&ns->lock, "uts_ns");
	ns->inum = ns_new_inum();
	uts_ns_read(old, UTS_HOSTNAME, ns->hostname);
	uts_ns_read(old, UTS_DOMAINNAME, ns->domainname);
	uts_ns_install(t, ns);
	uts_ns_put(ns);
	return 0;
}

void uts_ns_install(struct task *t, struct uts_ns *ns)
{
	uts_ns_get(ns);
	spin_lock(&t->lock);
	struct uts_ns *old = t->uts;
	t->uts = ns;
	spin_unlock(&t->lock);
	uts_ns_put(old);
}

struct uts_ns *uts_ns_of_pid(pid_t pid)
{
	struct uts_ns *ns = NULL;
	spin_lock(&task_tree_lock);
	struct task *t = task_find(pid);
	if (t && t->state != TASK_ZOMBIE) {
		spin_lock(&t->lock);
		ns = uts_ns_get(uts_ns_of(t));
		spin_unlock(&t->lock);
	}
	spin_unlock(&task_tree_lock);
	return ns;
}

static char *field(struct uts_ns *ns, enum uts_field f)
{
	return f == UTS_HOSTNAME ? ns->hostname : ns->domainname;
}

void uts_ns_read(struct uts_ns *ns, enum uts_field f, char *out)
{
	spin_lock(&ns->lock);
	memcpy(out, field(ns, f), UTS_NAME_LEN + 1);
	spin_unlock(&ns->lock);
}

int uts_ns_write(struct uts_ns *ns, enum uts_field f, const char *name, size_t len)
{
	if (len > UTS_NAME_LEN)
		return -EINVAL;
	spin_lock(&ns->lock);
	memcpy(field(ns, f), name, len);
	memset(field(ns, f) + len, 0, UTS_NAME_LEN + 1 - len);
	spin_unlock(&ns->lock);
	return 0;
}
