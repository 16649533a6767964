/*
 * Linux riscv64 signal layouts and the pieces of the module that use
 * them: the frame a handler runs on (rt_sigframe: siginfo_t then
 * ucontext_t), the sigreturn trampoline page, system call restart.
 * Layouts: include/uapi/asm-generic/siginfo.h, arch/riscv's
 * uapi/asm/{ucontext,sigcontext,ptrace}.h.
 */
#ifndef ABI_LINUX_SIGNAL_H
#define ABI_LINUX_SIGNAL_H

#include <stdint.h>

#include "proc/signal.h"

struct task;
struct mm;
struct trapframe;

struct linux_siginfo {
	int32_t signo, err, code, pad;
	union {
		struct {
			int32_t pid;
			uint32_t uid;
			union {
				int32_t status; /* SIGCHLD */
				uint64_t value; /* sigqueue */
			};
			int64_t utime, stime;
		} proc;
		struct {
			int32_t tid; /* the timer id */
			int32_t overrun;
			uint64_t value;
		} timer;
		uint64_t addr; /* faults */
		uint8_t raw[112];
	};
};
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo_t");

struct linux_stack {
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};

/* struct sigcontext: pc then x1..x31, then the FP state union, whose
 * D view is f0..f31 and fcsr (the Q view makes it 528 bytes). */
struct linux_sigcontext {
	uint64_t regs[32];
	uint64_t fpregs[32];
	uint32_t fcsr;
	uint32_t fp_reserved[67];
};
_Static_assert(sizeof(struct linux_sigcontext) == 784, "sigcontext");

struct linux_ucontext {
	uint64_t flags;
	uint64_t link;
	struct linux_stack stack;
	uint64_t sigmask;
	uint8_t unused[120];
	struct linux_sigcontext mcontext __attribute__((aligned(16)));
};
_Static_assert(sizeof(struct linux_ucontext) == 960, "ucontext_t");

struct linux_rt_sigframe {
	struct linux_siginfo info;
	struct linux_ucontext uc;
};

/* struct sigaction of riscv64 (no sa_restorer). */
struct linux_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t mask;
};

#define LINUX_SIGSET_SIZE 8
#define LINUX_MINSIGSTKSZ 2048

/* Where the sigreturn trampoline lives in every Linux process. */
#define LINUX_SIGTRAMP_ADDR 0x3f00000000UL

/* Maps the read+exec trampoline page into a fresh image. */
int linux_map_sigtramp(struct mm *mm);
/* abi_module hooks (signal_frame.c). */
int linux_signal_frame(struct task *t, const struct ksiginfo *info, const struct ksigaction *act,
                       uint64_t old_mask);
void linux_syscall_interrupted(struct trapframe *tf, const struct ksigaction *act);
/* Converts a kernel siginfo to Linux's. */
void linux_siginfo_from(struct linux_siginfo *out, const struct ksiginfo *in);
/* sigaltstack state of t as seen from user sp. */
int linux_altstack_flags(struct task *t, uint64_t sp);
bool linux_on_altstack(struct task *t, uint64_t sp);

#endif
