/*
 * The initial user stack, System V layout (used by the native and Linux
 * ABIs): argc, argv[], NULL, envp[], NULL, auxv pairs ending in AT_NULL,
 * with the strings and 16 random bytes above them, and the file name
 * (AT_EXECFN) at the very top.  sp is 16-aligned.
 */
#include "exec/stack.h"

#include "core/kernel.h"
#include "dev/random.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"

/* Pushes len bytes just below *sp. */
static int push_bytes(struct mm *mm, uint64_t *sp, const void *data, size_t len)
{
	*sp -= len;
	return vm_copy_in(mm, *sp, data, len);
}

/* Addresses of count strings laid out from addr; returns the end. */
static uint64_t string_addrs(const char **s, uint64_t addr, int count, uint64_t *ptrs)
{
	for (int i = 0; i < count; i++) {
		size_t n = strlen(*s) + 1;
		ptrs[i] = addr;
		addr += n;
		*s += n;
	}
	return addr;
}

/* Pushes the argument and environment strings as one block, in order
 * (as Linux lays them out, so /proc/PID/cmdline and environ are the ranges
 * [arg_start, arg_end) and [env_start, env_end) of mm), and fills argv and
 * envp with their addresses. */
static int push_strings(struct mm *mm, uint64_t *sp, const struct exec_args *a, uint64_t *argv,
                        uint64_t *envp)
{
	const char *s = a->buf;
	int r = push_bytes(mm, sp, a->buf, a->used);
	mm->arg_start = *sp;
	mm->arg_end = mm->env_start = string_addrs(&s, *sp, a->argc, argv);
	mm->env_end = string_addrs(&s, mm->env_start, a->envc, envp);
	return r;
}

int exec_build_stack(struct mm *mm, const char *execfn, const struct exec_args *a,
                     const uint64_t *auxv, size_t nauxv, struct exec_stack *out)
{
	uint64_t sp = USER_STACK_TOP;
	size_t nptr = (size_t)a->argc + 1 + (size_t)a->envc + 1;
	uint64_t *vec = kmalloc((nptr + 1 + nauxv * 2 + 2) * sizeof(uint64_t));
	if (!vec)
		return -ENOMEM;
	uint64_t *argv = vec + 1, *envp = argv + a->argc + 1;
	int r = push_bytes(mm, &sp, execfn, strlen(execfn) + 1);
	out->execfn_addr = sp;
	if (r == 0)
		r = push_strings(mm, &sp, a, argv, envp);
	uint8_t rnd[16];
	random_get_bytes(rnd, sizeof(rnd));
	if (r == 0)
		r = push_bytes(mm, &sp, rnd, sizeof(rnd));
	out->random_addr = sp;

	vec[0] = (uint64_t)a->argc;
	argv[a->argc] = 0;
	envp[a->envc] = 0;
	uint64_t *aux = envp + a->envc + 1;
	for (size_t i = 0; i < nauxv * 2; i++)
		aux[i] = auxv[i] == AUX_RANDOM_PLACEHOLDER   ? out->random_addr
		         : auxv[i] == AUX_EXECFN_PLACEHOLDER ? out->execfn_addr
		                                             : auxv[i];
	aux[nauxv * 2] = 0; /* AT_NULL */
	aux[nauxv * 2 + 1] = 0;
	size_t words = nptr + 1 + nauxv * 2 + 2;
	sp = ALIGN_DOWN(sp - words * sizeof(uint64_t), 16);
	if (r == 0)
		r = vm_copy_in(mm, sp, vec, words * sizeof(uint64_t));
	out->sp = sp;
	out->argv = sp + 8;
	out->envp = sp + 8 + ((uint64_t)a->argc + 1) * 8;
	kfree(vec);
	return r;
}
