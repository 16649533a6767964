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
};

/* Copies a NULL-terminated user vector of strings (argv or envp). */
int exec_args_from_user(struct exec_args *a, const char *const *uargv, const char *const *uenvp);
void exec_args_free(struct exec_args *a);

/* Executes path with args; only returns on failure (-ERRNO).  A file
 * starting with "#!interpreter [arg]" runs as
 * [interpreter, arg, path, args[1..]] (at most EXEC_SCRIPT_DEPTH deep,
 * then ELOOP). */
int exec_program(const char *path, struct exec_args *args);

#define EXEC_SCRIPT_DEPTH 4

/* Builds the argument list of an interpreter run from a "#!" line. */
int exec_args_for_script(struct exec_args *out, const struct exec_args *in, const char *interp,
                         const char *optarg, const char *path);

#endif
