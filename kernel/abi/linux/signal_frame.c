/*
 * Linux signal frames on riscv64.  A handler runs on an rt_sigframe
 * (siginfo_t, then ucontext_t holding the interrupted registers, FP state,
 * mask and alternate stack) pushed on the user stack or the alternate
 * one, with a0 = signal, a1 = &info, a2 = &uc and ra pointing at a
 * trampoline that calls rt_sigreturn.  Linux puts that trampoline in the
 * vDSO; there is no vDSO here, so every Linux image gets one read+exec
 * page holding it.
 */
#include "abi/linux/signal.h"

#include "abi/linux/futex.h"
#include "abi/linux/linux.h"
#include "arch/riscv64/memlayout.h"
#include "arch/riscv64/riscv.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "proc/fork.h"
#include "proc/pid_ns.h"
#include "proc/task.h"

static const uint32_t sigtramp_code[] = {
    0x08b00893, /* li a7, 139 (rt_sigreturn) */
    0x00000073, /* ecall */
};

int linux_map_sigtramp(struct mm *mm)
{
	int r = vm_map_anon(mm, LINUX_SIGTRAMP_ADDR, PAGE_SIZE, PROT_READ | PROT_EXEC, 0);
	if (r == 0)
		r = vm_copy_in(mm, LINUX_SIGTRAMP_ADDR, sigtramp_code, sizeof(sigtramp_code));
	return r;
}

bool linux_on_altstack(struct task *t, uint64_t sp)
{
	const struct sigaltstack_k *ss = &t->sig_altstack;
	if (ss->flags & (SS_AUTODISARM | SS_DISABLE))
		return false;
	return sp > ss->sp && sp - ss->sp <= ss->size;
}

int linux_altstack_flags(struct task *t, uint64_t sp)
{
	if (t->sig_altstack.flags & SS_DISABLE)
		return SS_DISABLE;
	return (linux_on_altstack(t, sp) ? SS_ONSTACK : 0) |
	       (int)(t->sig_altstack.flags & SS_AUTODISARM);
}

void linux_siginfo_from(struct linux_siginfo *out, const struct ksiginfo *in)
{
	memset(out, 0, sizeof(*out));
	out->signo = in->signo;
	out->err = in->err;
	out->code = in->code;
	switch (in->kind) {
	case SIK_FAULT:
		out->addr = in->value;
		break;
	case SIK_CHILD: /* the kernel's pids, as the receiver (current) sees them */
		out->proc.pid = pid_vnr(in->pid);
		out->proc.uid = in->uid;
		out->proc.status = in->status;
		break;
	case SIK_QUEUE:
		out->proc.value = in->value;
		/* fall through */
	case SIK_KILL:
		out->proc.pid = in->kind == SIK_KILL ? pid_vnr(in->pid) : in->pid;
		out->proc.uid = in->uid;
		break;
	case SIK_TIMER:
		out->timer.tid = in->pid;
		out->timer.overrun = in->status;
		out->timer.value = in->value;
		break;
	}
}

/* The frame's address: below the interrupted sp, or at the top of the
 * alternate stack for SA_ONSTACK when not already on it. */
static uint64_t frame_address(struct task *t, const struct ksigaction *act)
{
	uint64_t sp = tf_sp(t->tf);
	if ((act->flags & SA_ONSTACK) && !(t->sig_altstack.flags & SS_DISABLE) &&
	    !linux_on_altstack(t, sp))
		sp = t->sig_altstack.sp + t->sig_altstack.size;
	return (sp - sizeof(struct linux_rt_sigframe)) & ~15UL;
}

static void save_context(struct task *t, struct linux_ucontext *uc, uint64_t old_mask)
{
	struct trapframe *tf = t->tf;
	uc->stack.sp = t->sig_altstack.sp;
	uc->stack.size = t->sig_altstack.size;
	uc->stack.flags = linux_altstack_flags(t, tf_sp(tf));
	uc->sigmask = old_mask;
	uc->mcontext.regs[0] = tf->sepc;
	for (int i = 1; i < 32; i++)
		uc->mcontext.regs[i] = tf->x[i];
	task_fp_sync(t);
	memcpy(uc->mcontext.fpregs, t->fpregs, sizeof(uc->mcontext.fpregs));
	uc->mcontext.fcsr = (uint32_t)t->fpregs[32];
}

