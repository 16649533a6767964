/*
 * Process descriptors (see pidfd.h).  Polling waits on the thread group's
 * exit queue, which every ending thread wakes.
 */
#include "obj/pidfd.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "obj/anon.h"
#include "obj/kobj.h"
#include "obj/poll.h"
#include "proc/task.h"
#include "proc/thread_group.h"

struct pidfd {
	struct kobj obj;
	pid_t pid;
	struct thread_group *tg; /* referenced */
	uint64_t ino;
};

static const struct kobj_ops pidfd_ops;

static struct pidfd *to_pidfd(struct kobj *o)
{
	return container_of(o, struct pidfd, obj);
}

bool pidfd_is(struct kobj *o)
{
	return o->ops == &pidfd_ops;
}

pid_t pidfd_pid(struct kobj *o)
{
	return to_pidfd(o)->pid;
}

bool pidfd_exited(struct kobj *o)
{
	return __atomic_load_n(&to_pidfd(o)->tg->nr_live, __ATOMIC_ACQUIRE) == 0;
}

static unsigned pidfd_poll(struct kobj *o, struct poll_table *pt)
{
	poll_wait(pt, o, &to_pidfd(o)->tg->exit_wq);
	return pidfd_exited(o) ? POLLIN | POLLRDNORM : 0;
}

static int pidfd_stat(struct kobj *o, struct vattr *va)
{
	anon_stat(va, to_pidfd(o)->ino);
	return 0;
}

static void pidfd_release(struct kobj *o)
{
	thread_group_put(to_pidfd(o)->tg);
	kfree(to_pidfd(o));
}

static const struct kobj_ops pidfd_ops = {
    .type = "pidfd",
    .seek = anon_seek,
    .stat = pidfd_stat,
    .poll = pidfd_poll,
    .release = pidfd_release,
};

int pidfd_create(pid_t pid, unsigned status, struct kobj **out)
{
	struct pidfd *p = kzalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	spin_lock(&task_tree_lock);
	struct task *t = pid > 0 ? task_find(pid) : NULL;
	int r = !t || (!t->mm && t->state != TASK_ZOMBIE) ? -ESRCH /* none, or a kernel thread */
	        : task_leader(t) != t                     ? -EINVAL
	                                                  : 0;
	if (r == 0) {
		p->tg = t->tg;
		thread_group_get(p->tg);
	}
	spin_unlock(&task_tree_lock);
	if (r < 0) {
		kfree(p);
		return r;
	}
	kobj_init(&p->obj, &pidfd_ops, KOBJ_READ | KOBJ_WRITE | (status & O_NONBLOCK));
	p->pid = pid;
	p->ino = anon_ino_next();
	*out = &p->obj;
	return 0;
}
