/*
 * Flattened device tree (DTB) reader, used at boot to find RAM, harts and
 * devices.
 *
 * Two levels:
 *  - fdt_parse_info() validates a blob and summarizes what the kernel needs
 *    into a struct fdt_info (copied out: the blob may be reclaimed after).
 *  - a small read-only API over a validated blob (struct fdt): nodes are
 *    named by their offset in the structure block, like libfdt's.
 *
 * Every function bounds-checks the blob: a malformed one gives -EINVAL (or
 * NULL), never a fault.  Integer properties are big-endian in the blob and
 * returned in host order.
 */
#ifndef CORE_FDT_H
#define CORE_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedU

#define FDT_MAX_MEM      16
#define FDT_MAX_RESERVED 16
#define FDT_MAX_HARTS    64
#define FDT_MAX_VIRTIO   16
#define FDT_ISA_MAX      256
#define FDT_BOOTARGS_MAX 1024

struct fdt_range {
	uint64_t base;
	uint64_t size;
};

struct fdt_hart {
	uint32_t hartid;          /* reg of the cpu node */
	char isa[FDT_ISA_MAX];    /* "riscv,isa", truncated if longer */
	uint32_t cboz_block_size; /* "riscv,cboz-block-size", 0 if absent */
};

/* An MMIO device; base == 0 means absent. */
struct fdt_device {
	uint64_t base;
	uint64_t size;
	uint32_t irq; /* first interrupt, 0 if none */
};

/* About 18 KiB: keep it static, not on a kernel stack. */
struct fdt_info {
	uint32_t total_size; /* bytes of the blob (reserve them if kept) */

	int nmem; /* every reg entry of every device_type = "memory" node */
	struct fdt_range mem[FDT_MAX_MEM];

	/* /reserved-memory children with reg, then the header's memory
	 * reservation block. */
	int nreserved;
	struct fdt_range reserved[FDT_MAX_RESERVED];

	/* cpu nodes (device_type "cpu") whose status is absent, "okay" or
	 * "ok", in tree order; ndisabled_harts counts the others. */
	int nharts;
	int ndisabled_harts;
	struct fdt_hart harts[FDT_MAX_HARTS];
	uint64_t timebase_freq; /* /cpus timebase-frequency, 0 if absent */

	struct fdt_device uart; /* ns16550a: /chosen stdout-path if it is one, else the first */
	struct fdt_device plic; /* riscv,plic0 or sifive,plic-1.0.0 */
	uint32_t plic_ndev;     /* riscv,ndev */
	struct fdt_device test; /* sifive,test0 (power-off / exit code) */
	struct fdt_device rtc;  /* google,goldfish-rtc */
	int nvirtio;            /* virtio,mmio slots, sorted by base */
	struct fdt_device virtio[FDT_MAX_VIRTIO];

	char bootargs[FDT_BOOTARGS_MAX]; /* /chosen bootargs, "" if absent */
	uint64_t initrd_start;           /* /chosen linux,initrd-start/-end (32 or 64 bit), */
	uint64_t initrd_end;             /* both 0 if absent */
};

/*
 * Validates the blob at `blob` (header, block offsets and sizes within
 * totalsize, totalsize <= max_size) and summarizes it into *info.
 * Returns 0, or -EINVAL if the blob is malformed.  Arrays that overflow
 * keep their first entries.
 */
int fdt_parse_info(const void *blob, size_t max_size, struct fdt_info *info);

/* Prints *info with printk (boot log). */
void fdt_info_print(const struct fdt_info *info);

/* ------------------------------------------------------------ low level */

/* A validated blob.  Offsets below are relative to the structure block. */
struct fdt {
	const uint8_t *blob;
	uint32_t total_size;
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
	uint32_t off_rsvmap;
};

/* Checks the header of a blob of at most max_size bytes and walks its
 * whole structure block once; 0 or -EINVAL. */
int fdt_init(struct fdt *fdt, const void *blob, size_t max_size);

/* Returns the i-th entry of the memory reservation block: 0, -ENOENT past
 * the last entry, -EINVAL if malformed. */
int fdt_rsvmap_entry(const struct fdt *fdt, int i, uint64_t *addr, uint64_t *size);

/* Node offsets: >= 0, or -ENOENT (no such node) / -EINVAL (malformed). */
int fdt_root(const struct fdt *fdt);
/* Next node in tree order after `node`; *depth (if not NULL) goes up by one
 * for each node entered and down by one for each node left. */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);
int fdt_parent(const struct fdt *fdt, int node);
/* Absolute path ("/", "/cpus", "/soc/serial@10000000"); a component
 * without '@' also matches a name with a unit address ("/memory"). */
int fdt_path_offset(const struct fdt *fdt, const char *path);
/* First node after `from` (-1: from the start) whose "compatible" list
 * contains compat. */
int fdt_node_by_compatible(const struct fdt *fdt, int from, const char *compat);
int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle);
/* Node name with unit address ("" for the root), or NULL if malformed. */
const char *fdt_node_name(const struct fdt *fdt, int node);

/* Property iteration: offsets of FDT_PROP tokens of one node. */
int fdt_first_prop(const struct fdt *fdt, int node);
int fdt_next_prop(const struct fdt *fdt, int prop);
/* Reads the property at offset prop; 0 or -EINVAL. */
int fdt_prop_at(const struct fdt *fdt, int prop, const char **name, const void **val,
                uint32_t *len);

/* Value of property `name` of node (len may be NULL), or NULL if absent. */
const void *fdt_getprop(const struct fdt *fdt, int node, const char *name, uint32_t *len);
/* Reads a 1-cell property: 0, -ENOENT or -EINVAL (wrong length). */
int fdt_read_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out);
/* Reads a 1- or 2-cell property: 0, -ENOENT or -EINVAL. */
int fdt_read_u64(const struct fdt *fdt, int node, const char *name, uint64_t *out);
/* A NUL-terminated string property (first string of a list), or NULL. */
const char *fdt_read_string(const struct fdt *fdt, int node, const char *name);
/* Whether a string-list property of node contains str. */
bool fdt_prop_has_string(const struct fdt *fdt, int node, const char *name, const char *str);
bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat);

/* #address-cells / #size-cells that node declares for its children
 * (defaults 2 and 1). */
uint32_t fdt_address_cells(const struct fdt *fdt, int node);
uint32_t fdt_size_cells(const struct fdt *fdt, int node);
/* The index-th (base, size) pair of node's "reg", decoded with its
 * parent's cell counts: 0, -ENOENT past the end, -EINVAL if malformed. */
int fdt_read_reg(const struct fdt *fdt, int node, int index, uint64_t *base, uint64_t *size);
/* The index-th interrupt of node's "interrupts", honouring the
 * #interrupt-cells of its interrupt parent (first cell of each
 * specifier): 0, -ENOENT, -EINVAL. */
int fdt_read_irq(const struct fdt *fdt, int node, int index, uint32_t *irq);

#endif
