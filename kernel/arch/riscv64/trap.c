/*
 * Trap dispatch: interrupts, system calls and exceptions from user mode,
 * and interrupts from kernel mode.  An exception in kernel mode is a
 * kernel bug and panics; an exception in user mode is reported on the
 * console and kills only that process.
 */
#include "abi/abi.h"
#include "arch/riscv64/cpu.h"
#include "arch/riscv64/plic.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/timer.h"
#include "arch/riscv64/trapframe.h"
#include "core/kernel.h"
#include "mm/vm.h"
#include "proc/sched.h"
#include "proc/task.h"

extern void trap_vector(void);
void kernel_trap_fatal(struct trapframe *tf) __attribute__((noreturn));

void trap_fatal_init_hart(struct cpu *c);

void trap_init_hart(void)
{
	trap_fatal_init_hart(this_cpu());
	csr_write(sscratch, 0);
	csr_write(stvec, (uint64_t)trap_vector);
}

/* Runs as one irq_push_off level, so that might_sleep catches a handler
 * that would sleep or touch user memory. */
static void handle_interrupt(uint64_t cause)
{
	irq_push_off();
	switch (cause & 0xff) {
	case IRQ_S_TIMER:
		timer_intr();
		break;
	case IRQ_S_EXT:
		plic_intr();
		break;
	case IRQ_S_SOFT:
		ipi_intr();
		break;
	default:
		printk("unexpected interrupt %lx\n", cause);
	}
	irq_pop_off();
}

void kernel_trap(struct trapframe *tf)
{
	if (tf->scause & SCAUSE_INTERRUPT) {
		handle_interrupt(tf->scause);
		return;
	}
	kernel_trap_fatal(tf);
}

static const char *fault_name(uint64_t cause)
{
	switch (cause) {
	case EXC_ILLEGAL_INST:
		return "illegal instruction";
	case EXC_BREAKPOINT:
		return "breakpoint";
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		return "misaligned access";
	default:
		return "access fault";
	}
}

/* The signal and siginfo a user fault raises (si_addr: the faulting
 * address, or the instruction for illegal ones). */
static struct ksiginfo fault_info(const struct trapframe *tf)
{
	struct ksiginfo info = {.kind = SIK_FAULT, .value = tf->stval};
	switch (tf->scause) {
	case EXC_ILLEGAL_INST:
		info.signo = SIGILL;
		info.code = ILL_ILLOPC;
		info.value = tf->sepc;
		break;
	case EXC_BREAKPOINT:
		info.signo = SIGTRAP;
		info.code = TRAP_BRKPT;
		info.value = tf->sepc;
		break;
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		info.signo = SIGBUS;
		info.code = BUS_ADRALN;
		break;
	default:
		info.signo = SIGSEGV;
		info.code = SEGV_MAPERR;
	}
	return info;
}

static void handle_page_fault(struct trapframe *tf)
{
	struct task *t = current();
	unsigned access = tf->scause == EXC_STORE_PAGE_FAULT  ? FAULT_WRITE
	                  : tf->scause == EXC_INST_PAGE_FAULT ? FAULT_EXEC
	                                                      : FAULT_READ;
	int r = vm_fault(t->mm, tf->stval, access);
	if (r == 0)
		return;
	if (r == -ENOMEM) {
		/* vm_fault reclaimed all it could: only this process pays */
		printk("pid %d (%s): out of memory at %#lx (pc %#lx), killed\n", t->pid, t->name,
		       tf->stval, tf->sepc);
		signal_send(t, SIGKILL);
		return;
	}
	if (!signal_has_handler(t, SIGSEGV)) {
		const char *what = r == -ENXIO                           ? "past end of file"
		                   : vm_is_stack_guard(t->mm, tf->stval) ? "stack overflow"
		                   : access == FAULT_WRITE               ? "write"
		                   : access == FAULT_EXEC                ? "exec"
		                                                         : "read";
		printk("pid %d (%s): page fault (%s) at %#lx pc %#lx ra %#lx\n", t->pid, t->name,
		       what, tf->stval, tf->sepc, tf_ra(tf));
	}
	struct ksiginfo info = fault_info(tf);
	if (r == -ENXIO) { /* a file mapping's page past the end of the file */
		info.signo = SIGBUS;
		info.code = BUS_ADRERR;
	}
	signal_force(t, &info);
}

static void handle_exception(struct trapframe *tf)
{
	struct task *t = current();
	switch (tf->scause) {
	case EXC_ECALL_U:
		tf->sepc += 4;
		tf->orig_a0 = tf_a(tf, 0);
		t->in_syscall = true;
		t->abi->syscall(tf);
		return;
	case EXC_INST_PAGE_FAULT:
	case EXC_LOAD_PAGE_FAULT:
	case EXC_STORE_PAGE_FAULT:
		handle_page_fault(tf);
		return;
	}
	struct ksiginfo info = fault_info(tf);
	if (!signal_has_handler(t, info.signo))
		printk("pid %d (%s): %s at pc %#lx (stval %#lx)\n", t->pid, t->name,
		       fault_name(tf->scause), tf->sepc, tf->stval);
	signal_force(t, &info);
}

/* Last steps before user mode: signals, preemption, then sret. */
void user_return(struct trapframe *tf) __attribute__((noreturn));
void user_return(struct trapframe *tf)
{
	struct task *t = current();
	irq_enable();
	for (;;) {
		if (signal_pending(t))
			signal_deliver(tf);
		if (!sched_need_resched())
			break;
		sched_preempt();
	}
	t->in_syscall = false;
	irq_disable();
	t->user_enter_ns = timer_now_ns();
	tf->sstatus &= ~(SSTATUS_SPP | SSTATUS_SIE);
	tf->sstatus |= SSTATUS_SPIE;
	trap_return_to_user(tf);
}

void user_trap(struct trapframe *tf)
{
	struct task *t = current();
	t->user_ns += timer_now_ns() - t->user_enter_ns;
	if (tf->scause & SCAUSE_INTERRUPT) {
		handle_interrupt(tf->scause);
	} else {
		irq_enable();
		handle_exception(tf);
	}
	user_return(tf);
}
