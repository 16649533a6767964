/*
 * ABI environments: what a task of an ABI sees as its file tree.  The
 * native ABI sees the global tree.  Any other ABI X sees
 *   /          overlay: upper /data/config/X over lower /system/X
 *   /home /tmp /dev   bound from the global tree
 *   /scarlet   the whole global tree (with its mounts)
 * built once per ABI on first use and shared by its tasks, like a
 * container's namespace.
 */
#ifndef EXEC_ENV_H
#define EXEC_ENV_H

#include "abi/abi.h"
#include "fs/vfs.h"

/* Records the global tree (init's fs before it becomes a user task). */
void env_init(struct fs_struct *global);
struct fs_struct *env_global(void);

/* A new fs_struct for a task entering abi's environment, with the cwd
 * carried over from `from` where the same place exists there (else /). */
int env_enter(const struct abi_module *abi, const struct abi_module *from_abi,
              struct fs_struct *from, struct fs_struct **out);

#endif
