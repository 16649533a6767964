/*
 * Names across environments (see env.h).  The global tree is what native
 * tasks see.  A task of another ABI sees it under /scarlet, except for
 * the directories its environment binds from it at the same place
 * (/home, /tmp, /dev).  Its own tree (the overlay at its /) has no global
 * name: the overlay is mounted nowhere in the global tree.
 */
#include "exec/env.h"

#include "core/kernel.h"
#include "mm/kmalloc.h"

static const char *const shared_dirs[] = {"/home", "/tmp", "/dev"};

/* Whether path is dir or below it ("/home" and "/home/x", not "/homes"). */
static bool path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static bool path_shared(const char *path)
{
	for (size_t i = 0; i < sizeof(shared_dirs) / sizeof(shared_dirs[0]); i++)
		if (path_within(path, shared_dirs[i]))
			return true;
	return false;
}

bool env_path_to_global(const struct abi_module *abi, char *path)
{
	if (path[0] != '/')
		return false;
	if (!abi->system_root || path_shared(path))
		return true;
	if (!path_within(path, "/scarlet"))
		return false;
	if (path[8] == '\0')
		strcpy(path, "/");
	else
		memmove(path, path + 8, strlen(path + 8) + 1);
	return true;
}

int env_path_from_global(const struct abi_module *abi, const char *gpath, char *out, size_t n)
{
	size_t len;
	if (!abi->system_root || path_shared(gpath))
		len = strlcpy(out, gpath, n);
	else if (strcmp(gpath, "/") == 0)
		len = strlcpy(out, "/scarlet", n);
	else
		len = (size_t)fmt_snprintf(out, n, "/scarlet%s", gpath);
	return len < n ? 0 : -ENAMETOOLONG;
}

int env_translate_path(const struct abi_module *from, const struct abi_module *to, const char *path,
                       char *out, size_t n)
{
	if (strlcpy(out, path, n) >= n)
		return -ENAMETOOLONG;
	if (from == to || !env_path_to_global(from, out))
		return 0; /* relative, or no name outside from's own tree */
	char *gpath = kmalloc(n);
	if (!gpath)
		return -ENOMEM;
	strcpy(gpath, out);
	int r = env_path_from_global(to, gpath, out, n);
	if (r < 0)
		strlcpy(out, path, n);
	kfree(gpath);
	return r;
}
