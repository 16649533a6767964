/*
 * exec: replace the current task's program.  The new image is built
 * completely in a fresh address space and committed only when nothing
 * can fail any more, so a failed exec leaves the caller intact.
 */
#ifndef EXEC_EXEC_H
#define EXEC_EXEC_H

#include <stddef.h>
#include <stdint.h>

/* Linux's limits: the strings and their pointers may take a quarter of
 * the soft RLIMIT_STACK, at least ARG_MAX (128 KiB), at most 6 MiB (3/4
 * of _STK_LIM); one string at most 32 pages (MAX_ARG_STRLEN).  Beyond:
 * E2BIG. */
#define EXEC_ARG_MIN    (128 * 1024)
#define EXEC_ARG_CEIL   (6 * 1024 * 1024)
#define EXEC_ARG_STRLEN (32 * 4096)

/* Arguments and environment copied out of the caller. */
struct exec_args {
	char *buf; /* argc strings, then envc strings, each NUL-terminated */
	size_t used;
	size_t cap;   /* bytes allocated at buf (grows) */
	size_t limit; /* bytes the strings may take (E2BIG beyond) */
	int argc, envc;
	/* Bit i: argv[i] is a path the executor put there (a script's or a
	 * runtime's target), named in the caller's environment. */
	uint32_t path_args;
	/* The name of the file first exec'd (a script's, not its
	 * interpreter's), which the task takes; "" until exec_run sets it. */
	char comm[32];
};

/* Copies the NULL-terminated user vectors argv and envp (either may be
 * NULL) with Linux's limits for the caller's RLIMIT_STACK.  E2BIG,
 * EFAULT, ENOMEM. */
int exec_args_from_user(struct exec_args *a, const char *const *uargv, const char *const *uenvp);
/* An empty vector for the kernel to fill (exec_args_push). */
int exec_args_init(struct exec_args *a);
/* Appends a string (an argument while a->envc is 0); E2BIG, ENOMEM. */
int exec_args_push(struct exec_args *a, const char *s);
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
