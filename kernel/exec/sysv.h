/*
 * The System V initial process image (see sysv.c), for ABI modules.
 */
#ifndef EXEC_SYSV_H
#define EXEC_SYSV_H

#include <stddef.h>
#include <stdint.h>

#include "abi/abi.h"

struct mm;
struct exec_args;

#define SYSV_EXTRA_AUXV_MAX 16

/* auxv entry types (System V / Linux numbering) */
#define AT_PHDR     3
#define AT_PHENT    4
#define AT_PHNUM    5
#define AT_PAGESZ   6
#define AT_BASE     7
#define AT_FLAGS    8
#define AT_ENTRY    9
#define AT_UID      11
#define AT_EUID     12
#define AT_GID      13
#define AT_EGID     14
#define AT_PLATFORM 15
#define AT_HWCAP    16
#define AT_CLKTCK   17
#define AT_SECURE   23
#define AT_RANDOM   25
#define AT_EXECFN   31

/* Loads bin into mm with the common auxv entries plus nextra (type,
 * value) pairs; fills tf's pc, sp, a0..a2. */
int sysv_load(const struct exec_binary *bin, struct mm *mm, const struct exec_args *args,
              struct trapframe *tf, const uint64_t *extra_auxv, size_t nextra);

#endif
