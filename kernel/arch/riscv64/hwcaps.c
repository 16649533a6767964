/*
 * Hart capabilities (hwcaps.h): the device tree's riscv,isa string read
 * as the ISA manual's naming rules have it: "rv64" then single-letter
 * extensions (each possibly followed by a version such as "2p1"), then
 * multi-letter ones separated by '_'.
 */
#include "arch/riscv64/hwcaps.h"

#include "arch/riscv64/cpu.h"
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

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skips a version ("2", "2p1") at s. */
static const char *skip_version(const char *s)
{
	while (is_digit(*s))
		s++;
	if (*s == 'p' && is_digit(s[1]))
		for (s++; is_digit(*s);)
			s++;
	return s;
}

static bool single_letter(const char *isa, char letter)
{
	for (const char *s = isa + 4; *s && *s != '_'; s = skip_version(s + 1)) /* after "rv64" */
		if (*s == letter || (*s == 'g' && strchr("imafd", letter)))
			return true;
	return false;
}

static bool multi_letter(const char *isa, const char *name)
{
	size_t n = strlen(name);
	if ((!strcmp(name, "zicsr") || !strcmp(name, "zifencei")) && single_letter(isa, 'g'))
		return true;
	for (const char *s = strchr(isa, '_'); s; s = strchr(s + 1, '_')) {
		if (strncmp(s + 1, name, n) != 0)
			continue;
		const char *after = skip_version(s + 1 + n);
		if (*after == '_' || *after == '\0')
			return true;
	}
	return false;
}

bool hwcaps_has_ext(int cpu, const char *ext)
{
	const struct fdt_hart *h = hart_node(cpu);
	if (!h || strncmp(h->isa, "rv64", 4) != 0)
		return false;
	if (ext[0] && !ext[1])
		return single_letter(h->isa, ext[0]);
	return multi_letter(h->isa, ext);
}

uint32_t hwcaps_cboz_block_size(int cpu)
{
	const struct fdt_hart *h = hart_node(cpu);
	return h ? h->cboz_block_size : 0;
}
