/*
 * IPC namespaces (ipc/ipc_ns.h).  A task's pointer is written only by the
 * task itself (unshare, setns) or before it runs (fork) and read under
 * its lock by others (/proc/PID/ns/ipc), as with UTS namespaces.
 */
#include "ipc/ipc_ns.h"

#include "core/kernel.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "proc/task.h"

/* Linux's initial IPC namespace number (PROC_IPC_INIT_INO) */
#define INIT_IPC_INUM 4026531839u

static struct ipc_ns init_ipc = {
    .users = 1,
    .refs = 1,
    .inum = INIT_IPC_INUM,
    .msg_ids = IPC_IDS_INIT("msg-ids"),
    .sem_ids = IPC_IDS_INIT("sem-ids"),
    .shm_ids = IPC_IDS_INIT("shm-ids"),
    .mq_queues = LIST_INIT(init_ipc.mq_queues),
};

struct ipc_ns *ipc_ns_of(struct task *t)
{
	return t && t->ipc ? t->ipc : &init_ipc;
}

struct ipc_ns *ipc_ns_current(void)
{
	return ipc_ns_of(current());
}

struct ipc_ns *ipc_ns_get(struct ipc_ns *ns)
{
	if (ns && ns != &init_ipc)
		__atomic_fetch_add(&ns->users, 1, __ATOMIC_RELAXED);
	return ns;
}

void ipc_ns_hold(struct ipc_ns *ns)
{
	if (ns != &init_ipc)
		__atomic_fetch_add(&ns->refs, 1, __ATOMIC_RELAXED);
}

void ipc_ns_release(struct ipc_ns *ns)
{
	if (ns == &init_ipc || __atomic_sub_fetch(&ns->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	kfree(ns->msg_ids.slots);
	kfree(ns->sem_ids.slots);
	kfree(ns->shm_ids.slots);
	kfree(ns);
}

void ipc_ns_put(struct ipc_ns *ns)
{
	if (!ns || ns == &init_ipc || __atomic_sub_fetch(&ns->users, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/* nobody can name its objects any more */
	msg_ns_end(ns);
	sem_ns_end(ns);
	shm_ns_end(ns);
	mq_ns_end(ns);
	ipc_ns_release(ns);
}

int ipc_ns_unshare(struct task *t)
{
	struct ipc_ns *ns = kzalloc(sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	ns->users = 1;
	ns->refs = 1;
	ns->inum = ns_new_inum();
	ns->msg_ids = (struct ipc_ids)IPC_IDS_INIT("msg-ids");
	ns->sem_ids = (struct ipc_ids)IPC_IDS_INIT("sem-ids");
	ns->shm_ids = (struct ipc_ids)IPC_IDS_INIT("shm-ids");
	list_init(&ns->mq_queues);
	ipc_ns_install(t, ns);
	ipc_ns_put(ns);
	return 0;
}

void ipc_ns_install(struct task *t, struct ipc_ns *ns)
{
	ipc_ns_get(ns);
	spin_lock(&t->lock);
	struct ipc_ns *old = t->ipc;
	t->ipc = ns;
	spin_unlock(&t->lock);
	ipc_ns_put(old);
}

void ipc_ns_task_end(struct task *t)
{
	spin_lock(&t->lock);
	struct ipc_ns *old = t->ipc;
	t->ipc = NULL;
	spin_unlock(&t->lock);
	ipc_ns_put(old);
}

struct ipc_ns *ipc_ns_of_pid(pid_t pid)
{
	struct ipc_ns *ns = NULL;
	spin_lock(&task_tree_lock);
	struct task *t = task_find(pid);
	if (t && t->state != TASK_ZOMBIE) {
		spin_lock(&t->lock);
		ns = ipc_ns_get(ipc_ns_of(t));
		spin_unlock(&t->lock);
	}
	spin_unlock(&task_tree_lock);
	return ns;
}
