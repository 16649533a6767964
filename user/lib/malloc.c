/*
 * Heap allocator on the program break.
 *
 * Every block starts with a 16-byte header holding its size (header
 * included, a multiple of 16), so payloads are 16-byte aligned.  Free
 * blocks sit on a list sorted by address and are merged with their
 * neighbours on free; malloc takes the first block that fits and splits
 * it.  The heap grows by at least HEAP_GROW bytes at a time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

#define ALIGN     16
#define HEAP_GROW (64 * 1024)
#define MIN_SPLIT (2 * ALIGN)

struct block {
	size_t size;        /* bytes, header included */
	struct block *next; /* next free block by address (free blocks only) */
};

static struct block *free_list;

static void *payload(struct block *b)
{
	return (char *)b + ALIGN;
}

static struct block *header(void *p)
{
	return (struct block *)((char *)p - ALIGN);
}

/* Inserts b in address order and merges it with adjacent free blocks. */
static void insert_free(struct block *b)
{
	struct block **link = &free_list, *prev = NULL;

	while (*link && *link < b) {
		prev = *link;
		link = &(*link)->next;
	}
	b->next = *link;
	*link = b;
	if (b->next && (char *)b + b->size == (char *)b->next) {
		b->size += b->next->size;
		b->next = b->next->next;
	}
	if (prev && (char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	}
}

static int grow(size_t need)
{
	size_t n = need < HEAP_GROW ? HEAP_GROW : need;
	void *p = sbrk((intptr_t)n);
	struct block *b;

	if (p == (void *)-1)
		return -1;
	b = (struct block *)(((uintptr_t)p + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1));
	n -= (size_t)((char *)b - (char *)p);
	b->size = n & ~(size_t)(ALIGN - 1);
	insert_free(b);
	return 0;
}

void *malloc(size_t n)
{
	struct block **link, *b, *rest;
	size_t need;

	if (n > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	need = (n + ALIGN + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	for (;;) {
		for (link = &free_list; (b = *link); link = &b->next) {
			if (b->size < need)
				continue;
			if (b->size - need >= MIN_SPLIT) {
				rest = (struct block *)((char *)b + need);
				rest->size = b->size - need;
				rest->next = b->next;
				b->size = need;
				*link = rest;
			} else {
				*link = b->next;
			}
			return payload(b);
		}
		if (grow(need + ALIGN) < 0) {
			errno = ENOMEM;
			return NULL;
		}
	}
}

void free(void *p)
{
	if (p)
		insert_free(header(p));
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	size_t have;
	void *q;

	if (!p)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	have = header(p)->size - ALIGN;
	if (n <= have)
		return p;
	q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, have);
	free(p);
	return q;
}
