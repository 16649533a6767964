/*
 * malloc and free over sbrk.  Free blocks form a singly linked list
 * sorted by address; a freed block merges with free neighbours.  Each
 * block starts with a header giving its size in header units, so every
 * allocation is 16-byte aligned.  The heap grows by at least 64 KiB.
 */
#include "types.h"
#include "user.h"

struct block {
	struct block *next; /* next free block by address (free blocks only) */
	uint64 units;       /* size of this block, header included */
};

#define UNIT       sizeof(struct block)
#define GROW_UNITS (65536 / UNIT)

static struct block *free_list;

/* Inserts b into the free list, merging it with adjacent free blocks. */
static void insert_free(struct block *b)
{
	struct block *prev = NULL, *cur = free_list;

	while (cur && cur < b) {
		prev = cur;
		cur = cur->next;
	}
	if (cur && b + b->units == cur) {
		b->units += cur->units;
		b->next = cur->next;
	} else {
		b->next = cur;
	}
	if (prev && prev + prev->units == b) {
		prev->units += b->units;
		prev->next = b->next;
	} else if (prev) {
		prev->next = b;
	} else {
		free_list = b;
	}
}

static int grow(uint64 units)
{
	char *p;
	struct block *b;

	if (units < GROW_UNITS)
		units = GROW_UNITS;
	if (units > 0x7fffffff / UNIT)
		return -1;
	p = sbrk(units * UNIT);
	if (p == SBRK_ERROR)
		return -1;
	b = (struct block *)p;
	b->units = units;
	insert_free(b);
	return 0;
}

/* Takes units from the first free block large enough, or NULL. */
static void *take(uint64 units)
{
	struct block *prev = NULL, *b;

	for (b = free_list; b; prev = b, b = b->next) {
		if (b->units < units)
			continue;
		if (b->units == units) {
			if (prev)
				prev->next = b->next;
			else
				free_list = b->next;
		} else {
			b->units -= units;
			b += b->units;
			b->units = units;
		}
		return b + 1;
	}
	return NULL;
}

void *malloc(uint64 n)
{
	uint64 units = (n + UNIT - 1) / UNIT + 1;
	void *p;

	if (n > 0x7fffffff)
		return NULL;
	while ((p = take(units)) == NULL) {
		if (grow(units) < 0)
			return NULL;
	}
	return p;
}

void free(void *p)
{
	if (p)
		insert_free((struct block *)p - 1);
}
