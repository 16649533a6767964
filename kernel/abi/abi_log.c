/*
 * What the ABI modules log when a program asks for something the kernel
 * does not do (see abi.h): an unimplemented system call, or a flag or
 * mode of an implemented one.  It must tell a developer what a program
 * misses without letting a program flood the console: each (process,
 * what) is logged once (among the last ENOSYS_SEEN pairs), and at most
 * ENOSYS_BURST lines go out per second, the rest counted and reported
 * with the next line that does.
 */
#include "abi/abi.h"

#include <stdarg.h>

#include "arch/riscv64/timer.h"
#include "core/kernel.h"
#include "proc/task.h"

#define ENOSYS_SEEN  64
#define ENOSYS_BURST 10

static struct spinlock log_lock = SPINLOCK_INIT("enosys-log");
static struct {
	pid_t pid;
	uint64_t nr;
} seen[ENOSYS_SEEN];
static unsigned seen_next;
static uint64_t window_start, window_lines, suppressed;

/* Whether (pid, nr) is new; records it.  log_lock held. */
static bool first_time(pid_t pid, uint64_t nr)
{
	for (unsigned i = 0; i < ENOSYS_SEEN; i++)
		if (seen[i].pid == pid && seen[i].nr == nr)
			return false;
	seen[seen_next % ENOSYS_SEEN].pid = pid;
	seen[seen_next++ % ENOSYS_SEEN].nr = nr;
	return true;
}

/* Whether a line may go out now; log_lock held. */
static bool within_rate(void)
{
	uint64_t now = timer_now_ns();
	if (now - window_start >= 1000000000ull) {
		window_start = now;
		window_lines = 0;
	}
	if (window_lines >= ENOSYS_BURST) {
		suppressed++;
		return false;
	}
	window_lines++;
	return true;
}

/* Whether to print the line about `what` for the current process; says
 * how many lines were held back since the last one printed. */
static bool may_log(uint64_t what)
{
	struct task *t = current();
	spin_lock(&log_lock);
	bool print = first_time(t->pid, what) && within_rate();
	uint64_t dropped = print ? suppressed : 0;
	if (print)
		suppressed = 0;
	spin_unlock(&log_lock);
	if (dropped)
		printk("abi: %lu more lines about missing features suppressed\n", dropped);
	return print;
}

void abi_log_enosys(const char *abi, uint64_t nr, const char *name)
{
	struct task *t = current();
	if (may_log(nr))
		printk("%s: unimplemented syscall %lu (%s) from pid %d (%s)\n", abi, nr,
		       name ? name : "unknown", t->pid, t->name);
}

void abi_log_missing(const char *fmt, ...)
{
	if (!may_log((uint64_t)fmt)) /* the message's site */
		return;
	va_list ap;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}
