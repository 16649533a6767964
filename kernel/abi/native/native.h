/*
 * The Scarlet native ABI module: system calls on handles (see
 * include/scarlet/syscall.h and docs/native-syscalls.md).
 */
#ifndef ABI_NATIVE_H
#define ABI_NATIVE_H

#include <stdint.h>

#include "arch/riscv64/memlayout.h"
#include "core/kernel.h"
#include "core/uaccess.h"
#include "arch/riscv64/trapframe.h"

typedef long (*native_syscall_fn)(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                                  uint64_t a5);

#define SYSCALL_DEFINE(name)                                                                       \
	long sys_##name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,           \
	                uint64_t a5)
#define UNUSED_ARGS(...) (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5

struct exec_binary;
struct exec_args;
struct mm;

void native_syscall(struct trapframe *tf);

/* Copies a user path into a kmalloc'ed PATH_MAX buffer; free with kfree. */
long native_get_path(uint64_t upath, char **out);

#endif
