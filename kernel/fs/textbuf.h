/*
 * Growing text buffers: what the synthetic filesystems (procfs, sysfs)
 * generate their files into.
 */
#ifndef FS_TEXTBUF_H
#define FS_TEXTBUF_H

#include "core/kernel.h"

/* A growing buffer; after an allocation failure err is -ENOMEM and
 * further output is dropped. */
struct textbuf {
	char *data;
	size_t len, cap;
	int err;
};

void tb_init(struct textbuf *tb);
void tb_free(struct textbuf *tb);
void tb_put(struct textbuf *tb, const void *data, size_t n);
void tb_printf(struct textbuf *tb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Spaces up to column col of the current line (at least one). */
void tb_pad_to(struct textbuf *tb, size_t col);

#endif
