/*
 * Kernel random numbers: a ChaCha20 generator with fast key erasure.
 * Until random_add_entropy is called the output is predictable.
 */
#ifndef DEV_RANDOM_H
#define DEV_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Mixes v (timer values, device noise) into the generator's key. */
void random_add_entropy(uint64_t v);
/* Fills buf with n random bytes; safe from any context. */
void random_get_bytes(void *buf, size_t n);

#endif
