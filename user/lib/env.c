/*
 * Environment: getenv, setenv, unsetenv over `environ`.  The first change
 * copies the array the kernel gave into the heap; strings set here are
 * never freed, since they may still be referenced.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char **owned_env; /* environ when it is our heap copy */
static size_t owned_cap;

/* Index of NAME in environ, or the count of entries when absent. */
static size_t env_find(const char *name, size_t len, int *found)
{
	size_t i;

	*found = 0;
	for (i = 0; environ && environ[i]; i++) {
		if (strncmp(environ[i], name, len) == 0 && environ[i][len] == '=') {
			*found = 1;
			break;
		}
	}
	return i;
}

static int valid_name(const char *name)
{
	return name && *name && !strchr(name, '=');
}

char *getenv(const char *name)
{
	size_t len = strlen(name);
	int found;
	size_t i = env_find(name, len, &found);

	return found ? environ[i] + len + 1 : NULL;
}

/* Makes environ a heap array with room for `count` entries plus NULL. */
static int env_reserve(size_t count)
{
	char **env;
	size_t i, cap;

	if (environ == owned_env && count + 1 <= owned_cap)
		return 0;
	cap = count + 16;
	env = malloc(cap * sizeof(*env));
	if (!env)
		return -1;
	for (i = 0; environ && environ[i]; i++)
		env[i] = environ[i];
	env[i] = NULL;
	if (environ == owned_env)
		free(owned_env);
	environ = owned_env = env;
	owned_cap = cap;
	return 0;
}

int setenv(const char *name, const char *value, int overwrite)
{
	size_t len, vlen, i;
	int found;
	char *entry;

	if (!valid_name(name)) {
		errno = EINVAL;
		return -1;
	}
	len = strlen(name);
	i = env_find(name, len, &found);
	if (found && !overwrite)
		return 0;
	vlen = strlen(value);
	entry = malloc(len + vlen + 2);
	if (!entry || env_reserve(i + 1) < 0) {
		free(entry);
		errno = ENOMEM;
		return -1;
	}
	memcpy(entry, name, len);
	entry[len] = '=';
	memcpy(entry + len + 1, value, vlen + 1);
	if (!found)
		environ[i + 1] = NULL;
	environ[i] = entry;
	return 0;
}

int unsetenv(const char *name)
{
	size_t len, i;
	int found;

	if (!valid_name(name)) {
		errno = EINVAL;
		return -1;
	}
	len = strlen(name);
	while (i = env_find(name, len, &found), found) {
		for (; environ[i]; i++)
			environ[i] = environ[i + 1];
	}
	return 0;
}
