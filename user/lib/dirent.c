/*
 * Directory streams over SYS_readdir, which fills a buffer with whole
 * struct sc_dirent records.
 */
#include <dirent.h>
#include <fcntl.h>
#include <scarlet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DIR_BUF 4096

struct DIR {
	int h;
	int len; /* bytes of records in buf */
	int pos; /* offset of the next record */
	struct dirent ent;
	uint64_t buf[DIR_BUF / 8]; /* keeps records 8-byte aligned */
};

DIR *opendir(const char *path)
{
	DIR *d = malloc(sizeof(*d));

	if (!d)
		return NULL;
	d->h = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->h < 0) {
		free(d);
		return NULL;
	}
	d->len = d->pos = 0;
	return d;
}

struct dirent *readdir(DIR *d)
{
	const struct sc_dirent *rec;

	if (d->pos >= d->len) {
		d->len = sc_readdir(d->h, d->buf, sizeof(d->buf));
		d->pos = 0;
		if (d->len <= 0)
			return NULL;
	}
	rec = (const struct sc_dirent *)((const char *)d->buf + d->pos);
	if (rec->reclen == 0) {
		d->len = 0;
		return NULL;
	}
	d->pos += rec->reclen;
	d->ent.d_ino = rec->ino;
	d->ent.d_type = rec->type;
	strlcpy(d->ent.d_name, rec->name, sizeof(d->ent.d_name));
	return &d->ent;
}

int closedir(DIR *d)
{
	int r = close(d->h);

	free(d);
	return r;
}
