/*
 * printf-style formatting engine shared by the kernel's printk and the
 * native libc's printf family.
 *
 * Supports flags "-+ 0#", width and precision (also '*'), length
 * modifiers hh h l ll z t j, conversions d i u x X o c s p %.  No floating
 * point.  Output goes through emit(ctx, c) one character at a time.
 */
#ifndef LIB_FMT_H
#define LIB_FMT_H
#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_emit_fn)(void *ctx, char c);

/* Returns the number of characters emitted. */
int fmt_format(fmt_emit_fn emit, void *ctx, const char *fmt, va_list ap);

/* C99 vsnprintf/snprintf: always NUL-terminates when n > 0, returns the
 * length the full output would have had. */
int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