int linux_signal_frame(struct task *t, const struct ksiginfo *info, const struct ksigaction *act,
                       uint64_t old_mask)
{
	struct linux_rt_sigframe *f = kzalloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	uint64_t addr = frame_address(t, act);
	linux_siginfo_from(&f->info, info);
	save_context(t, &f->uc, old_mask);
	int r = copy_to_user((void *)addr, f, sizeof(*f));
	kfree(f);
	if (r < 0)
		return r;
	if (t->sig_altstack.flags & SS_AUTODISARM)
		t->sig_altstack = (struct sigaltstack_k){.flags = SS_DISABLE};
	struct trapframe *tf = t->tf;
	tf->sepc = act->handler;
	tf_sp(tf) = addr;
	tf_ra(tf) = LINUX_SIGTRAMP_ADDR;
	tf_a(tf, 0) = (uint64_t)info->signo;
	tf_a(tf, 1) = addr + offsetof(struct linux_rt_sigframe, info);
	tf_a(tf, 2) = addr + offsetof(struct linux_rt_sigframe, uc);
	return 0;
}

/* How an interrupted call behaves, as Linux's -ERESTART* codes say. */
enum restart_kind {
	RESTART_SYS,    /* restarts unless a handler without SA_RESTART ran */
	RESTART_NOHAND, /* restarts only if no handler ran */
	RESTART_NEVER,  /* always returns EINTR */
};

static enum restart_kind restart_kind(const struct trapframe *tf)
{
	switch (tf_syscall_nr(tf)) {
	case 98: /* futex: a wait with a timeout has a restart block */
		return linux_futex_restart_nohand(tf) ? RESTART_NOHAND : RESTART_SYS;
	case 22:  /* epoll_pwait */
	case 137: /* rt_sigtimedwait */
	case 192: /* semtimedop: Linux's semop returns EINTR itself */
	case 193: /* semop */
	case 441: /* epoll_pwait2 */
		return RESTART_NEVER;
	case 72:  /* pselect6 */
	case 73:  /* ppoll */
	case 101: /* nanosleep */
	case 115: /* clock_nanosleep */
	case 133: /* rt_sigsuspend */
	case 188: /* msgrcv */
	case 189: /* msgsnd */
		return RESTART_NOHAND;
	default:
		return linux_sock_no_restart(tf) ? RESTART_NEVER : RESTART_SYS;
	}
}

void linux_syscall_interrupted(struct trapframe *tf, const struct ksigaction *act)
{
	if ((long)tf_a(tf, 0) != -EINTR)
		return;
	enum restart_kind k = restart_kind(tf);
	if (k == RESTART_NEVER)
		return;
	if (act && (k == RESTART_NOHAND || !(act->flags & SA_RESTART)))
		return;
	tf_a(tf, 0) = tf->orig_a0;
	tf->sepc -= 4; /* the ecall again, a7 still holds its number */
}

/* Puts back the alternate stack saved in a frame, as sigaltstack would;
 * a failure is ignored, as on Linux. */
static void restore_altstack(struct task *t, const struct linux_stack *st, uint64_t sp)
{
	if (linux_on_altstack(t, sp))
		return;
	if (st->flags & SS_DISABLE)
		t->sig_altstack = (struct sigaltstack_k){.flags = SS_DISABLE};
	else if (st->size >= LINUX_MINSIGSTKSZ)
		t->sig_altstack = (struct sigaltstack_k){
		    .sp = st->sp, .size = st->size, .flags = st->flags & (int)SS_AUTODISARM};
}

static void restore_fp(struct task *t, const struct linux_sigcontext *sc)
{
	memcpy(t->fpregs, sc->fpregs, sizeof(sc->fpregs));
	t->fpregs[32] = sc->fcsr;
	if ((t->tf->sstatus & SSTATUS_FS_MASK) != SSTATUS_FS_OFF) {
		fpu_restore(t->fpregs);
		t->tf->sstatus = (t->tf->sstatus & ~SSTATUS_FS_MASK) | SSTATUS_FS_CLEAN;
	}
}

LINUX_SYSCALL(rt_sigreturn)
{
	LINUX_UNUSED();
	struct task *t = current();
	struct trapframe *tf = t->tf;
	struct linux_ucontext *uc = kmalloc(sizeof(*uc));
	if (!uc)
		return -ENOMEM;
	uint64_t addr = tf_sp(tf) + offsetof(struct linux_rt_sigframe, uc);
	if (copy_from_user(uc, (void *)addr, sizeof(*uc)) < 0) {
		kfree(uc);
		signal_force(t, &(struct ksiginfo){.signo = SIGSEGV, .code = SI_KERNEL});
		return (long)tf_a(tf, 0);
	}
	tf->sepc = uc->mcontext.regs[0];
	for (int i = 1; i < 32; i++)
		tf->x[i] = uc->mcontext.regs[i];
	restore_fp(t, &uc->mcontext);
	signal_mask(2, uc->sigmask, NULL);
	restore_altstack(t, &uc->stack, tf_sp(tf));
	kfree(uc);
	t->in_syscall = false; /* the a0 restored is not this call's result */
	return (long)tf_a(tf, 0);
}
