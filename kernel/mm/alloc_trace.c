/*
 * Allocation tracing (mm/alloc_trace.h).  Sites live in a fixed open-
 * addressing table keyed by a hash of the return addresses; a record is
 * the site's index (low 16 bits) and the generation (high 16 bits).
 */
#ifdef ALLOC_TRACE
#include "arch/riscv64/memlayout.h"
#include "core/kernel.h"
#include "core/ksyms.h"
#include "core/spinlock.h"
#include "mm/alloc_trace.h"

#define SITE_FRAMES 7
#define NSITES      8192 /* power of two, below 1 << 16 */

struct site {
	uint64_t pc[SITE_FRAMES];
	long live, bytes; /* made in the current generation, still held */
};

extern char __kernel_start[], __text_end[];

static struct site sites[NSITES];
static struct spinlock trace_lock = SPINLOCK_INIT("alloc_trace");
static uint32_t generation = 1;

static bool in_text(uint64_t pc)
{
	return pc >= (uint64_t)__kernel_start && pc < (uint64_t)__text_end;
}

/* The return addresses from frame fp up, past the first skip frames. */
static void chain(uint64_t fp, int skip, uint64_t *pc)
{
	for (int i = 0; i < SITE_FRAMES; i++)
		pc[i] = 0;
	for (int depth = 0, i = 0; depth < SITE_FRAMES + skip && i < SITE_FRAMES; depth++) {
		if (fp < DIRECT_MAP_BASE + 16 || (fp & 7))
			break;
		uint64_t ra = ((uint64_t *)fp)[-1], prev = ((uint64_t *)fp)[-2];
		if (!in_text(ra))
			break;
		if (depth >= skip)
			pc[i++] = ra - 4;
		if (prev <= fp)
			break;
		fp = prev;
	}
}

static unsigned site_of(const uint64_t *pc)
{
	uint64_t h = 0;

	for (int i = 0; i < SITE_FRAMES; i++)
		h = (h ^ pc[i]) * 0x100000001b3ULL;
	for (unsigned n = 0, i = (unsigned)(h >> 20) & (NSITES - 1); n < NSITES;
	     n++, i = (i + 1) & (NSITES - 1)) {
		if (!sites[i].pc[0]) {
			for (int k = 0; k < SITE_FRAMES; k++)
				sites[i].pc[k] = pc[k];
			if (sites[i].pc[0])
				return i;
		}
		if (!memcmp(sites[i].pc, pc, sizeof(sites[i].pc)))
			return i;
	}
	return 0; /* table full: counted under slot 0 */
}

uint32_t alloc_trace_take(size_t bytes)
{
	uint64_t pc[SITE_FRAMES];
	unsigned s;
	uint32_t gen;

	chain((uint64_t)__builtin_frame_address(0), 1, pc);
	if (!pc[0])
		pc[0] = 1;
	spin_lock(&trace_lock);
	s = site_of(pc);
	gen = generation;
	sites[s].live++;
	sites[s].bytes += (long)bytes;
	spin_unlock(&trace_lock);
	return gen << 16 | s;
}

void alloc_trace_drop(uint32_t rec, size_t bytes)
{
	spin_lock(&trace_lock);
	if (rec >> 16 == generation) {
		sites[rec & 0xffff].live--;
		sites[rec & 0xffff].bytes -= (long)bytes;
	}
	spin_unlock(&trace_lock);
}

void alloc_trace_mark(void)
{
	spin_lock(&trace_lock);
	generation = (generation + 1) & 0xffff;
	if (!generation)
		generation = 1;
	for (unsigned i = 0; i < NSITES; i++)
		sites[i].live = sites[i].bytes = 0;
	spin_unlock(&trace_lock);
	printk("alloc_trace: generation %u starts\n", generation);
}

static void print_site(const struct site *s)
{
	printk("alloc_trace: %ld held, %ld bytes:", s->live, s->bytes);
	for (int k = 0; k < SITE_FRAMES && s->pc[k]; k++) {
		uint64_t off;
		const char *name = ksym_lookup(s->pc[k], &off);
		printk(" %s+0x%lx", name ? name : "?", name ? off : s->pc[k]);
	}
	printk("\n");
}

/* Prints without the lock: counts may move while it runs. */
void alloc_trace_report(void)
{
	long live = 0, bytes = 0;

	printk("alloc_trace: held since generation %u began:\n", generation);
	for (unsigned i = 0; i < NSITES; i++) {
		if (!sites[i].live && !sites[i].bytes)
			continue;
		print_site(&sites[i]);
		live += sites[i].live;
		bytes += sites[i].bytes;
	}
	printk("alloc_trace: total %ld held, %ld bytes\n", live, bytes);
}
#endif
