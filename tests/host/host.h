/*
 * Forced include (-include) of every host-test compilation unit: kernel
 * code runs on the host with physical addresses equal to host pointers,
 * so the direct-map conversions of memlayout.h become identities.
 */
#ifndef TESTS_HOST_HOST_H
#define TESTS_HOST_HOST_H
#include <stdint.h>

#include "arch/riscv64/memlayout.h"

#undef PA_TO_VA
#undef VA_TO_PA
#define PA_TO_VA(pa) ((void *)(uintptr_t)(pa))
#define VA_TO_PA(va) ((paddr_t)(uintptr_t)(va))
#endif
