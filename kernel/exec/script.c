/*
 * "#!" scripts: the executor runs [interpreter, arg, path, argv[1..]].
 */
#include "core/kernel.h"
#include "exec/executor.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"

#define SHEBANG_MAX 256

bool exec_is_script(const struct exec_binary *bin)
{
	return bin->head_len >= 2 && bin->head[0] == '#' && bin->head[1] == '!';
}

/* Splits the "#!" line in buf (NUL-terminated) into interpreter and an
 * optional single argument, as Linux does. */
static int parse_shebang(char *buf, char **interp, char **optarg)
{
	char *p = buf + 2, *end = strchr(p, '\n');
	if (!end)
		return -ENOEXEC; /* no end of line within SHEBANG_MAX */
	*end = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*optarg = NULL;
	if (*p) {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		char *e = p + strlen(p);
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*p)
			*optarg = p;
	}
	return 0;
}

int exec_script(struct kobj *file, const char *path, struct exec_args *args,
                const struct abi_module *forced, int depth)
{
	char *buf = kzalloc(SHEBANG_MAX + 1);
	if (!buf)
		return -ENOMEM;
	struct vattr va;
	int r = kobj_stat(file, &va);
	size_t n = r < 0 ? 0 : MIN(va.size, (uint64_t)SHEBANG_MAX);
	if (r == 0)
		r = exec_read_file(file, buf, n, 0);
	char *interp, *optarg;
	if (r == 0)
		r = parse_shebang(buf, &interp, &optarg);
	struct exec_args sargs;
	if (r == 0) {
		const char *lead[3] = {interp, optarg ? optarg : path, path};
		int nlead = optarg ? 3 : 2; /* the script's path is last */
		r = exec_args_with_prefix(&sargs, args, lead, nlead, 1u << (nlead - 1));
	}
	if (r == 0) {
		r = exec_run(interp, &sargs, forced, depth + 1);
		exec_args_free(&sargs);
	}
	kfree(buf);
	return r;
}
