/* Memory mapping wrappers. */
#include <sys/mman.h>
#include "libc.h"

void *mmap(void *addr, size_t len, int prot, int flags, int h, off_t off)
{
	long r = sc_call6(SYS_mmap, (long)addr, (long)len, prot, flags, h, off);

	if (sc_failed(r)) {
		errno = (int)-r;
		return MAP_FAILED;
	}
	return (void *)r;
}

int munmap(void *addr, size_t len)
{
	return SYSCALL2(SYS_munmap, addr, len);
}
