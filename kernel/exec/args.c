/*
 * Copying exec's argument and environment vectors out of user memory,
 * with Linux's limits (exec.h).  The buffer starts at 128 KiB and doubles
 * as needed up to the limit.
 */
#include "core/kernel.h"
#include "core/uaccess.h"
#include "exec/exec.h"
#include "mm/kmalloc.h"
#include "proc/task.h"

#define ARGS_FIRST_CAP (128 * 1024)

/* Room for n more bytes: E2BIG beyond a->limit, ENOMEM. */
static int reserve(struct exec_args *a, size_t n)
{
	if (a->used + n > a->limit)
		return -E2BIG;
	if (a->used + n <= a->cap)
		return 0;
	size_t cap = a->cap ? a->cap : ARGS_FIRST_CAP;
	while (cap < a->used + n)
		cap *= 2;
	char *buf = kmalloc(cap);
	if (!buf)
		return -ENOMEM;
	if (a->buf) {
		memcpy(buf, a->buf, a->used);
		kfree(a->buf);
	}
	a->buf = buf;
	a->cap = cap;
	return 0;
}

static void args_empty(struct exec_args *a, size_t limit)
{
	a->buf = NULL;
	a->used = a->cap = 0;
	a->limit = limit;
	a->argc = a->envc = 0;
	a->path_args = 0;
	a->comm[0] = 0;
}

/* Linux's limit for the strings and pointers: a quarter of the stack
 * limit, within [ARG_MAX, 3/4 of _STK_LIM]. */
static size_t stack_limit(void)
{
	uint64_t stack = current()->rlimits[RLIMIT_STACK].cur / 4;
	return (size_t)MAX(MIN(stack, (uint64_t)EXEC_ARG_CEIL), (uint64_t)EXEC_ARG_MIN);
}

/* Number of pointers in a user vector up to its NULL; EFAULT, E2BIG. */
static long count_vector(const char *const *uvec, size_t max)
{
	long n = 0;
	for (; uvec; n++) {
		const char *s;
		if (copy_from_user(&s, uvec + n, sizeof(s)) < 0)
			return -EFAULT;
		if (!s)
			break;
		if ((size_t)(n + 1) * sizeof(s) > max)
			return -E2BIG;
	}
	return n;
}

static int copy_vector(struct exec_args *a, const char *const *uvec, int count)
{
	for (int i = 0; i < count; i++) {
		const char *s;
		if (copy_from_user(&s, uvec + i, sizeof(s)) < 0)
			return -EFAULT;
		if (!s)
			return -EFAULT; /* the vector changed under us */
		size_t room = MIN((size_t)EXEC_ARG_STRLEN, a->limit - a->used);
		int r = reserve(a, room);
		if (r < 0)
			return r;
		long n = strncpy_from_user(a->buf + a->used, s, room);
		if (n == -ENAMETOOLONG)
			return -E2BIG;
		if (n < 0)
			return (int)n;
		a->used += (size_t)n + 1;
	}
	return 0;
}

int exec_args_from_user(struct exec_args *a, const char *const *uargv, const char *const *uenvp)
{
	size_t limit = stack_limit();
	args_empty(a, 0);
	long argc = count_vector(uargv, limit);
	long envc = argc < 0 ? 0 : count_vector(uenvp, limit);
	if (argc < 0 || envc < 0)
		return (int)(argc < 0 ? argc : envc);
	size_t ptrs = (size_t)(argc + envc) * sizeof(char *);
	if (ptrs >= limit)
		return -E2BIG;
	a->limit = limit - ptrs;
	int r = copy_vector(a, uargv, (int)argc);
	a->argc = (int)argc;
	if (r == 0)
		r = copy_vector(a, uenvp, (int)envc);
	a->envc = (int)envc;
	if (r < 0)
		exec_args_free(a);
	return r;
}

int exec_args_init(struct exec_args *a)
{
	args_empty(a, EXEC_ARG_MIN);
	return reserve(a, 1);
}

int exec_args_push(struct exec_args *a, const char *s)
{
	size_t n = strlen(s) + 1;
	int r = reserve(a, n);
	if (r < 0)
		return r;
	memcpy(a->buf + a->used, s, n);
	a->used += n;
	return 0;
}

void exec_args_free(struct exec_args *a)
{
	kfree(a->buf);
	a->buf = NULL;
	a->cap = a->used = 0;
}

int exec_args_with_prefix(struct exec_args *out, const struct exec_args *in,
                          const char *const *lead, int nlead, uint32_t lead_paths)
{
	args_empty(out, in->limit);
	out->path_args = lead_paths | (uint32_t)((uint64_t)(in->path_args >> 1) << nlead);
	memcpy(out->comm, in->comm, sizeof(out->comm));
	int r = 0;
	for (int i = 0; i < nlead && r == 0; i++)
		r = exec_args_push(out, lead[i]);
	/* the caller's argv[1..] and environment follow as they were */
	const char *rest = in->buf;
	if (in->argc > 0)
		rest += strlen(rest) + 1;
	size_t n = in->used - (size_t)(rest - in->buf);
	if (r == 0)
		r = reserve(out, n);
	if (r < 0) {
		exec_args_free(out);
		return r;
	}
	memcpy(out->buf + out->used, rest, n);
	out->used += n;
	out->envc = in->envc;
	out->argc = nlead + (in->argc > 0 ? in->argc - 1 : 0);
	return 0;
}

int exec_args_replace(struct exec_args *a, int i, const char *s)
{
	size_t off = 0;
	for (int k = 0; k < i; k++)
		off += strlen(a->buf + off) + 1;
	size_t old = strlen(a->buf + off) + 1, neu = strlen(s) + 1;
	if (neu > old) {
		int r = reserve(a, neu - old);
		if (r < 0)
			return r;
	}
	char *p = a->buf + off;
	size_t tail = a->used - off - old;
	memmove(p + neu, p + old, tail);
	memcpy(p, s, neu);
	a->used = a->used - old + neu;
	return 0;
}
