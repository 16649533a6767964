/*
 * Calls into the SBI firmware (OpenSBI): timer, inter-processor
 * interrupts, hart state management, system reset.
 */
#ifndef ARCH_SBI_H
#define ARCH_SBI_H

#include <stdint.h>

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2, long a3, long a4);
/* Flushes asid's translations on the harts in the mask (RFENCE). */
void sbi_remote_sfence_vma_asid(unsigned long hart_mask, unsigned long hart_mask_base,
                                unsigned long asid);
void sbi_set_timer(uint64_t stime_value);
void sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);
/* Starts a stopped hart at physical address start with a1 = opaque. */
long sbi_hart_start(unsigned long hartid, unsigned long start_pa, unsigned long opaque);
void sbi_system_shutdown(void) __attribute__((noreturn));
void sbi_console_putchar(int c);
#endif
