/*
 * Growing text buffers (textbuf.h).
 */
#include "fs/textbuf.h"
#include "mm/kmalloc.h"

/* Larger than any file procfs or sysfs makes (maps of a big address space). */
#define TB_MAX (1024 * 1024)

void tb_init(struct textbuf *tb)
{
	memset(tb, 0, sizeof(*tb));
}

void tb_free(struct textbuf *tb)
{
	kfree(tb->data);
	tb_init(tb);
}

/* Makes room for n more bytes plus a NUL. */
static bool tb_reserve(struct textbuf *tb, size_t n)
{
	size_t want = tb->len + n + 1, cap = tb->cap ? tb->cap : 256;
	char *data;

	if (tb->err)
		return false;
	if (want <= tb->cap)
		return true;
	while (cap < want)
		cap *= 2;
	data = cap <= TB_MAX ? kmalloc(cap) : NULL;
	if (!data) {
		tb->err = -ENOMEM;
		return false;
	}
	if (tb->data)
		memcpy(data, tb->data, tb->len);
	kfree(tb->data);
	tb->data = data;
	tb->cap = cap;
	return true;
}

void tb_put(struct textbuf *tb, const void *data, size_t n)
{
	if (!tb_reserve(tb, n))
		return;
	memcpy(tb->data + tb->len, data, n);
	tb->len += n;
	tb->data[tb->len] = '\0';
}

void tb_printf(struct textbuf *tb, const char *fmt, ...)
{
	va_list ap;
	char small[128];
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		tb_put(tb, small, (size_t)n);
		return;
	}
	if (!tb_reserve(tb, (size_t)n))
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(tb->data + tb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	tb->len += (size_t)n;
}

void tb_pad_to(struct textbuf *tb, size_t col)
{
	size_t start = tb->len;

	while (start > 0 && tb->data[start - 1] != '\n')
		start--;
	do
		tb_put(tb, " ", 1);
	while (!tb->err && tb->len - start < col);
}
