/*
 * Process exit and wait.  An exiting task releases its resources, hands
 * its children to init and becomes a zombie until its parent collects
 * the status; the parent frees the task only once the zombie is off its
 * CPU (guaranteed by taking the zombie's lock, see sched.c).
 */
#include "abi/abi.h"
#include "arch/riscv64/mmu.h"
#include "core/kernel.h"
#include "core/machine.h"
#include "fs/bcache.h"
#include "fs/vfs.h"
#include "mm/vm.h"
#include "obj/handle.h"
#include "proc/sched.h"
#include "proc/task.h"

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
	release_resources(t);

	spin_lock(&task_tree_lock);
	reparent_children(t);
	t->exit_status = status;
	if (t->parent)
		wq_wake_all(&t->parent->child_exit);
	spin_lock(&t->lock);
	t->state = TASK_ZOMBIE;
	spin_unlock(&task_tree_lock);
	sched_switch();
	panic("zombie %d ran again", t->pid);
}

static bool wait_matches(struct task *c, pid_t pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == -1)
		return true;
	if (pid == 0)
		return c->pgid == current()->pgid;
	return c->pgid == -pid;
}

/* Collects a zombie child matching pid after handing its status to
 * deliver; task_tree_lock held.  Returns its pid, 0 if there are matching
 * children but none has exited, -ECHILD, or deliver's error. */
static pid_t reap_one(struct task *t, pid_t pid, int options, int (*deliver)(int status, void *ctx),
                      void *ctx)
{
	struct list *pos;
	bool any = false;
	list_for_each(pos, &t->children)
	{
		struct task *c = list_entry(pos, struct task, sibling);
		if (!wait_matches(c, pid))
			continue;
		any = true;
		spin_lock(&c->lock);
		bool zombie = c->state == TASK_ZOMBIE;
		bool stopped = c->state == TASK_STOPPED && !c->stop_reported;
		spin_unlock(&c->lock);
		if (stopped && (options & WUNTRACED)) {
			int r = deliver(W_STOPCODE(c->stop_signal), ctx);
			if (r < 0)
				return r;
			c->stop_reported = true;
			return c->pid;
		}
		if (zombie) {
			int r = deliver(c->exit_status, ctx);
			if (r < 0)
				return r;
			pid_t cpid = c->pid;
			t->cpu_ns_children += c->cpu_ns + c->cpu_ns_children;
			list_remove(&c->sibling);
			task_free(c);
			return cpid;
		}
	}
	return any ? 0 : -ECHILD;
}

pid_t task_wait_deliver(pid_t pid, int options, int (*deliver)(int status, void *ctx), void *ctx)
{
	struct task *t = current();
	spin_lock(&task_tree_lock);
	for (;;) {
		pid_t r = reap_one(t, pid, options, deliver, ctx);
		if (r != 0 || (options & WNOHANG)) {
			spin_unlock(&task_tree_lock);
			return r;
		}
		int s = wq_sleep(&t->child_exit, &task_tree_lock);
		if (s == -EINTR) {
			spin_unlock(&task_tree_lock);
			return -EINTR;
		}
	}
}

static int store_status(int status, void *ctx)
{
	if (ctx)
		*(int *)ctx = status;
	return 0;
}

pid_t task_wait(pid_t pid, int *status, int options)
{
	return task_wait_deliver(pid, options, store_status, status);
}
