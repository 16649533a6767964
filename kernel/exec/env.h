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

/*
 * Names of one place in different environments (env_path.c): the global
 * tree's /x is /scarlet/x in another ABI's tree, except under the
 * directories bound at the same place (/home, /tmp, /dev); what is inside
 * an ABI's own tree has no global name.
 */
/* Rewrites the absolute path (as abi's tasks see it) in place into its
 * global name; false when it is relative or has none. */
bool env_path_to_global(const struct abi_module *abi, char *path);
/* The name of global path gpath in abi's tree; ENAMETOOLONG if n is short. */
int env_path_from_global(const struct abi_module *abi, const char *gpath, char *out, size_t n);
/* What a task of `to` calls the place a task of `from` calls path; path
 * itself when it is relative or has no name outside from's tree. */
int env_translate_path(const struct abi_module *from, const struct abi_module *to, const char *path,
                       char *out, size_t n);

#endif
