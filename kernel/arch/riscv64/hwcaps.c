/*
 * Hart capabilities (hwcaps.h): SBI's ids, and the device tree's
 * riscv,isa strings read by isa.c.
 */
#include "arch/riscv64/hwcaps.h"

#include "arch/riscv64/cpu.h"
#include "arch/riscv64/isa.h"
#include "arch/riscv64/sbi.h"
#include "core/boot.h"
#include "core/kernel.h"

#define SBI_EXT_BASE       0x10
#define SBI_BASE_MVENDORID 4
#define SBI_BASE_MARCHID   5
#define SBI_BASE_MIMPID    6
#define CSR_SENVCFG        0x10a
#define SENVCFG_CBZE       (1UL << 7) /* cbo.zero allowed in U-mode */

static struct hart_ids ids[MAX_CPUS];

static uint64_t sbi_base_value(long fid)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, fid, 0, 0, 0, 0, 0);
	return r.error ? 0 : (uint64_t)r.value;
}

void hwcaps_init_hart(void)
{
	struct cpu *c = this_cpu();
	ids[c->id] = (struct hart_ids){
	    .mvendorid = sbi_base_value(SBI_BASE_MVENDORID),
	    .marchid = sbi_base_value(SBI_BASE_MARCHID),
	    .mimpid = sbi_base_value(SBI_BASE_MIMPID),
	};
	/* what riscv_hwprobe reports user programs may use */
	if (hwcaps_has_ext(c->id, "zicboz"))
		__asm__ volatile("csrs %0, %1" ::"i"(CSR_SENVCFG), "r"(SENVCFG_CBZE) : "memory");
}

struct hart_ids hwcaps_ids(int cpu)
{
	return ids[cpu];
}

static const struct fdt_hart *hart_node(int cpu)
{
	for (int i = 0; i < boot.fdt.nharts; i++)
		if (boot.fdt.harts[i].hartid == cpus[cpu].hartid)
			return &boot.fdt.harts[i];
	return NULL;
}

bool hwcaps_has_ext(int cpu, const char *ext)
{
	const struct fdt_hart *h = hart_node(cpu);
	return h && riscv_isa_has(h->isa, ext);
}

uint32_t hwcaps_cboz_block_size(int cpu)
{
	const struct fdt_hart *h = hart_node(cpu);
	return h ? h->cboz_block_size : 0;
}
