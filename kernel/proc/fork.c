/*
 * fork: a new process sharing nothing but copy-on-write pages and
 * referenced kernel objects with its parent.
 */
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

static int copy_resources(struct task *c, struct task *p)
{
	c->mm = mm_fork(p->mm);
	c->fs = fs_struct_clone(p->fs);
	c->handles = handle_table_clone(p->handles);
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

pid_t task_fork(void)
{
	struct task *p = current();
	struct task *c = task_alloc(p->name);
	if (!c)
		return -ENOMEM;
	if (copy_resources(c, p) < 0) {
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
	c->abi = p->abi;
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
