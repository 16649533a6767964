/*
 * Thread and process exit.  An exiting task releases its resources and
 * leaves its thread group.  A thread that is not its group's leader is
 * freed by the scheduler once off its hart.  When the last thread ends,
 * the process ends: the leader's children go to init, its parent is told,
 * and the leader stays a zombie until the parent collects the status
 * (wait_child.c), or, when the parent wants no zombies, until it is off
 * its hart (sched.c).
 */
#include "abi/abi.h"
#include "arch/riscv64/mmu.h"
#include "core/kernel.h"
#include "core/uaccess.h"
#include "core/machine.h"
#include "fs/bcache.h"
#include "fs/vfs.h"
#include "ipc/ipc_ns.h"
#include "ipc/sem.h"
#include "mm/vm.h"
#include "obj/handle.h"
#include "proc/futex.h"
#include "proc/ptimer.h"
#include "proc/pid_ns.h"
#include "proc/sched.h"
#include "proc/task.h"
#include "proc/thread_group.h"

void task_mm_release(struct task *t)
{
	futex_mm_release(t); /* robust list, clear-child-tid zeroed and woken */
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
	/* Off the user table before anything can sleep: with t->mm gone the
	 * scheduler would not know this hart still walks it. */
	pt_activate_kernel();
	if (handles)
		handle_table_put_exit(handles);
	if (fs)
		fs_struct_put(fs);
	if (mm)
		mm_put(mm);
	ipc_ns_task_end(t);
}

/* The children go to the nearest subreaper above t in its pid
 * namespace, or the namespace's init.
 * task_tree_lock held. */
static void reparent_children(struct task *t)
{
	struct list *pos, *tmp;
	bool zombies = false;
	struct task *reaper = procctl_find_reaper(t);
	list_for_each_safe(pos, tmp, &t->children)
	{
		struct task *c = list_entry(pos, struct task, sibling);
		list_remove(&c->sibling);
		c->parent = reaper;
		c->exit_signal = SIGCHLD; /* the reaper waits for plain children */
		list_push_back(&reaper->children, &c->sibling);
		zombies |= c->state == TASK_ZOMBIE;
		procctl_reparented(c, reaper, t->pid);
	}
	if (zombies)
		wq_wake_all(&reaper->child_exit);
}

/* The parent wants no zombie: l goes as soon as it is off its hart; the
 * caller frees it when true is returned.  task_tree_lock held. */
static bool detach_leader(struct task *l, struct task *self)
{
	list_remove(&l->sibling);
	l->parent = NULL;
	spin_lock(&l->lock);
	l->autoreap = true; /* run_task frees it, unless it is already off */
	bool off = l != self && l->on_cpu < 0;
	spin_unlock(&l->lock);
	return off;
}

/* The last thread of t's process ended: the process ends.  Returns a
 * zombie leader to free.  task_tree_lock held. */
static struct task *process_end(struct task *t)
{
	struct thread_group *tg = t->tg;
	struct task *l = tg->leader;
	reparent_children(l);
	if (tg->group_exit)
		l->exit_status = tg->exit_status;
	int st = l->exit_status, sig = st & 0x7f;
	int code = !sig ? CLD_EXITED : (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
	if (signal_notify_parent(l, code, sig ? sig : (st >> 8) & 0xff) && detach_leader(l, t))
		return l;
	return NULL;
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
	ptimers_thread_exit(t);
	task_mm_release(t);
	release_resources(t);

	spin_lock(&task_tree_lock);
	bool last = thread_group_leave(t, &status);
	if (last && pid_ns_is_child_init(t->tg->leader)) {
		/* the init of a pid namespace takes the namespace with it */
		spin_unlock(&task_tree_lock);
		pid_ns_init_exit(t->tg->leader);
		spin_lock(&task_tree_lock);
	}
	if (last) {
		ptimers_process_end(t->tg);
		sem_process_end(task_tgid(t)); /* SEM_UNDO, before the parent can see the end */
	}
	t->exit_status = status;
	if (t != t->tg->leader)
		t->autoreap = true;
	if (!last)
		procctl_thread_gone(t); /* its children's death signals */
	struct task *reap = last ? process_end(t) : NULL;
	if (reap)
		task_free(reap);
	spin_lock(&t->lock);
	t->state = TASK_ZOMBIE;
	spin_unlock(&task_tree_lock);
	sched_switch();
	panic("zombie %d ran again", t->pid);
}
