/*
 * fork and clone: a new task sharing with its parent what the request
 * says (address space, handle table, root/cwd, signal dispositions, the
 * process itself for a thread) and copying the rest; the blocked mask,
 * resource limits and the cpu mask are copied.
 */
#include "proc/fork.h"

#include "abi/abi.h"
#include "arch/riscv64/riscv.h"
#include "core/kernel.h"
#include "core/uaccess.h"
#include "fs/vfs.h"
#include "ipc/ipc_ns.h"
#include "mm/vm.h"
#include "obj/handle.h"
#include "proc/pid_ns.h"
#include "proc/sched.h"
#include "proc/sched_policy.h"
#include "proc/task.h"
#include "proc/thread_group.h"
#include "proc/uts_ns.h"

void task_setup_first_entry(struct task *t);

void task_fp_sync(struct task *t)
{
	if ((t->tf->sstatus & SSTATUS_FS_MASK) == SSTATUS_FS_DIRTY) {
		fpu_save(t->fpregs);
		t->tf->sstatus = (t->tf->sstatus & ~SSTATUS_FS_MASK) | SSTATUS_FS_CLEAN;
	}
}

static int copy_resources(struct task *c, struct task *p, const struct clone_request *req)
{
	unsigned flags = req->share;
	c->mm = (flags & CLONE_SHARE_VM) ? mm_get(p->mm) : mm_fork(p->mm);
	c->fs = (flags & CLONE_SHARE_FS) ? fs_struct_get(p->fs) : fs_struct_clone(p->fs);
	c->handles = (flags & CLONE_SHARE_FILES) ? handle_table_get(p->handles)
	                                         : handle_table_clone(p->handles);
	c->uts = uts_ns_get(uts_ns_of(p));
	c->ipc = ipc_ns_get(ipc_ns_of(p));
	if (!c->mm || !c->fs || !c->handles)
		return -ENOMEM;
	if (req->new_uts_ns && uts_ns_unshare(c) < 0)
		return -ENOMEM;
	if (req->new_ipc_ns && ipc_ns_unshare(c) < 0)
		return -ENOMEM;
	if (req->new_mnt_ns) {
		int err = mnt_ns_clone(c->fs); /* c->fs is c's own: request_valid */
		if (err < 0)
			return err;
	}
	sighand_put(c->sighand);
	c->sighand = req->share_sighand ? sighand_get(p->sighand) : sighand_copy(p->sighand);
	if (!c->sighand)
		return -ENOMEM;
	if (req->clear_sighand)
		sighand_reset_handlers(c->sighand);
	if (p->abi->fork_data && p->abi->fork_data(p, &c->abi_data) < 0)
		return -ENOMEM;
	return 0;
}

static void free_resources(struct task *c)
{
	if (c->mm)
		mm_put(c->mm);
	if (c->fs)
		fs_struct_put(c->fs);
	if (c->handles)
		handle_table_put(c->handles);
	ipc_ns_task_end(c); /* not under task_tree_lock: an ending namespace takes others */
}

static void copy_state(struct task *c, struct task *p, const struct clone_request *req)
{
	task_fp_sync(p);
	memcpy(c->fpregs, p->fpregs, sizeof(c->fpregs));
	*c->tf = *p->tf;
	tf_a(c->tf, 0) = 0;
	if (req->stack)
		tf_sp(c->tf) = req->stack;
	if (req->set_tls)
		tf_tp(c->tf) = req->tls;
	c->abi = p->abi;
	c->exit_signal = req->exit_signal;
	c->set_child_tid = req->set_child_tid;
	c->clear_child_tid = req->clear_child_tid;
	spin_lock(&p->lock);
	c->sig_blocked = p->sig_blocked;
	c->cpu_allowed = p->cpu_allowed;
	memcpy(c->rlimits, p->rlimits, sizeof(c->rlimits));
	c->cred = p->cred;
	procctl_fork(c, p, req->thread);
	sched_policy_fork(c, p);
	if (!(req->share & CLONE_SHARE_VM) || req->vfork)
		c->sig_altstack = p->sig_altstack;
	spin_unlock(&p->lock);
}

/* Blocks a vfork parent until the child execs or exits. */
static void wait_vfork_child(struct task *p)
{
	spin_lock(&task_tree_lock);
	while (p->vfork_waiting)
		wq_sleep_uninterruptible(&p->child_exit, &task_tree_lock);
	spin_unlock(&task_tree_lock);
}

