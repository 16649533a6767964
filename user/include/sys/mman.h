#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H
#include <scarlet/abi.h>
#include <sys/types.h>
void *mmap(void *addr, size_t len, int prot, int flags, int h, off_t off);
int munmap(void *addr, size_t len);
#endif
