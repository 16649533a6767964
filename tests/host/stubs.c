/*
 * Host stand-ins for the kernel services the tested files call: spinlocks
 * (single-threaded: taking a held lock aborts, which catches recursive
 * locking), printk to stdout, panic to abort(), and strlcpy (not in every
 * host libc) forwarded to lib/str.c's.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/kernel.h"
#include "core/spinlock.h"

size_t scarlet_strlcpy(char *dst, const char *src, size_t size);

void spin_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
	lk->owner = NULL;
}

void spin_lock(struct spinlock *lk)
{
	if (lk->locked) {
		fprintf(stderr, "spin_lock: %s already held\n", lk->name);
		abort();
	}
	lk->locked = 1;
}

void spin_unlock(struct spinlock *lk)
{
	if (!lk->locked) {
		fprintf(stderr, "spin_unlock: %s not held\n", lk->name);
		abort();
	}
	lk->locked = 0;
}

bool spin_holding(struct spinlock *lk)
{
	return lk->locked;
}

bool spin_trylock(struct spinlock *lk)
{
	if (lk->locked)
		return false;
	lk->locked = 1;
	return true;
}

/* Host tests run reclaim as from a context that may not sleep. */
bool cpu_may_sleep(void)
{
	return false;
}

void irq_push_off(void)
{
}

void irq_pop_off(void)
{
}

int vprintk(const char *fmt, va_list ap)
{
	return vprintf(fmt, ap);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vprintk(fmt, ap);
	va_end(ap);
	return r;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "panic: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	return scarlet_strlcpy(dst, src, size);
}
