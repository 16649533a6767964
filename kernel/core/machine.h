/*
 * Stopping the machine.  On QEMU virt the sifive_test device (found in
 * the device tree) makes QEMU exit with a status: 0x5555 means pass,
 * (code << 16) | 0x3333 means fail with code.  Without it, SBI system
 * reset is used, which cannot report a status.
 */
#ifndef CORE_MACHINE_H
#define CORE_MACHINE_H

#include <stdint.h>

void machine_set_test_device(uint64_t pa);
/* Stops every hart; QEMU exits with status `code` (0 = success). */
void machine_exit(int code) __attribute__((noreturn));

#endif
