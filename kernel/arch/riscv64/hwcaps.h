/*
 * What each hart is: the ISA extensions its device tree node names
 * (riscv,isa), its Zicboz block size, and the machine ids SBI reports
 * for it.  The ABI layers turn these into their own interfaces (Linux's
 * riscv_hwprobe, /proc/cpuinfo).
 */
#ifndef ARCH_RISCV64_HWCAPS_H
#define ARCH_RISCV64_HWCAPS_H

#include <stdbool.h>
#include <stdint.h>

struct hart_ids {
	uint64_t mvendorid, marchid, mimpid; /* 0 where SBI does not say */
};

/* Records the calling hart's ids (SBI base extension) and lets user mode
 * use cbo.zero where the hart has Zicboz; each hart calls it once as it
 * comes online. */
void hwcaps_init_hart(void);
/* The ids of cpus[cpu]. */
struct hart_ids hwcaps_ids(int cpu);
/* Whether cpus[cpu]'s riscv,isa names extension ext: a single letter
 * ("f", "c", "v") or a multi-letter name ("zba", "zicboz"), lower case.
 * "g" in the string counts as imafd_zicsr_zifencei. */
bool hwcaps_has_ext(int cpu, const char *ext);
/* cpus[cpu]'s riscv,cboz-block-size, 0 if the tree gives none. */
uint32_t hwcaps_cboz_block_size(int cpu);

#endif
