/*
 * The first task: a kernel thread that builds the root file tree from the
 * initramfs, then becomes the user program init (pid 1) through exec.
 */
#include "abi/abi.h"
#include "arch/riscv64/timer.h"
#include "core/boot.h"
#include "core/kernel.h"
#include "exec/env.h"
#include "exec/exec.h"
#include "fs/vfs.h"
#include "mm/page.h"
#include "obj/handle.h"
#include "proc/task.h"

void user_return(struct trapframe *tf) __attribute__((noreturn));

/* Packs kernel strings the way exec_args_from_user would. */
static int args_from_kernel(struct exec_args *a, const char *const *argv, const char *const *envp)
{
	int r = exec_args_init(a);
	for (; r == 0 && *argv; argv++, a->argc++)
		r = exec_args_push(a, *argv);
	for (; r == 0 && *envp; envp++, a->envc++)
		r = exec_args_push(a, *envp);
	return r;
}

static void init_thread(void *arg)
{
	(void)arg;
	struct task *t = current();
	struct fdt_info *f = &boot.fdt;
	size_t len = f->initrd_end - f->initrd_start;
	t->fs = fs_boot(len ? PA_TO_VA(f->initrd_start) : NULL, len);
	if (!t->fs)
		panic("init: cannot build the root file system");
	if (len) /* the archive is unpacked: give its memory back */
		page_add_range(f->initrd_start, f->initrd_end);
	env_init(t->fs);
	t->handles = handle_table_create();
	t->pgid = t->sid = t->pid;

	static const char *const envp[] = {"PATH=/system/scarlet/bin:/bin", "HOME=/home", NULL};
	struct exec_args args;
	if (args_from_kernel(&args, boot.init_argv, envp) < 0)
		panic("init: out of memory");
	boot.boot_ns = timer_now_ns();
	int r = exec_program(boot.init_path, &args);
	exec_args_free(&args);
	if (r < 0)
		panic("init: cannot run %s: error %d", boot.init_path, -r);
	printk("boot: %s started at %lu.%03lu s\n", boot.init_path, boot.boot_ns / 1000000000,
	       boot.boot_ns / 1000000 % 1000);
	user_return(t->tf);
}

void init_task_start(void)
{
	init_task = kthread_create("init", init_thread, NULL);
	if (!init_task)
		panic("cannot create init");
}
