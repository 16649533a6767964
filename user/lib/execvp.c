/*
 * execvp: runs `file` found in $PATH (default "/system/scarlet/bin:/bin")
 * unless it contains a slash.  Scripts are the kernel's business (#!).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libc.h"

#define DEFAULT_PATH "/system/scarlet/bin:/bin"
#define PATH_MAX_LEN 1024

int execvp(const char *file, char *const argv[])
{
	const char *path, *dir, *end;
	size_t flen = strlen(file), dlen;
	char buf[PATH_MAX_LEN];
	int saw_eacces = 0;

	if (*file == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/'))
		return execve(file, argv, environ);
	path = getenv("PATH");
	if (!path)
		path = DEFAULT_PATH;
	for (dir = path;; dir = end + 1) {
		end = strchr(dir, ':');
		if (!end)
			end = dir + strlen(dir);
		dlen = (size_t)(end - dir);
		if (dlen + flen + 3 <= sizeof(buf)) {
			memcpy(buf, dir, dlen);
			if (dlen == 0)
				buf[dlen++] = '.';
			buf[dlen] = '/';
			memcpy(buf + dlen + 1, file, flen + 1);
			execve(buf, argv, environ);
			if (errno == EACCES)
				saw_eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR)
				return -1;
		}
		if (*end == '\0')
			break;
	}
	errno = saw_eacces ? EACCES : ENOENT;
	return -1;
}
