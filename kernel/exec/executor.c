/*
 * The transparent executor (see exec.h): open in the caller's namespace,
 * "#!" scripts, the runtime registry, ABI scoring with the caller's ABI as
 * tie-breaker, runtime delegation by a module, then load and commit.
 */
#include "exec/executor.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "exec/runtimes.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"
#include "proc/task.h"

/* Regular files with execute permission only (EACCES). */
static int open_executable(const char *path, struct kobj **out)
{
	return vfs_open_exec(current()->fs, path, out);
}

struct pick {
	const struct exec_binary *bin;
	const struct abi_module *best, *caller;
	int score;
};

static void score_one(const struct abi_module *m, void *ctx)
{
	struct pick *p = ctx;
	int s = m->score ? m->score(p->bin) : 0;
	if (s > p->score || (s == p->score && s > 0 && m == p->caller)) {
		p->score = s;
		p->best = m;
	}
}

/* The module that scores bin highest; the caller's ABI wins ties. */
static const struct abi_module *pick_abi(const struct exec_binary *bin)
{
	struct task *t = current();
	struct pick p = {.bin = bin, .caller = t->abi, .score = 0};
	abi_for_each(score_one, &p);
	return p.score > 0 ? p.best : NULL;
}

/* Runs [rt->path, rt->args..., path, argv[1..]] instead.  Registry paths
 * name the global tree, which a task of another ABI sees at /scarlet. */
static int delegate(const struct abi_runtime *rt, const char *path, struct exec_args *args,
                    int depth)
{
	const char *lead[ABI_RUNTIME_ARGS_MAX + 2];
	char runtime[sizeof(rt->path) + 8];
	int n = 0;
	if (current()->abi->system_root && rt->path[0] == '/')
		fmt_snprintf(runtime, sizeof(runtime), "/scarlet%s", rt->path);
	else
		strlcpy(runtime, rt->path, sizeof(runtime));
	lead[n++] = runtime;
	for (int i = 0; i < rt->nargs; i++)
		lead[n++] = rt->args[i];
	lead[n++] = path;
	struct exec_args rargs;
	int r = exec_args_with_prefix(&rargs, args, lead, n, 1u << (n - 1)); /* path is last */
	if (r < 0)
		return r;
	r = exec_run(runtime, &rargs, rt->abi ? abi_find(rt->abi) : NULL, depth + 1);
	exec_args_free(&rargs);
	return r;
}

/* Decides what runs for an inspected file and runs it. */
static int run_candidate(struct exec_candidate *c, struct exec_args *args,
                         const struct abi_module *forced, int depth)
{
	struct exec_binary *bin = &c->bin;
	struct abi_runtime *rt = kmalloc(sizeof(*rt));
	if (!rt)
		return -ENOMEM;
	int r;
	if (exec_is_script(bin)) {
		r = exec_script(bin->file, bin->path, args, forced, depth);
	} else if (!forced && runtimes_match(bin, rt)) {
		r = delegate(rt, bin->path, args, depth);
	} else {
		const struct abi_module *m = forced ? forced : pick_abi(bin);
		if (!m)
			r = -ENOEXEC;
		else if (m->delegate && m->delegate(bin, rt))
			r = delegate(rt, bin->path, args, depth);
		else
			r = exec_load_and_commit(m, bin, args);
	}
	kfree(rt);
	return r;
}

/* Runs an opened program file; path is the name it goes by. */
static int run_file(struct kobj *file, const char *path, struct exec_args *args,
                    const struct abi_module *forced, int depth)
{
	struct exec_candidate *c = kmalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	int r = exec_inspect(file, path, c);
	if (r == 0)
		r = run_candidate(c, args, forced, depth);
	kfree(c);
	return r;
}

int exec_run(const char *path, struct exec_args *args, const struct abi_module *forced, int depth)
{
	if (depth > EXEC_SCRIPT_DEPTH)
		return -ELOOP;
	if (depth == 0) { /* the name the task will have, as Linux's comm */
		const char *slash = strrchr(path, '/');
		strlcpy(args->comm, slash ? slash + 1 : path, sizeof(args->comm));
	}
	struct kobj *file;
	int r = open_executable(path, &file);
	if (r < 0)
		return r;
	r = run_file(file, path, args, forced, depth);
	kobj_put(file);
	return r;
}

int exec_program_file(struct kobj *file, const char *name, struct exec_args *args)
{
	return run_file(file, name, args, NULL, 0);
}

int exec_program(const char *path, struct exec_args *args)
{
	return exec_run(path, args, NULL, 0);
}

int exec_program_abi(const char *path, struct exec_args *args, const char *abi_name)
{
	const struct abi_module *m = abi_find(abi_name);
	if (!m)
		return -EINVAL;
	return exec_run(path, args, m, 0);
}

int exec_probe_abi(const char *path, char *name, size_t n)
{
	struct kobj *file;
	int r = open_executable(path, &file);
	if (r < 0)
		return r;
	struct exec_candidate *c = kmalloc(sizeof(*c));
	r = c ? exec_inspect(file, path, c) : -ENOMEM;
	struct abi_runtime *rt = r == 0 ? kmalloc(sizeof(*rt)) : NULL;
	if (r == 0) {
		const struct abi_module *m = pick_abi(&c->bin);
		if (exec_is_script(&c->bin))
			strlcpy(name, "script", n);
		else if (rt && runtimes_match(&c->bin, rt))
			fmt_snprintf(name, n, "runtime %s", rt->path);
		else if (m)
			strlcpy(name, m->name, n);
		else
			r = -ENOEXEC;
	}
	kfree(rt);
	kfree(c);
	kobj_put(file);
	return r;
}
