/*
 * Internals of the executor shared by its files (not for other callers:
 * they use exec.h).
 */
#ifndef EXEC_EXECUTOR_H
#define EXEC_EXECUTOR_H

#include "abi/abi.h"
#include "exec/binary.h"
#include "exec/exec.h"

/* One step of an exec: path with args, under the forced ABI if any. */
int exec_run(const char *path, struct exec_args *args, const struct abi_module *forced, int depth);
/* Runs a "#!" file's interpreter (script.c). */
int exec_script(struct kobj *file, const char *path, struct exec_args *args,
                const struct abi_module *forced, int depth);
bool exec_is_script(const struct exec_binary *bin);
/* Loads bin with module m and, if that worked, replaces the current
 * program (commit.c). */
int exec_load_and_commit(const struct abi_module *m, const struct exec_binary *bin,
                         struct exec_args *args);

#endif
