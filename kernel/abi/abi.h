/*
 * ABI modules.  Each operating-system interface the kernel speaks (the
 * native one, xv6-riscv, Linux...) is a module: it scores binaries, builds
 * its processes' images, handles their system calls and keeps their
 * descriptor tables over the task's kernel handles.  The executor
 * (kernel/exec) picks a module for every exec; a module never reaches
 * into another one, only into core services and kernel objects.
 *
 * Adding an ABI is a folder kernel/abi/<name>/ plus one line in
 * kernel/abi/registry.c.
 */
#ifndef ABI_ABI_H
#define ABI_ABI_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/riscv64/trapframe.h"

struct task;
struct mm;
struct kobj;
struct handle_table;
struct fs_struct;
struct exec_args;
struct elf_image;
struct ksiginfo;
struct ksigaction;

struct cred;

/* What the executor learned about a candidate binary, for scoring. */
struct exec_binary {
	const char *path;          /* as the caller named it */
	struct kobj *file;         /* open for reading */
	struct fs_struct *fs;      /* where the program will run: its interpreter is found there */
	const unsigned char *head; /* the first head_len bytes of the file */
	unsigned head_len;
	const struct elf_image *elf; /* NULL when not an ELF64 RISC-V file */
	/* derived from the program headers and notes (elf != NULL) */
	bool has_scarlet_note; /* "Scarlet" note: a native binary */
	bool has_gnu_abi_tag;  /* "GNU" NT_GNU_ABI_TAG note: glibc */
	bool has_interp;       /* PT_INTERP: dynamically linked */
	bool has_tls;          /* PT_TLS */
	bool has_dynamic;      /* PT_DYNAMIC: relocated by a dynamic linker, or is one */
	bool has_notes;        /* any PT_NOTE at all */
	uint64_t lowest_vaddr; /* of the PT_LOAD segments */
	/* set by the executor before load: the ids the program runs with
	 * (proc/cred.h; set-user-ID applied) and whether they differ from
	 * the real ones (AT_SECURE) */
	const struct cred *cred;
	bool secure;
};

/* A descriptor carried over when exec changes ABI: the old ABI's fd
 * number and a reference to the object. */
struct fd_carry {
	int fd;
	struct kobj *obj;
};

/* Runtime delegation: run [path, args..., target, target-args...]. */
#define ABI_RUNTIME_ARGS_MAX 8
struct abi_runtime {
	char path[256];
	const char *abi; /* runtime's ABI name, or NULL */
	int nargs;
	char args[ABI_RUNTIME_ARGS_MAX][64]; /* extra arguments */
};

struct abi_module {
	const char *name; /* "scarlet", "xv6-riscv64", "linux-riscv64" */
	/* This ABI's environment: the lower layer of its root in the global
	 * tree, e.g. "/system/xv6-riscv64"; NULL for the global tree itself
	 * (the native ABI). */
	const char *system_root;
	/* Its environment has a sysfs on /sys (fs/sysfs/sysfs.h). */
	bool has_sysfs;

	/* 0 (not mine) to 100 (certainly mine). */
	int (*score)(const struct exec_binary *bin);
	/* Optional: non-zero (and *rt filled) to have a userland runtime
	 * run the binary instead. */
	int (*delegate)(const struct exec_binary *bin, struct abi_runtime *rt);
	/* Maps the program into the fresh mm and fills the initial user
	 * registers in tf (pc, sp, arguments) as this ABI's programs expect
	 * them.  Must not touch the calling task: exec may still fail. */
	int (*load)(const struct exec_binary *bin, struct mm *mm, const struct exec_args *args,
	            struct trapframe *tf);

	/* Handles the system call in tf and stores the result in tf. */
	void (*syscall)(struct trapframe *tf);

	/* Per-task data (abi_data), e.g. the descriptor table.  All optional;
	 * a module without data leaves them NULL. */
	int (*fork_data)(struct task *parent, void **child_data);
	void (*free_data)(void *data);

	/* Descriptor carry-over across an ABI switch.  export_fds lists the
	 * task's open descriptors (close-on-exec ones already gone) with new
	 * references; import_fds installs carried objects (consuming the
	 * references) into the fresh table ht under this ABI's numbering and
	 * returns this ABI's per-task data for the task. */
	int (*export_fds)(struct task *t, struct fd_carry *out, int max);
	int (*import_fds)(struct handle_table *ht, struct fd_carry *in, int n, void **data);
	/* Optional: after an exec that stays in this ABI (close-on-exec
	 * handles are closed by then). */
	void (*exec_same_abi)(struct task *t);
	/* Optional: after every exec into this ABI, switch or not: set up
	 * per-task state the ABI's programs expect (signal dispositions...). */
	void (*enter)(struct task *t);

	/* Optional: signal handlers (an ABI without them has only default
	 * and ignore).  signal_frame makes t (current) run act's handler for
	 * info on return to user, saving its registers and old_mask where
	 * the ABI's sigreturn finds them; 0, or -EFAULT when the frame cannot
	 * be written (the task then gets SIGSEGV). */
	int (*signal_frame)(struct task *t, const struct ksiginfo *info,
	                    const struct ksigaction *act, uint64_t old_mask);
	/* Optional: the system call in tf was cut short by a signal that
	 * runs act's handler (or by one without handler: act NULL); decide
	 * whether it restarts or returns its error (EINTR). */
	void (*syscall_interrupted)(struct trapframe *tf, const struct ksigaction *act);
};

/* The registry (kernel/abi/registry.c). */
const struct abi_module *abi_find(const char *name);
/* Calls fn for every module, in registration order. */
void abi_for_each(void (*fn)(const struct abi_module *m, void *ctx), void *ctx);

extern const struct abi_module native_abi;

/* Logs "ABI: unimplemented syscall NR (NAME) from pid P (COMM)" for the
 * current task, once per process and number and at most a few lines a
 * second (abi_log.c); name may be NULL. */
void abi_log_enosys(const char *abi, uint64_t nr, const char *name);
/* printk for "this flag or mode is not implemented": once per process
 * and message (fmt is the key), within the same rate limit. */
void abi_log_missing(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
