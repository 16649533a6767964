/*
 * The runtime registry (see runtimes.h).  The file is small and read
 * afresh on each exec, so editing it takes effect at once.
 */
#include "exec/runtimes.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "exec/env.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"
#include "lib/hex.h"

#define RUNTIMES_MAX 4096
#define FIELDS_MAX   (4 + ABI_RUNTIME_ARGS_MAX)

static bool match_magic(const struct exec_binary *bin, const char *spec)
{
	unsigned off = 0;
	const char *at = strchr(spec, '@');
	if (at)
		for (const char *p = at + 1; *p >= '0' && *p <= '9'; p++)
			off = off * 10 + (unsigned)(*p - '0');
	size_t n = at ? (size_t)(at - spec) : strlen(spec);
	if (n == 0 || n % 2)
		return false;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_digit_value(spec[i]), lo = hex_digit_value(spec[i + 1]);
		unsigned pos = off + (unsigned)i / 2;
		if (hi < 0 || lo < 0 || pos >= bin->head_len || bin->head[pos] != (hi << 4 | lo))
			return false;
	}
	return true;
}

static bool match_ext(const struct exec_binary *bin, const char *suffix)
{
	size_t pl = strlen(bin->path), sl = strlen(suffix);
	return sl > 0 && pl > sl && strcmp(bin->path + pl - sl, suffix) == 0;
}

static bool entry_matches(const struct exec_binary *bin, const char *spec)
{
	if (strncmp(spec, "ext:", 4) == 0)
		return match_ext(bin, spec + 4);
	if (strncmp(spec, "magic:", 6) == 0)
		return match_magic(bin, spec + 6);
	return false;
}

/* Splits line into blank-separated fields; returns their count. */
static int split(char *line, char **f)
{
	int n = 0;
	for (char *p = line; *p && n < FIELDS_MAX;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		f[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

static int try_line(const struct exec_binary *bin, char *line, struct abi_runtime *rt)
{
	char *f[FIELDS_MAX];
	if (line[0] == '#')
		return 0;
	int n = split(line, f);
	if (n < 4 || !entry_matches(bin, f[1]))
		return 0;
	memset(rt, 0, sizeof(*rt));
	strlcpy(rt->path, f[2], sizeof(rt->path));
	const struct abi_module *m = abi_find(f[3]);
	rt->abi = m ? m->name : NULL;
	for (int i = 4; i < n; i++)
		strlcpy(rt->args[rt->nargs++], f[i], sizeof(rt->args[0]));
	return 1;
}

static int read_registry(char *buf, size_t cap)
{
	struct kobj *f;
	if (vfs_open(env_global(), RUNTIMES_PATH, O_RDONLY, 0, &f) < 0)
		return -ENOENT;
	struct iobuf io = iobuf_kernel(buf, cap - 1);
	ssize_t n = kobj_read(f, &io);
	kobj_put(f);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	return 0;
}

int runtimes_match(const struct exec_binary *bin, struct abi_runtime *rt)
{
	char *buf = kmalloc(RUNTIMES_MAX);
	int found = 0;
	if (!buf)
		return 0;
	if (read_registry(buf, RUNTIMES_MAX) == 0) {
		for (char *line = buf, *next; line && !found; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			found = try_line(bin, line, rt);
		}
	}
	kfree(buf);
	return found;
}
