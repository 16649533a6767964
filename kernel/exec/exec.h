/*
 * exec: replace the current task's program.  The new image is built
 * completely in a fresh address space and committed only when nothing
 * can fail any more, so a failed exec leaves the caller intact.
 */
#ifndef EXEC_EXEC_H
#define EXEC_EXEC_H

#include <stddef.h>
#include <stdint.h>

#define EXEC_ARG_MAX  (128 * 1024) /* bytes of argument and environment strings */
#define EXEC_ARGC_MAX 4096

/* Arguments and environment copied out of the caller. */
struct exec_args {
	char *buf; /* argc strings, then envc strings, each NUL-terminated */
	size_t used;
	int argc, envc;
	/* Bit i: argv[i] is a path the executor put there (a script's or a
	 * runtime's target), named in the caller's environment. */
	uint32_t path_args;
};

/* Copies a NULL-terminated user vector of strings (argv or envp). */
int exec_args_from_user(struct exec_args *a, const char *const *uargv, const char *const *uenvp);
void exec_args_free(struct exec_args *a);

/*
 * The transparent executor: every exec of every ABI comes here.  path is
 * resolved in the caller's namespace; a "#!interpreter [arg]" file runs as
 * [interpreter, arg, path, args[1..]] (at most EXEC_SCRIPT_DEPTH deep,
 * then ELOOP); a file matched by the runtime registry runs under its
 * runtime; otherwise every ABI module scores the binary and the best one
 * loads it (ties go to the caller's ABI).  When the ABI changes, the task
 * moves into that ABI's environment and its descriptors are carried over.
 * On failure returns -ERRNO, leaving the caller as it was.  On success
 * the task runs the new program once back in user mode, and the return
 * value is what the new program gets in a0, so a system call handler can
 * store it as the call's result without clobbering the new registers.
 */
int exec_program(const char *path, struct exec_args *args);
/* Same for a program already opened for exec (vfs_open_exec*,
 * vfs_path_open_exec: execveat); name is what it goes by (a script's
 * interpreter gets it as its argument, the new program as AT_EXECFN). */
struct kobj;
int exec_program_file(struct kobj *file, const char *name, struct exec_args *args);
/* Same, but abi_name ("scarlet", "xv6-riscv64"...) is used whatever the
 * binary scores (abi-run); EINVAL for an unknown ABI. */
int exec_program_abi(const char *path, struct exec_args *args, const char *abi_name);
/* Which ABI the executor would pick for path (for tools and tests);
 * writes its name into name[n]. */
int exec_probe_abi(const char *path, char *name, size_t n);

/* How many interpreters and runtimes one exec may go through (ELOOP). */
#define EXEC_SCRIPT_DEPTH 4

/* out = [lead[0..nlead-1], in's argv[1..]] with in's environment: the
 * argument list of an interpreter or runtime run for in's program.  Bit i
 * of lead_paths marks lead[i] as a path (exec_args.path_args). */
int exec_args_with_prefix(struct exec_args *out, const struct exec_args *in,
                          const char *const *lead, int nlead, uint32_t lead_paths);
/* Replaces argv[i] with s; E2BIG when the buffer would overflow. */
int exec_args_replace(struct exec_args *a, int i, const char *s);

#endif
