/*
 * The Linux futex call's pieces other files of the module need.
 */
#ifndef ABI_LINUX_FUTEX_H
#define ABI_LINUX_FUTEX_H

#include <stdbool.h>

#include "arch/riscv64/trapframe.h"

/* Whether the interrupted futex call in tf was a wait with a timeout:
 * Linux gives those a restart block, so they restart only when no
 * handler ran (ERESTART_RESTARTBLOCK), the others as ERESTARTSYS. */
bool linux_futex_restart_nohand(const struct trapframe *tf);

#endif
