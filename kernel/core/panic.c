/*
 * panic: print the message, the registers of the trap that led here (if
 * any) and a symbolized frame-pointer backtrace, then stop all harts and
 * make QEMU exit with a failure code.
 */
#include "arch/riscv64/cpu.h"
#include "arch/riscv64/memlayout.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/trapframe.h"
#include "core/kernel.h"
#include "core/ksyms.h"
#include "core/machine.h"

extern bool printk_unlocked;
extern char __kernel_start[], __text_end[];
static volatile int panicking;

static void print_frame_addr(uint64_t pc)
{
	uint64_t off;
	const char *name = ksym_lookup(pc, &off);
	if (name)
		printk("  %016lx %s+0x%lx\n", pc, name, off);
	else
		printk("  %016lx ?\n", pc);
}

static bool in_kernel_text(uint64_t pc)
{
	return pc >= (uint64_t)__kernel_start && pc < (uint64_t)__text_end;
}

/* With -fno-omit-frame-pointer, fp[-1] is the return address and fp[-2]
 * the caller's frame pointer.  Frames are followed while they lie in
 * [lo, hi). */
static void walk_frames(uint64_t fp, uint64_t lo, uint64_t hi)
{
	for (int depth = 0; depth < 32; depth++) {
		if (fp < lo + 16 || fp > hi || (fp & 7))
			break;
		uint64_t ra = ((uint64_t *)fp)[-1];
		uint64_t prev = ((uint64_t *)fp)[-2];
		if (!in_kernel_text(ra))
			break;
		print_frame_addr(ra - 4);
		if (prev <= fp)
			break;
		fp = prev;
	}
}

void backtrace_from(uint64_t fp, uint64_t pc)
{
	printk("backtrace:\n");
	if (pc)
		print_frame_addr(pc);
	walk_frames(fp, DIRECT_MAP_BASE, UINT64_MAX);
}

void backtrace_stack(uint64_t fp, uint64_t pc, uint64_t lo, uint64_t hi)
{
	if (pc)
		print_frame_addr(pc);
	walk_frames(fp, lo, hi);
}

void dump_trapframe(const struct trapframe *tf)
{
	static const char *names[32] = {"zero", "ra", "sp",  "gp",  "tp", "t0", "t1", "t2",
	                                "s0",   "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
	                                "a6",   "a7", "s2",  "s3",  "s4", "s5", "s6", "s7",
	                                "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
	printk("sepc %016lx sstatus %016lx scause %lx stval %016lx\n", tf->sepc, tf->sstatus,
	       tf->scause, tf->stval);
	for (int i = 1; i < 32; i++)
		printk("%4s %016lx%s", names[i], tf->x[i], (i % 4 == 3) ? "\n" : "  ");
	printk("\n");
}

void panic_begin(void)
{
	irq_disable();
	int me = this_cpu()->id + 1, other = 0;
	if (!__atomic_compare_exchange_n(&panicking, &other, me, false, __ATOMIC_SEQ_CST,
	                                 __ATOMIC_SEQ_CST)) {
		if (other != me)
			cpu_park(); /* another hart reports */
		printk_unlocked = true;
		printk("\nkernel panic on cpu %d: fault while printing the panic report\n", me - 1);
		machine_exit(1);
	}
	printk_unlocked = true;
	cpu_stop_others();
}

void panic_end(uint64_t fp, uint64_t pc)
{
	backtrace_from(fp, pc);
	machine_exit(1);
}

void panic(const char *fmt, ...)
{
	panic_begin();
	va_list ap;
	va_start(ap, fmt);
	printk("\nkernel panic on cpu %d: ", this_cpu()->id);
	vprintk(fmt, ap);
	printk("\n");
	va_end(ap);
	panic_end((uint64_t)__builtin_frame_address(0), 0);
}
