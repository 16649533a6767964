/*
 * fork: a new process sharing nothing but copy-on-write pages and
 * referenced kernel objects with its parent.
 */
#include "abi/abi.h"
#include "arch/riscv64/riscv.h"
#include "core/kernel.h"
#include "fs/vfs.h"
#include "mm/vm.h"
#include "obj/handle.h"
#include "proc/sched.h"
#include "proc/task.h"

void task_setup_first_entry(struct task *t);

/* Brings parent->fpregs up to date with the live FP registers. */
static void sync_fp_state(struct task *p)
{
	if ((p->tf->sstatus & SSTATUS_FS_MASK) == SSTATUS_FS_DIRTY) {
		fpu_save(p->fpregs);
		p->tf->sstatus = (p->tf->sstatus & ~SSTATUS_FS_MASK) | SSTATUS_FS_CLEAN;
	}
}

static int copy_resources(struct task *c, struct task *p, unsigned flags)
{
	c->mm = (flags & CLONE_SHARE_VM) ? mm_get(p->mm) : mm_fork(p->mm);
	c->fs = (flags & CLONE_SHARE_FS) ? fs_struct_get(p->fs) : fs_struct_clone(p->fs);
	c->handles = (flags & CLONE_SHARE_FILES) ? handle_table_get(p->handles)
	                                         : handle_table_clone(p->handles);
	if (!c->mm || !c->fs || !c->handles)
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
}

pid_t task_clone(unsigned flags, uint64_t stack, uint64_t tls)
{
	struct task *p = current();
	if (flags & ~(unsigned)(CLONE_SHARE_VM | CLONE_SHARE_FILES | CLONE_SHARE_FS))
		return -EINVAL;
	if ((flags & CLONE_SHARE_VM) && !stack)
		return -EINVAL; /* two threads cannot share one stack */
	struct task *c = task_alloc(p->name);
	if (!c)
		return -ENOMEM;
	if (copy_resources(c, p, flags) < 0) {
		free_resources(c);
		spin_lock(&task_tree_lock);
		task_free(c);
		spin_unlock(&task_tree_lock);
		return -ENOMEM;
	}
	sync_fp_state(p);
	memcpy(c->fpregs, p->fpregs, sizeof(c->fpregs));
	*c->tf = *p->tf;
	tf_a(c->tf, 0) = 0;
	if (stack)
		tf_sp(c->tf) = stack;
	if (tls)
		tf_tp(c->tf) = tls;
	c->abi = p->abi;
	if (p->abi->fork_data && p->abi->fork_data(p, &c->abi_data) < 0) {
		free_resources(c);
		spin_lock(&task_tree_lock);
		task_free(c);
		spin_unlock(&task_tree_lock);
		return -ENOMEM;
	}
	c->sig_ignored = p->sig_ignored;
	task_setup_first_entry(c);

	spin_lock(&task_tree_lock);
	c->parent = p;
	c->pgid = p->pgid;
	c->sid = p->sid;
	list_push_back(&p->children, &c->sibling);
	pid_t pid = c->pid;
	spin_lock(&c->lock);
	sched_make_runnable(c);
	spin_unlock(&c->lock);
	spin_unlock(&task_tree_lock);
	return pid;
}

pid_t task_fork(void)
{
	return task_clone(0, 0, 0);
}
