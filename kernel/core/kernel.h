/*
 * Basic kernel definitions used everywhere: printk, panic, assertions and
 * small helpers.  Every kernel function that can fail returns 0 (or a
 * positive value) on success and -ERRNO on failure.
 */
#ifndef CORE_KERNEL_H
#define CORE_KERNEL_H

#include <scarlet/errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/fmt.h"
#include "lib/str.h"

#define ARRAY_SIZE(a)                   (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)                  (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a)                ((x) & ~((__typeof__(x))(a)-1))
#define MIN(a, b)                       ((a) < (b) ? (a) : (b))
#define MAX(a, b)                       ((a) > (b) ? (a) : (b))
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))
#define IS_ERR_VALUE(x)                 ((unsigned long)(x) >= (unsigned long)-SCARLET_MAX_ERRNO)
#define likely(x)                       __builtin_expect(!!(x), 1)
#define unlikely(x)                     __builtin_expect(!!(x), 0)

/* Console output; safe from any context, serialized across harts. */
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);

/* Stops every hart after printing registers and a symbolized backtrace. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* panic in two halves, for reports that print more than a message.
 * panic_begin returns only on the first hart to panic, with the other
 * harts told to stop and printk no longer waiting for its lock (a fault
 * while this hart reports ends the machine at once); panic_end prints the
 * backtrace from frame pointer fp (after pc, if not 0) and makes the
 * machine fail. */
void panic_begin(void);
void panic_end(uint64_t fp, uint64_t pc) __attribute__((noreturn));
/* Prints the symbolized frames from pc and frame pointer fp, following
 * only frames inside the stack [lo, hi) (another task's, which may
 * change under the walk). */
void backtrace_stack(uint64_t fp, uint64_t pc, uint64_t lo, uint64_t hi);

#define KASSERT(cond)                                                                              \
	do {                                                                                       \
		if (unlikely(!(cond)))                                                             \
			panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__);         \
	} while (0)

#endif
