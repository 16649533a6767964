/* Kernel-wide scalar types. */
#ifndef CORE_TYPES_H
#define CORE_TYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef int64_t ssize_t;
typedef int pid_t;
#endif
