/*
 * ABI modules: each foreign (or native) operating-system interface the
 * kernel speaks is a module with a name and a system call handler.  The
 * executor (issue "ABI modules and the transparent executor") extends
 * this with binary scoring, process-image building and fork/exit hooks.
 */
#ifndef ABI_ABI_H
#define ABI_ABI_H

#include "arch/riscv64/trapframe.h"

struct abi_module {
	const char *name;
	/* Handles the system call in tf (number and arguments in registers)
	 * and stores the result in tf. */
	void (*syscall)(struct trapframe *tf);
};

extern const struct abi_module native_abi;

#endif
