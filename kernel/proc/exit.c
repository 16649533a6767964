/*
 * Process exit.  An exiting task releases its resources, hands its
 * children to init, tells its parent and becomes a zombie until the
 * parent collects the status (wait_child.c), or, when the parent wants
 * no zombies, until the scheduler has switched away from it (sched.c).
 */
#include "abi/abi.h"
#include "arch/riscv64/mmu.h"
#include "core/kernel.h"
#include "core/uaccess.h"
#include "core/machine.h"
#include "fs/bcache.h"
#include "fs/vfs.h"
#include "mm/vm.h"
#include "obj/handle.h"
#include "proc/futex.h"
#include "proc/sched.h"
#include "proc/task.h"

void task_mm_release(struct task *t)
{
	futex_mm_release(t); /* robust list, clear-child-tid zeroed and woken */
	if (t->clear_child_tid && t->mm && t->mm->refcount > 1) {
		uint32_t zero = 0;
		copy_to_user((void *)t->clear_child_tid, &zero, sizeof(zero));
	}
	t->clear_child_tid = 0;
	spin_lock(&task_tree_lock);
	struct task *p = t->vfork_parent;
	if (p) {
		t->vfork_parent = NULL;
		p->vfork_waiting = false;
		wq_wake_all(&p->child_exit);
	}
	spin_unlock(&task_tree_lock);
}

static void release_resources(struct task *t)
{
	struct handle_table *handles = t->handles;
	struct fs_struct *fs = t->fs;
	struct mm *mm = t->mm;

	if (t->abi_data && t->abi->free_data) {
		t->abi->free_data(t->abi_data);
		t->abi_data = NULL;
	}
	/* cleared under the task's lock: /proc readers take references there */
	spin_lock(&t->lock);
	t->handles = NULL;
	t->fs = NULL;
	t->mm = NULL;
	spin_unlock(&t->lock);
	if (handles)
		handle_table_put(handles);
	if (fs)
		fs_struct_put(fs);
	if (mm) {
		pt_activate(pt_kernel_root(), 0);
		mm_put(mm);
	}
}

/* task_tree_lock held. */
static void reparent_children(struct task *t)
{
	struct list *pos, *tmp;
	bool zombies = false;
	list_for_each_safe(pos, tmp, &t->children)
	{
		struct task *c = list_entry(pos, struct task, sibling);
		list_remove(&c->sibling);
		c->parent = init_task;
		c->exit_signal = SIGCHLD; /* init waits for plain children */
		list_push_back(&init_task->children, &c->sibling);
		zombies |= c->state == TASK_ZOMBIE;
	}
	if (zombies)
		wq_wake_all(&init_task->child_exit);
}

void task_exit(int status)
{
	struct task *t = current();
	if (t == init_task) {
		printk("init exited with status %d; stopping\n", status);
		vfs_shutdown_all();
		bcache_sync(NULL);
		machine_exit(status == 0 ? 0 : 1);
	}
	task_mm_release(t);
	release_resources(t);

	spin_lock(&task_tree_lock);
	reparent_children(t);
	t->exit_status = status;
	int sig = status & 0x7f;
	if (signal_notify_parent(t, sig ? CLD_KILLED : CLD_EXITED,
	                         sig ? sig : (status >> 8) & 0xff)) {
		list_remove(&t->sibling);
		t->parent = NULL;
		t->autoreap = true;
	}
	spin_lock(&t->lock);
	t->state = TASK_ZOMBIE;
	spin_unlock(&task_tree_lock);
	sched_switch();
	panic("zombie %d ran again", t->pid);
}