/* Linux's pid namespace rules for clone: a thread stays in its
 * process's namespace, a namespace init makes no siblings, and a new
 * namespace goes below the caller's own. */
static int pid_ns_valid(const struct clone_request *req, struct task *p)
{
	bool children_elsewhere = task_pid_ns_children(p) != task_pid_ns(p);
	if (req->thread && (req->new_pid_ns || children_elsewhere))
		return -EINVAL;
	if (req->same_parent && pid_ns_is_child_init(task_leader(p)))
		return -EINVAL;
	if (req->new_pid_ns && children_elsewhere)
		return -EINVAL;
	return 0;
}

/* Gives c the namespace its pid lives in (a new one with new_pid_ns). */
static int choose_pid_ns(struct task *c, struct task *p, const struct clone_request *req)
{
	struct pid_ns *ns = req->thread ? task_pid_ns(p) : task_pid_ns_children(p);
	int err = 0;
	if (req->new_pid_ns) {
		ns = pid_ns_create(ns, &err);
		if (!ns)
			return err;
	}
	err = pid_ns_fork_prepare(c, ns);
	if (req->new_pid_ns)
		pid_ns_put(ns);
	return err;
}

static bool request_valid(const struct clone_request *req)
{
	if (req->share & ~(unsigned)(CLONE_SHARE_VM | CLONE_SHARE_FILES | CLONE_SHARE_FS))
		return false;
	/* two running tasks cannot share one stack; a vfork child may, as
	 * its parent waits until it execs or exits */
	if ((req->share & CLONE_SHARE_VM) && !req->stack && !req->vfork)
		return false;
	if (req->thread && !req->share_sighand)
		return false;
	if (req->clear_sighand && req->share_sighand)
		return false;
	if (req->new_mnt_ns && (req->share & CLONE_SHARE_FS))
		return false;
	return !req->share_sighand || (req->share & CLONE_SHARE_VM);
}

static void discard_child(struct task *c)
{
	free_resources(c);
	spin_lock(&task_tree_lock);
	task_free(c);
	spin_unlock(&task_tree_lock);
}

/* Links c into the process tree: a thread joins p's process, anything
 * else becomes a child of p's process (or of its parent).  task_tree_lock
 * held. */
static int link_child(struct task *c, struct task *p, const struct clone_request *req)
{
	c->pgid = p->pgid;
	c->sid = p->sid;
	if (req->thread) {
		c->exit_signal = 0; /* a thread's end is not its parent's business */
		return thread_group_join(c, p->tg);
	}
	struct task *parent = task_leader(p);
	if (req->same_parent)
		parent = parent->parent;
	if (!parent)
		return -EINVAL;
	c->parent = parent;
	list_push_back(&parent->children, &c->sibling);
	return 0;
}

pid_t task_clone_request(const struct clone_request *req)
{
	struct task *p = current();
	if (!request_valid(req))
		return -EINVAL;
	int err = pid_ns_valid(req, p);
	if (err < 0)
		return err;
	struct task *c = task_alloc(p->name);
	if (!c)
		return -ENOMEM;
	err = choose_pid_ns(c, p, req);
	if (err == 0 && copy_resources(c, p, req) < 0)
		err = -ENOMEM;
	if (err < 0) {
		discard_child(c);
		return err;
	}
	copy_state(c, p, req);
	task_setup_first_entry(c);

	spin_lock(&task_tree_lock);
	err = pid_ns_fork_attach(c);
	if (err == 0)
		err = link_child(c, p, req);
	if (err < 0) {
		spin_unlock(&task_tree_lock);
		discard_child(c);
		return err;
	}
	if (req->vfork) {
		c->vfork_parent = p;
		p->vfork_waiting = true;
	}
	pid_t pid = task_pid_vnr(c);
	spin_lock(&c->lock);
	sched_make_runnable(c);
	spin_unlock(&c->lock);
	spin_unlock(&task_tree_lock);
	if (req->parent_tid) {
		uint32_t tid = (uint32_t)pid;
		copy_to_user((void *)req->parent_tid, &tid, sizeof(tid));
	}
	if (req->vfork)
		wait_vfork_child(p);
	return pid;
}

pid_t task_clone(unsigned flags, uint64_t stack, uint64_t tls)
{
	struct clone_request req = {.share = flags,
	                            .stack = stack,
	                            .tls = tls,
	                            .set_tls = tls != 0,
	                            .exit_signal = SIGCHLD};
	return task_clone_request(&req);
}

pid_t task_fork(void)
{
	return task_clone(0, 0, 0);
}
