/*
 * Copying exec's argument and environment vectors out of user memory.
 */
#include "core/kernel.h"
#include "core/uaccess.h"
#include "exec/exec.h"
#include "mm/page.h"

#define ARGS_ORDER 5 /* 128 KiB */

static int copy_vector(struct exec_args *a, const char *const *uvec, int *count)
{
	*count = 0;
	if (!uvec)
		return 0;
	for (;;) {
		const char *s;
		if (copy_from_user(&s, uvec + *count, sizeof(s)) < 0)
			return -EFAULT;
		if (!s)
			return 0;
		if (a->argc + a->envc + *count >= EXEC_ARGC_MAX)
			return -E2BIG;
		long n = strncpy_from_user(a->buf + a->used, s, EXEC_ARG_MAX - a->used);
		if (n == -ENAMETOOLONG)
			return -E2BIG;
		if (n < 0)
			return (int)n;
		a->used += (size_t)n + 1;
		(*count)++;
	}
}

int exec_args_from_user(struct exec_args *a, const char *const *uargv, const char *const *uenvp)
{
	a->buf = page_alloc(ARGS_ORDER);
	a->used = 0;
	a->argc = a->envc = 0;
	a->path_args = 0;
	a->comm[0] = 0;
	if (!a->buf)
		return -ENOMEM;
	int r = copy_vector(a, uargv, &a->argc);
	if (r == 0)
		r = copy_vector(a, uenvp, &a->envc);
	if (r < 0)
		exec_args_free(a);
	return r;
}

void exec_args_free(struct exec_args *a)
{
	if (a->buf)
		page_free(a->buf, ARGS_ORDER);
	a->buf = NULL;
}

/* Appends a string to a; E2BIG when the buffer is full. */
static int args_push(struct exec_args *a, const char *s)
{
	size_t n = strlen(s) + 1;
	if (a->used + n > EXEC_ARG_MAX)
		return -E2BIG;
	memcpy(a->buf + a->used, s, n);
	a->used += n;
	return 0;
}

int exec_args_with_prefix(struct exec_args *out, const struct exec_args *in,
                          const char *const *lead, int nlead, uint32_t lead_paths)
{
	out->buf = page_alloc(ARGS_ORDER);
	out->used = 0;
	out->envc = in->envc;
	out->path_args = lead_paths | (uint32_t)((uint64_t)(in->path_args >> 1) << nlead);
	memcpy(out->comm, in->comm, sizeof(out->comm));
	if (!out->buf)
		return -ENOMEM;
	int r = 0;
	for (int i = 0; i < nlead && r == 0; i++)
		r = args_push(out, lead[i]);
	/* the caller's argv[1..] and environment follow as they were */
	const char *rest = in->buf;
	if (in->argc > 0)
		rest += strlen(rest) + 1;
	size_t n = in->used - (size_t)(rest - in->buf);
	if (r == 0 && out->used + n > EXEC_ARG_MAX)
		r = -E2BIG;
	if (r < 0) {
		exec_args_free(out);
		return r;
	}
	memcpy(out->buf + out->used, rest, n);
	out->used += n;
	out->argc = nlead + (in->argc > 0 ? in->argc - 1 : 0);
	return 0;
}

int exec_args_replace(struct exec_args *a, int i, const char *s)
{
	char *p = a->buf;
	for (int k = 0; k < i; k++)
		p += strlen(p) + 1;
	size_t old = strlen(p) + 1, neu = strlen(s) + 1;
	if (a->used - old + neu > EXEC_ARG_MAX)
		return -E2BIG;
	size_t tail = a->used - (size_t)(p - a->buf) - old;
	memmove(p + neu, p + old, tail);
	memcpy(p, s, neu);
	a->used = a->used - old + neu;
	return 0;
}
