/*
 * Sv39 page-table walking and switching (see mmu.h).
 */
#include "arch/riscv64/mmu.h"

#include "arch/riscv64/cpu.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/sbi.h"
#include "core/kernel.h"
#include "mm/page.h"

extern pte_t boot_pagetable[512];

#define VPN(va, level)     (((va) >> (12 + 9 * (level))) & 0x1ff)
#define KERNEL_FIRST_ENTRY 256

pte_t *pt_kernel_root(void)
{
	return boot_pagetable;
}

uint64_t pte_flags_for_prot(unsigned prot)
{
	uint64_t f = PTE_U | PTE_A | PTE_D;
	if (prot & 1)
		f |= PTE_R;
	if (prot & 2)
		f |= PTE_W | PTE_R;
	if (prot & 4)
		f |= PTE_X;
	return f;
}

pte_t *pt_create_root(void)
{
	pte_t *root = page_alloc_zeroed(0);
	if (!root)
		return NULL;
	for (int i = KERNEL_FIRST_ENTRY; i < 512; i++)
		root[i] = boot_pagetable[i];
	return root;
}

static void check_root_unused(pte_t *root);

static void free_level(pte_t *table, int level)
{
	for (int i = 0; i < 512; i++) {
		pte_t e = table[i];
		if ((e & PTE_V) && !pte_is_leaf(e) && level > 0)
			free_level(PA_TO_VA(pte_pa(e)), level - 1);
	}
	page_free(table, 0);
}

void pt_destroy(pte_t *root)
{
	check_root_unused(root);
	for (int i = 0; i < KERNEL_FIRST_ENTRY; i++) {
		pte_t e = root[i];
		if ((e & PTE_V) && !pte_is_leaf(e))
			free_level(PA_TO_VA(pte_pa(e)), 1);
	}
	page_free(root, 0);
}

pte_t *pt_walk(pte_t *root, uint64_t va, bool alloc)
{
	if (va >= USER_TOP)
		return NULL;
	pte_t *table = root;
	for (int level = 2; level > 0; level--) {
		pte_t *e = &table[VPN(va, level)];
		if (!(*e & PTE_V)) {
			if (!alloc)
				return NULL;
			pte_t *next = page_alloc_zeroed(0);
			if (!next)
				return NULL;
			*e = pte_make(VA_TO_PA(next), 0);
		} else if (pte_is_leaf(*e)) {
			return NULL; /* no huge user pages */
		}
		table = PA_TO_VA(pte_pa(*e));
	}
	return &table[VPN(va, 0)];
}

static void leaf_walk(pte_t *table, int level, uint64_t base, uint64_t start, uint64_t end,
                      void (*fn)(pte_t *, uint64_t, void *), void *ctx)
{
	uint64_t span = 1UL << (12 + 9 * level);
	for (int i = 0; i < 512; i++) {
		uint64_t va = base + (uint64_t)i * span;
		if (va + span <= start || va >= end)
			continue;
		pte_t *e = &table[i];
		if (!(*e & PTE_V))
			continue;
		if (level == 0)
			fn(e, va, ctx);
		else if (!pte_is_leaf(*e))
			leaf_walk(PA_TO_VA(pte_pa(*e)), level - 1, va, start, end, fn, ctx);
	}
}

void pt_for_each_leaf(pte_t *root, uint64_t start, uint64_t end,
                      void (*fn)(pte_t *pte, uint64_t va, void *ctx), void *ctx)
{
	if (end > USER_TOP)
		end = USER_TOP;
	leaf_walk(root, 2, 0, start, end, fn, ctx);
}

void pt_activate(pte_t *root, uint16_t asid)
{
	uint64_t satp =
	    SATP_MODE_SV39 | ((uint64_t)asid << SATP_ASID_SHIFT) | (VA_TO_PA(root) >> 12);
	this_cpu()->satp = satp; /* first: a bad root faults right after the write */
	csr_write(satp, satp);
	sfence_vma_asid(asid);
}

/* Freeing a root that a hart still has in satp would leave that hart's
 * next trap to whatever the page holds next: refuse, loudly. */
static void check_root_unused(pte_t *root)
{
	uint64_t ppn = VA_TO_PA(root) >> 12;
	for (int i = 0; i < ncpus; i++) {
		uint64_t satp = __atomic_load_n(&cpus[i].satp, __ATOMIC_RELAXED);
		if ((satp & SATP_PPN_MASK) == ppn)
			panic("page table %p freed while cpu %d runs on it (satp %lx)", root, i,
			      satp);
	}
}

void pt_activate_kernel(void)
{
	uint64_t kernel_satp = SATP_MODE_SV39 | (VA_TO_PA(boot_pagetable) >> 12);
	if (csr_read(satp) != kernel_satp)
		pt_activate(boot_pagetable, 0);
}

void pt_flush_page(uint64_t va)
{
	sfence_vma_page(va);
}

void pt_flush_asid(uint16_t asid)
{
	sfence_vma_asid(asid);
}

unsigned pt_probe_asids(void)
{
	uint64_t old = csr_read(satp);
	csr_write(satp, old | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	uint64_t bits = (csr_read(satp) >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	csr_write(satp, old);
	sfence_vma_all();
	return (unsigned)bits + 1;
}

void pt_shootdown_asid(uint16_t asid)
{
	struct cpu *self = this_cpu();
	for (int i = 0; i < ncpus; i++) {
		if (&cpus[i] != self && cpus[i].online)
			sbi_remote_sfence_vma_asid(1, cpus[i].hartid, asid);
	}
}
