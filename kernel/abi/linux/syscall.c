/*
 * Linux system call dispatch.  A call that is not implemented returns
 * ENOSYS and is logged once per call name and process.
 */
#include "abi/linux/linux.h"
#include "proc/task.h"

#define X(nr, name) LINUX_SYSCALL(name);
#include "abi/linux/calls.def"
#undef X

static const linux_syscall_fn table[LINUX_NR_MAX] = {
#define X(nr, name) [nr] = linux_sys_##name,
#include "abi/linux/calls.def"
#undef X
};

/* One log line per (process, call): a bitmap per task would be costly,
 * so remember the last few pairs. */
static struct spinlock log_lock = SPINLOCK_INIT("linux-enosys");
static struct {
	pid_t pid;
	uint64_t nr;
} logged[64];
static unsigned logged_next;

static void log_unimplemented(uint64_t nr)
{
	struct task *t = current();
	spin_lock(&log_lock);
	for (unsigned i = 0; i < ARRAY_SIZE(logged); i++) {
		if (logged[i].pid == t->pid && logged[i].nr == nr) {
			spin_unlock(&log_lock);
			return;
		}
	}
	logged[logged_next % ARRAY_SIZE(logged)].pid = t->pid;
	logged[logged_next++ % ARRAY_SIZE(logged)].nr = nr;
	spin_unlock(&log_lock);
	const char *name =
	    nr < LINUX_NR_MAX && linux_syscall_names[nr] ? linux_syscall_names[nr] : "unknown";
	printk("linux: unimplemented syscall %lu (%s) from pid %d (%s)\n", nr, name, t->pid,
	       t->name);
}

void linux_syscall(struct trapframe *tf)
{
	uint64_t nr = tf_syscall_nr(tf);
	long r;
	if (nr < LINUX_NR_MAX && table[nr]) {
		r = table[nr](tf_a(tf, 0), tf_a(tf, 1), tf_a(tf, 2), tf_a(tf, 3), tf_a(tf, 4),
		              tf_a(tf, 5));
	} else {
		log_unimplemented(nr);
		r = -ENOSYS;
	}
	tf_a(tf, 0) = (uint64_t)r;
}
