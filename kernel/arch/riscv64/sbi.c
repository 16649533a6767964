/*
 * SBI calls (RISC-V SBI specification v1.0): a7 = extension id,
 * a6 = function id, arguments in a0..a2; error in a0, value in a1.
 */
#include "arch/riscv64/sbi.h"

#define SBI_EXT_TIME       0x54494D45
#define SBI_EXT_IPI        0x735049
#define SBI_EXT_HSM        0x48534D
#define SBI_EXT_SRST       0x53525354
#define SBI_EXT_RFENCE     0x52464E43
#define SBI_LEGACY_PUTCHAR 1

struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2, long a3, long a4)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a3 __asm__("a3") = a3;
	register long r_a4 __asm__("a4") = a4;
	register long r_a6 __asm__("a6") = fid;
	register long r_a7 __asm__("a7") = ext;
	__asm__ volatile("ecall"
	                 : "+r"(r_a0), "+r"(r_a1)
	                 : "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a6), "r"(r_a7)
	                 : "memory");
	return (struct sbiret){.error = r_a0, .value = r_a1};
}

void sbi_set_timer(uint64_t stime_value)
{
	sbi_call(SBI_EXT_TIME, 0, (long)stime_value, 0, 0, 0, 0);
}

void sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)
{
	sbi_call(SBI_EXT_IPI, 0, (long)hart_mask, (long)hart_mask_base, 0, 0, 0);
}

long sbi_hart_start(unsigned long hartid, unsigned long start_pa, unsigned long opaque)
{
	return sbi_call(SBI_EXT_HSM, 0, (long)hartid, (long)start_pa, (long)opaque, 0, 0).error;
}

void sbi_system_shutdown(void)
{
	sbi_call(SBI_EXT_SRST, 0, 0, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void sbi_console_putchar(int c)
{
	sbi_call(SBI_LEGACY_PUTCHAR, 0, c, 0, 0, 0, 0);
}

void sbi_remote_sfence_vma_asid(unsigned long hart_mask, unsigned long hart_mask_base,
                                unsigned long asid)
{
	/* start 0, size -1: the whole address space */
	sbi_call(SBI_EXT_RFENCE, 2, (long)hart_mask, (long)hart_mask_base, 0, -1L, (long)asid);
}
