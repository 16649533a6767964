/*
 * Anonymous objects' stat (see anon.h).
 */
#include "obj/anon.h"

#include "core/kernel.h"
#include "fs/vfs.h"

uint64_t anon_ino_next(void)
{
	static uint64_t next = 1;
	return __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED);
}

void anon_stat(struct vattr *va, uint64_t ino)
{
	memset(va, 0, sizeof(*va));
	va->mode = 0600;
	va->nlink = 1;
	va->ino = ino;
}

int64_t anon_seek(struct kobj *o, int64_t off, int whence)
{
	(void)o, (void)off, (void)whence;
	return 0;
}
