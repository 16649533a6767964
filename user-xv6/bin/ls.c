/*
 * ls [path...]: lists files, one line each: name (padded to DIRSIZ),
 * type (1 dir, 2 file, 3 device), inode number and size.  A directory
 * is listed entry by entry, as read() returns its struct dirents.
 */
#include "types.h"
#include "stat.h"
#include "fcntl.h"
#include "fs.h"
#include "param.h"
#include "user.h"

static const char *last_element(const char *path)
{
	const char *p = path + strlen(path);

	while (p > path && p[-1] == '/')
		p--;
	while (p > path && p[-1] != '/')
		p--;
	return *p ? p : path;
}

static void show(const char *name, int namelen, const struct stat *st)
{
	char field[DIRSIZ + 1];

	if (namelen > DIRSIZ)
		namelen = DIRSIZ;
	memmove(field, name, namelen);
	field[namelen] = '\0';
	printf("%-14s %d %d %ld\n", field, st->type, st->ino, (long)st->size);
}

static void list_dir(int fd, const char *path)
{
	char buf[MAXPATH + DIRSIZ + 2];
	struct dirent de;
	struct stat st;
	int len = strlen(path);

	if (len + 1 + DIRSIZ + 1 > (int)sizeof(buf)) {
		fprintf(2, "ls: path too long\n");
		return;
	}
	strcpy(buf, path);
	buf[len++] = '/';
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum == 0)
			continue;
		memmove(buf + len, de.name, DIRSIZ);
		buf[len + DIRSIZ] = '\0';
		if (stat(buf, &st) < 0) {
			fprintf(2, "ls: cannot stat %s\n", buf);
			continue;
		}
		show(buf + len, strlen(buf + len), &st);
	}
}

static int ls(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		fprintf(2, "ls: cannot open %s\n", path);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		fprintf(2, "ls: cannot stat %s\n", path);
		close(fd);
		return -1;
	}
	if (st.type == T_DIR)
		list_dir(fd, path);
	else
		show(last_element(path), strlen(last_element(path)), &st);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 2)
		return ls(".") < 0;
	for (i = 1; i < argc; i++) {
		if (ls(argv[i]) < 0)
			status = 1;
	}
	return status;
}
