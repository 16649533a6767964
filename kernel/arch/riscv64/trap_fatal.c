/*
 * Reports of kernel-mode exceptions.  kernel_trap_fatal: an ordinary one,
 * from kernel_trap.  trap_fatal: those the trap vector refuses to handle
 * (see trapvec.S), an exception raised by the vector's own code or a
 * kernel stack the trap frame does not fit on; either would trap again
 * forever, so the vector switches to this hart's emergency stack and
 * comes here.  Both claim the console and stop the other harts first,
 * then print the cause, sepc, stval, satp and sp.
 */
#include "arch/riscv64/cpu.h"
#include "arch/riscv64/memlayout.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/trapframe.h"
#include "core/kernel.h"
#include "core/ksyms.h"
#include "core/watchdog.h"

#define FATAL_NESTED 1 /* as in trapvec.S */
#define FATAL_STACK  2

void dump_trapframe(const struct trapframe *tf);
void trap_fatal(struct trapframe *tf, int why) __attribute__((noreturn));
void kernel_trap_fatal(struct trapframe *tf) __attribute__((noreturn));

static uint8_t emergency_stacks[MAX_CPUS][KSTACK_SIZE] __attribute__((aligned(16)));

void trap_fatal_init_hart(struct cpu *c)
{
	c->fatal_sp = (uint64_t)emergency_stacks[c->id] + KSTACK_SIZE;
}

static const char *cause_name(uint64_t cause)
{
	switch (cause) {
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		return "misaligned access";
	case EXC_INST_ACCESS:
	case EXC_LOAD_ACCESS:
	case EXC_STORE_ACCESS:
		return "access fault";
	case EXC_ILLEGAL_INST:
		return "illegal instruction";
	case EXC_BREAKPOINT:
		return "breakpoint";
	case EXC_INST_PAGE_FAULT:
		return "instruction page fault";
	case EXC_LOAD_PAGE_FAULT:
		return "load page fault";
	case EXC_STORE_PAGE_FAULT:
		return "store page fault";
	default:
		return "exception";
	}
}

static void print_pc(const char *label, uint64_t pc)
{
	uint64_t off;
	const char *name = ksym_lookup(pc, &off);
	if (name)
		printk("%s %016lx (%s+0x%lx)", label, pc, name, off);
	else
		printk("%s %016lx", label, pc);
}

/* panic_begin held: the report, then the end of the machine. */
static void __attribute__((noreturn)) report(struct trapframe *tf, const char *what, uint64_t stack)
{
	printk("\nkernel panic on cpu %d: %s\n", this_cpu()->id, what);
	printk("  cause %lx (%s) ", tf->scause, cause_name(tf->scause));
	print_pc("sepc", tf->sepc);
	printk(" stval %016lx\n", tf->stval);
	printk("  satp %016lx sp %016lx stack %016lx-%016lx\n", csr_read(satp), tf_sp(tf), stack,
	       stack + KSTACK_SIZE);
	dump_trapframe(tf);
	watchdog_print_harts();
	panic_end(tf_s0(tf), tf->sepc);
}

void kernel_trap_fatal(struct trapframe *tf)
{
	panic_begin();
	report(tf, "unexpected exception in kernel mode", this_cpu()->stack_base);
}

void trap_fatal(struct trapframe *tf, int why)
{
	struct cpu *c = this_cpu();
	uint64_t stack = c->stack_base;
	/* a fault in what follows is reported by panic_begin, not by us */
	cpu_set_stack(c, emergency_stacks[c->id]);
	panic_begin();
	report(tf,
	       why == FATAL_NESTED
	           ? "exception inside the trap vector (a trap while taking one)"
	           : "kernel trap with no room for its frame (stack overflow or bad sp)",
	       stack);
}
