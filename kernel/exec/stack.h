/*
 * Building the initial user stack for a new program image.
 */
#ifndef EXEC_STACK_H
#define EXEC_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "exec/exec.h"

struct mm;

/* auxv values replaced by the address of the 16 random bytes / of the
 * file name string once the stack is laid out. */
#define AUX_RANDOM_PLACEHOLDER 0xfffffffffffff001UL
#define AUX_EXECFN_PLACEHOLDER 0xfffffffffffff002UL

struct exec_stack {
	uint64_t sp, argv, envp;
	uint64_t random_addr, execfn_addr;
};

/* Lays out execfn (the path given to exec, for AT_EXECFN; at the top,
 * as Linux), args and the nauxv (type, value) pairs in auxv below
 * USER_STACK_TOP; AT_NULL is appended. */
int exec_build_stack(struct mm *mm, const char *execfn, const struct exec_args *a,
                     const uint64_t *auxv, size_t nauxv, struct exec_stack *out);

#endif
