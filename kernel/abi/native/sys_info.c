/*
 * Native system calls about time and the system: sleeping, clocks,
 * uname, memory and process information, power-off.
 */
#include <scarlet/abi.h>

#include "abi/abi.h"
#include "abi/native/native.h"
#include "arch/riscv64/timer.h"
#include "core/machine.h"
#include "core/sysctl.h"
#include "core/time.h"
#include "fs/bcache.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/vm.h"
#include "proc/task.h"

SYSCALL_DEFINE(nanosleep)
{
	UNUSED_ARGS();
	uint64_t now = timer_now_ns();
	uint64_t deadline = a0 > UINT64_MAX - now ? UINT64_MAX : now + a0;
	struct waitqueue wq;
	wq_init(&wq, "nanosleep");
	while (timer_now_ns() < deadline) {
		int r = wq_sleep_until(&wq, NULL, deadline);
		if (r == -EINTR)
			return -EINTR;
	}
	return 0;
}

SYSCALL_DEFINE(clock)
{
	UNUSED_ARGS();
	uint64_t ns;
	if (a0 == CLOCK_MONOTONIC)
		ns = timer_now_ns();
	else if (a0 == CLOCK_REALTIME)
		ns = (uint64_t)time_realtime_ns();
	else
		return -EINVAL;
	return copy_to_user((void *)a1, &ns, sizeof(ns));
}

SYSCALL_DEFINE(uname)
{
	UNUSED_ARGS();
	struct sc_utsname u;
	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Scarlet", sizeof(u.sysname));
	sysctl_get_str(SYSCTL_HOSTNAME, u.nodename, sizeof(u.nodename));
	strlcpy(u.release, "0.1.0", sizeof(u.release));
	strlcpy(u.version, "Scarlet kernel " __DATE__, sizeof(u.version));
	strlcpy(u.machine, "riscv64", sizeof(u.machine));
	return copy_to_user((void *)a0, &u, sizeof(u));
}

SYSCALL_DEFINE(meminfo)
{
	UNUSED_ARGS();
	struct sc_meminfo m = {
	    .total = page_total_count() * PAGE_SIZE,
	    .free = page_free_count() * PAGE_SIZE,
	    .kernel_heap = kmalloc_bytes_in_use(),
	    .page_size = PAGE_SIZE,
	};
	return copy_to_user((void *)a0, &m, sizeof(m));
}

struct procinfo_ctx {
	struct sc_procinfo *buf;
	int max, count;
};

static char state_letter(enum task_state s)
{
	switch (s) {
	case TASK_RUNNING:
	case TASK_RUNNABLE:
		return SC_TASK_RUNNING;
	case TASK_ZOMBIE:
		return SC_TASK_ZOMBIE;
	case TASK_STOPPED:
		return SC_TASK_STOPPED;
	default:
		return SC_TASK_SLEEPING;
	}
}

static int procinfo_fn(struct task *t, void *arg)
{
	struct procinfo_ctx *c = arg;
	if (t->state == TASK_UNUSED || (!t->mm && t->state != TASK_ZOMBIE))
		return 0; /* kernel threads are not listed */
	if (c->count >= c->max)
		return 1;
	struct sc_procinfo *p = &c->buf[c->count++];
	memset(p, 0, sizeof(*p));
	p->pid = t->pid;
	p->ppid = t->parent ? t->parent->pid : 0;
	p->pgid = t->pgid;
	p->state = state_letter(t->state);
	strlcpy(p->abi, t->abi ? t->abi->name : "kernel", sizeof(p->abi));
	p->mem = t->mm ? vm_rss_bytes(t->mm) : 0;
	p->cpu_ns = t->cpu_ns;
	strlcpy(p->name, t->name, sizeof(p->name));
	return 0;
}

SYSCALL_DEFINE(procinfo)
{
	UNUSED_ARGS();
	int max = (int)MIN(a1, 1024UL);
	if ((int64_t)a1 < 0)
		return -EINVAL;
	struct procinfo_ctx c = {
	    .buf = kmalloc(sizeof(struct sc_procinfo) * (size_t)(max ? max : 1)), .max = max};
	if (!c.buf)
		return -ENOMEM;
	task_for_each(procinfo_fn, &c);
	long r = copy_to_user((void *)a0, c.buf, sizeof(struct sc_procinfo) * (size_t)c.count);
	kfree(c.buf);
	return r < 0 ? r : c.count;
}

SYSCALL_DEFINE(poweroff)
{
	UNUSED_ARGS();
	vfs_shutdown_all();
	bcache_sync(NULL);
	printk("poweroff: system halted (status %d)\n", (int)a0);
	machine_exit((int)a0);
}
