/*
 * Tests of kernel/core/fdt.c: DTBs dumped by QEMU's virt machine with
 * several -smp/-m values (made by tools/host-tests.sh into
 * $HOST_DTB_DIR), hand-built blobs for the cases QEMU does not produce,
 * and corrupted blobs, which must be refused without any out-of-bounds
 * access (ASan watches: blobs live in exact-size heap buffers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fdt.h"
#include "core/kernel.h"
#include "tests/host/test.h"

/* ------------------------------------------------------------ builder */

struct fdtb {
	uint8_t st[16384];
	uint32_t slen;
	char str[4096];
	uint32_t strl;
	uint64_t rsv[8][2];
	int nrsv;
};

static void b_put32(struct fdtb *b, uint32_t v)
{
	b->st[b->slen++] = (uint8_t)(v >> 24);
	b->st[b->slen++] = (uint8_t)(v >> 16);
	b->st[b->slen++] = (uint8_t)(v >> 8);
	b->st[b->slen++] = (uint8_t)v;
}

static void b_bytes(struct fdtb *b, const void *p, uint32_t len)
{
	memcpy(b->st + b->slen, p, len);
	b->slen += len;
	while (b->slen & 3)
		b->st[b->slen++] = 0;
}

static void b_begin(struct fdtb *b, const char *name)
{
	b_put32(b, 1);
	b_bytes(b, name, (uint32_t)strlen(name) + 1);
}

static void b_end(struct fdtb *b)
{
	b_put32(b, 2);
}

static uint32_t b_stroff(struct fdtb *b, const char *name)
{
	for (uint32_t off = 0; off < b->strl; off += (uint32_t)strlen(b->str + off) + 1) {
		if (strcmp(b->str + off, name) == 0)
			return off;
	}
	uint32_t off = b->strl;
	strcpy(b->str + off, name);
	b->strl += (uint32_t)strlen(name) + 1;
	return off;
}

static void b_prop(struct fdtb *b, const char *name, const void *val, uint32_t len)
{
	b_put32(b, 3);
	b_put32(b, len);
	b_put32(b, b_stroff(b, name));
	b_bytes(b, val, len);
}

static void b_cells(struct fdtb *b, const char *name, int n, const uint32_t *cells)
{
	uint8_t buf[64];

	for (int i = 0; i < n; i++) {
		buf[4 * i] = (uint8_t)(cells[i] >> 24);
		buf[4 * i + 1] = (uint8_t)(cells[i] >> 16);
		buf[4 * i + 2] = (uint8_t)(cells[i] >> 8);
		buf[4 * i + 3] = (uint8_t)cells[i];
	}
	b_prop(b, name, buf, 4 * (uint32_t)n);
}

#define B_CELLS(b, name, ...)                                                                      \
	b_cells(b, name, sizeof((uint32_t[]){__VA_ARGS__}) / 4, (uint32_t[]){__VA_ARGS__})

static void b_str(struct fdtb *b, const char *name, const char *s)
{
	b_prop(b, name, s, (uint32_t)strlen(s) + 1);
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Lays out header, reservation map, structure (plus FDT_END if end_tag)
 * and strings into an exact-size heap buffer. */
static uint8_t *b_finish(struct fdtb *b, int end_tag, uint32_t *size)
{
	if (end_tag)
		b_put32(b, 9);
	uint32_t off_rsv = 40, off_st = off_rsv + 16 * (uint32_t)(b->nrsv + 1);
	uint32_t off_str = off_st + b->slen, total = off_str + b->strl;
	uint8_t *blob = calloc(1, total);
	uint32_t hdr[10] = {FDT_MAGIC, total, off_st, off_str, off_rsv,
	                    17,        16,    0,      b->strl, b->slen};

	for (int i = 0; i < 10; i++)
		wr32(blob + 4 * i, hdr[i]);
	for (int i = 0; i < b->nrsv; i++) {
		for (int k = 0; k < 2; k++) {
			wr32(blob + off_rsv + 16 * i + 8 * k, (uint32_t)(b->rsv[i][k] >> 32));
			wr32(blob + off_rsv + 16 * i + 8 * k + 4, (uint32_t)b->rsv[i][k]);
		}
	}
	memcpy(blob + off_st, b->st, b->slen);
	memcpy(blob + off_str, b->str, b->strl);
	*size = total;
	return blob;
}

/* ------------------------------------------------------------ blobs */

static void build_soc(struct fdtb *b)
{
	b_begin(b, "soc");
	B_CELLS(b, "#address-cells", 2);
	B_CELLS(b, "#size-cells", 2);
	b_begin(b, "plic@c000000");
	b_prop(b, "compatible", "sifive,plic-1.0.0\0riscv,plic0", 30);
	B_CELLS(b, "reg", 0, 0xc000000, 0, 0x4000000);
	B_CELLS(b, "riscv,ndev", 53);
	B_CELLS(b, "#interrupt-cells", 1);
	B_CELLS(b, "phandle", 5);
	b_end(b);
	b_begin(b, "uart@10000000");
	b_str(b, "compatible", "ns16550a");
	B_CELLS(b, "reg", 0, 0x10000000, 0, 0x100);
	B_CELLS(b, "interrupts", 10);
	b_end(b);
	b_begin(b, "uart@20000000");
	b_prop(b, "compatible", "snps,dw-apb-uart\0ns16550a", 26);
	B_CELLS(b, "reg", 0, 0x20000000, 0, 0x100);
	B_CELLS(b, "interrupts", 33);
	b_end(b);
	b_begin(b, "gic@40000000");
	B_CELLS(b, "phandle", 7);
	B_CELLS(b, "#interrupt-cells", 2);
	b_end(b);
	b_begin(b, "dev@30000000");
	b_str(b, "compatible", "virtio,mmio");
	B_CELLS(b, "reg", 0, 0x30000000, 0, 0x200);
	B_CELLS(b, "interrupt-parent", 7);
	B_CELLS(b, "interrupts", 44, 4, 45, 4);
	b_end(b);
	for (uint32_t slot = 3; slot >= 1; slot--) {
		char name[32];
		snprintf(name, sizeof(name), "virtio_mmio@1000%u000", slot);
		b_begin(b, name);
		b_str(b, "compatible", "virtio,mmio");
		B_CELLS(b, "reg", 0, 0x10000000 + slot * 0x1000, 0, 0x1000);
		B_CELLS(b, "interrupts", slot);
		if (slot == 3)
			b_str(b, "status", "disabled");
		b_end(b);
	}
	b_end(b);
}

static void build_cpus(struct fdtb *b)
{
	static const char *const isa[] = {"rv64imac", "rv64imafdc_zicsr", "", "rv64gc"};

	b_begin(b, "cpus");
	B_CELLS(b, "#address-cells", 1);
	B_CELLS(b, "#size-cells", 0);
	B_CELLS(b, "timebase-frequency", 0x1, 0x2); /* 64-bit value */
	for (uint32_t id = 0; id < 4; id++) {
		char name[16];
		if (id == 2)
			continue;
		snprintf(name, sizeof(name), "cpu@%u", id);
		b_begin(b, name);
		b_str(b, "device_type", "cpu");
		B_CELLS(b, "reg", id);
		b_str(b, "riscv,isa", isa[id]);
		if (id == 0)
			b_str(b, "status", "disabled");
		if (id == 1)
			b_str(b, "status", "okay");
		b_end(b);
	}
	b_begin(b, "cpu-map");
	b_end(b);
	b_end(b);
}

static uint8_t *build_board(uint32_t *size)
{
	static struct fdtb b;

	memset(&b, 0, sizeof(b));
	b.rsv[0][0] = 0x87000000;
	b.rsv[0][1] = 0x10000;
	b.rsv[1][0] = 0x190000000ULL;
	b.rsv[1][1] = 0x2000;
	b.nrsv = 2;
	b_put32(&b, 4); /* a NOP before the root */
	b_begin(&b, "");
	B_CELLS(&b, "#address-cells", 2);
	B_CELLS(&b, "#size-cells", 2);
	B_CELLS(&b, "interrupt-parent", 5);
	b_begin(&b, "memory@80000000");
	b_str(&b, "device_type", "memory");
	B_CELLS(&b, "reg", 0, 0x80000000, 0, 0x10000000, 0, 0xa0000000, 0, 0x8000000);
	b_end(&b);
	b_begin(&b, "memory@100000000");
	b_str(&b, "device_type", "memory");
	B_CELLS(&b, "reg", 1, 0, 0, 0x40000000);
	b_end(&b);
	b_begin(&b, "reserved-memory");
	B_CELLS(&b, "#address-cells", 2);
	B_CELLS(&b, "#size-cells", 2);
	b_begin(&b, "fw@80000000");
	B_CELLS(&b, "reg", 0, 0x80000000, 0, 0x40000);
	b_end(&b);
	b_begin(&b, "pool");
	b_str(&b, "compatible", "shared-dma-pool");
	b_end(&b);
	b_end(&b);
	build_cpus(&b);
	b_begin(&b, "chosen");
	b_str(&b, "bootargs", "init=/bin/sh quiet");
	B_CELLS(&b, "linux,initrd-start", 0x88000000);
	B_CELLS(&b, "linux,initrd-end", 0x88100000);
	b_str(&b, "stdout-path", "serial1:115200n8");
	b_end(&b);
	b_begin(&b, "aliases");
	b_str(&b, "serial1", "/soc/uart@20000000");
	b_end(&b);
	build_soc(&b);
	b_end(&b);
	return b_finish(&b, 1, size);
}

static uint8_t *load_qemu_dtb(const char *name, uint32_t *size)
{
	const char *dir = getenv("HOST_DTB_DIR");
	char path[512];
	uint8_t head[8];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build/host/dtb", name);
	f = fopen(path, "rb");
	if (!f || fread(head, 1, 8, f) != 8) {
		test_fail(__FILE__, __LINE__, "cannot read %s (made by tools/host-tests.sh)", path);
		if (f)
			fclose(f);
		return NULL;
	}
	*size = rd32(head + 4);
	uint8_t *blob = malloc(*size);
	rewind(f);
	if (fread(blob, 1, *size, f) != *size) {
		test_fail(__FILE__, __LINE__, "%s is truncated", path);
		free(blob);
		blob = NULL;
	}
	fclose(f);
	return blob;
}

/* ------------------------------------------------------------ QEMU */

static void check_qemu_virt(const char *file, int smp, uint64_t mem)
{
	static struct fdt_info info;
	uint32_t size;
	uint8_t *blob = load_qemu_dtb(file, &size);

	if (!blob)
		return;
	CHECK_EQ(fdt_parse_info(blob, size, &info), 0);
	CHECK_EQ(info.total_size, size);
	CHECK_EQ(info.nmem, 1);
	CHECK_EQ(info.mem[0].base, 0x80000000);
	CHECK_EQ(info.mem[0].size, mem);
	CHECK_EQ(info.nharts, smp);
	CHECK_EQ(info.ndisabled_harts, 0);
	for (int i = 0; i < info.nharts; i++) {
		CHECK_EQ(info.harts[i].hartid, i);
		CHECK(strncmp(info.harts[i].isa, "rv64imafdc", 10) == 0);
	}
	CHECK_EQ(info.timebase_freq, 10000000);
	CHECK_EQ(info.uart.base, 0x10000000);
	CHECK_EQ(info.uart.size, 0x100);
	CHECK_EQ(info.uart.irq, 10);
	CHECK_EQ(info.plic.base, 0xc000000);
	CHECK_EQ(info.plic.size, 0x600000);
	CHECK(info.plic_ndev == 95 || info.plic_ndev == 96); /* QEMU 8+ / 7.2 */
	CHECK_EQ(info.test.base, 0x100000);
	CHECK_EQ(info.rtc.base, 0x101000);
	CHECK_EQ(info.rtc.irq, 11);
	CHECK_EQ(info.nvirtio, 8);
	for (int i = 0; i < info.nvirtio; i++) {
		CHECK_EQ(info.virtio[i].base, 0x10001000 + 0x1000 * i);
		CHECK_EQ(info.virtio[i].size, 0x1000);
		CHECK_EQ(info.virtio[i].irq, 1 + i);
	}
	CHECK_EQ(info.nreserved, 0);
	CHECK_EQ(info.initrd_start, 0);
	free(blob);
}

TEST(fdt_qemu_virt_smp1_128M)
{
	check_qemu_virt("virt-smp1-128M.dtb", 1, 128ULL << 20);
}

TEST(fdt_qemu_virt_smp2_512M)
{
	check_qemu_virt("virt-smp2-512M.dtb", 2, 512ULL << 20);
}

TEST(fdt_qemu_virt_smp4_4G)
{
	check_qemu_virt("virt-smp4-4G.dtb", 4, 4ULL << 30);
}

TEST(fdt_qemu_virt_smp8_1G)
{
	check_qemu_virt("virt-smp8-1G.dtb", 8, 1ULL << 30);
}

TEST(fdt_qemu_chosen_bootargs_and_initrd)
{
	static struct fdt_info info;
	uint32_t size;
	uint8_t *blob = load_qemu_dtb("virt-initrd.dtb", &size);

	if (!blob)
		return;
	CHECK_EQ(fdt_parse_info(blob, size, &info), 0);
	CHECK_STR_EQ(info.bootargs, "console=ttyS0 init=/bin/sh");
	CHECK(info.initrd_start >= 0x80000000);
	CHECK_EQ(info.initrd_end - info.initrd_start, 4096 + 11); /* size of the file */
	free(blob);
}

TEST(fdt_qemu_low_level_api)
{
	struct fdt fdt;
	uint32_t size, len;
	uint64_t base, sz;
	uint8_t *blob = load_qemu_dtb("virt-smp2-512M.dtb", &size);

	if (!blob)
		return;
	CHECK_EQ(fdt_init(&fdt, blob, size), 0);
	int root = fdt_root(&fdt);
	CHECK(root >= 0);
	CHECK_STR_EQ(fdt_node_name(&fdt, root), "");
	CHECK_EQ(fdt_address_cells(&fdt, root), 2);
	int chosen = fdt_path_offset(&fdt, "/chosen");
	CHECK(chosen > 0);
	CHECK_STR_EQ(fdt_read_string(&fdt, chosen, "stdout-path"), "/soc/serial@10000000");
	int uart = fdt_path_offset(&fdt, "/soc/serial@10000000");
	CHECK(uart > 0);
	CHECK_EQ(fdt_node_by_compatible(&fdt, -1, "ns16550a"), uart);
	CHECK_EQ(fdt_path_offset(&fdt, "/soc/serial"), uart);
	CHECK_EQ(fdt_path_offset(&fdt, "/soc//serial@10000000/"), uart);
	CHECK_EQ(fdt_parent(&fdt, uart), fdt_path_offset(&fdt, "/soc"));
	CHECK_EQ(fdt_read_reg(&fdt, uart, 0, &base, &sz), 0);
	CHECK_EQ(base, 0x10000000);
	CHECK_EQ(fdt_read_reg(&fdt, uart, 1, &base, &sz), -ENOENT);
	CHECK_EQ(fdt_path_offset(&fdt, "/nonexistent"), -ENOENT);
	CHECK_EQ(fdt_path_offset(&fdt, "/soc/serial@20000000"), -ENOENT);
	CHECK_EQ(fdt_path_offset(&fdt, "chosen"), -EINVAL);
	CHECK(fdt_path_offset(&fdt, "/memory") > 0);
	CHECK(fdt_getprop(&fdt, uart, "no-such-prop", &len) == NULL);
	CHECK(fdt_is_compatible(&fdt, fdt_path_offset(&fdt, "/soc/test@100000"), "sifive,test0"));
	int nodes = 0, maxdepth = 0, depth = 0;
	for (int n = root; n >= 0; n = fdt_next_node(&fdt, n, &depth)) {
		nodes++;
		maxdepth = depth > maxdepth ? depth : maxdepth;
	}
	CHECK(nodes > 20);
	CHECK(maxdepth >= 3); /* /cpus/cpu@0/interrupt-controller */
	int props = 0;
	for (int p = fdt_first_prop(&fdt, uart); p >= 0; p = fdt_next_prop(&fdt, p))
		props++;
	CHECK(props >= 4);
	free(blob);
}

/* ------------------------------------------------------------ built */

TEST(fdt_built_board_summary)
{
	static struct fdt_info info;
	uint32_t size;
	uint8_t *blob = build_board(&size);

	CHECK_EQ(fdt_parse_info(blob, size, &info), 0);
	CHECK_EQ(info.nmem, 3);
	CHECK_EQ(info.mem[0].base, 0x80000000);
	CHECK_EQ(info.mem[0].size, 0x10000000);
	CHECK_EQ(info.mem[1].base, 0xa0000000);
	CHECK_EQ(info.mem[2].base, 0x100000000);
	CHECK_EQ(info.mem[2].size, 0x40000000);
	CHECK_EQ(info.nreserved, 3);
	CHECK_EQ(info.reserved[0].base, 0x80000000);
	CHECK_EQ(info.reserved[0].size, 0x40000);
	CHECK_EQ(info.reserved[1].base, 0x87000000);
	CHECK_EQ(info.reserved[2].base, 0x190000000);
	CHECK_EQ(info.reserved[2].size, 0x2000);
	CHECK_EQ(info.nharts, 2);
	CHECK_EQ(info.ndisabled_harts, 1);
	CHECK_EQ(info.harts[0].hartid, 1);
	CHECK_STR_EQ(info.harts[0].isa, "rv64imafdc_zicsr");
	CHECK_EQ(info.harts[1].hartid, 3);
	CHECK_STR_EQ(info.harts[1].isa, "rv64gc");
	CHECK_EQ(info.timebase_freq, 0x100000002);
	CHECK_EQ(info.uart.base, 0x20000000); /* stdout-path through an alias */
	CHECK_EQ(info.uart.irq, 33);
	CHECK_EQ(info.plic.base, 0xc000000);
	CHECK_EQ(info.plic.size, 0x4000000);
	CHECK_EQ(info.plic_ndev, 53);
	CHECK_EQ(info.test.base, 0);
	CHECK_EQ(info.rtc.base, 0);
	CHECK_EQ(info.nvirtio, 3);
	CHECK_EQ(info.virtio[0].base, 0x10001000);
	CHECK_EQ(info.virtio[0].irq, 1);
	CHECK_EQ(info.virtio[1].base, 0x10002000);
	CHECK_EQ(info.virtio[2].base, 0x30000000);
	CHECK_EQ(info.virtio[2].size, 0x200);
	CHECK_EQ(info.virtio[2].irq, 44);
	CHECK_STR_EQ(info.bootargs, "init=/bin/sh quiet");
	CHECK_EQ(info.initrd_start, 0x88000000);
	CHECK_EQ(info.initrd_end, 0x88100000);
	fdt_info_print(&info);
	free(blob);
}

TEST(fdt_built_board_interrupts_and_phandles)
{
	struct fdt fdt;
	uint32_t size, irq;
	uint8_t *blob = build_board(&size);

	CHECK_EQ(fdt_init(&fdt, blob, size), 0);
	int dev = fdt_path_offset(&fdt, "/soc/dev@30000000");
	CHECK(dev > 0);
	CHECK_EQ(fdt_read_irq(&fdt, dev, 1, &irq), 0);
	CHECK_EQ(irq, 45);
	CHECK_EQ(fdt_read_irq(&fdt, dev, 2, &irq), -ENOENT);
	CHECK_EQ(fdt_node_by_phandle(&fdt, 7), fdt_path_offset(&fdt, "/soc/gic@40000000"));
	CHECK_EQ(fdt_node_by_phandle(&fdt, 99), -ENOENT);
	CHECK_EQ(fdt_path_offset(&fdt, "/soc/uart"), fdt_path_offset(&fdt, "/soc/uart@10000000"));
	int plic = fdt_path_offset(&fdt, "/soc/plic@c000000");
	CHECK(fdt_is_compatible(&fdt, plic, "riscv,plic0"));
	CHECK(fdt_is_compatible(&fdt, plic, "sifive,plic-1.0.0"));
	CHECK(!fdt_is_compatible(&fdt, plic, "riscv,plic"));
	uint64_t a, s;
	CHECK_EQ(fdt_rsvmap_entry(&fdt, 1, &a, &s), 0);
	CHECK_EQ(a, 0x190000000);
	CHECK_EQ(fdt_rsvmap_entry(&fdt, 2, &a, &s), -ENOENT);
	int cpus = fdt_path_offset(&fdt, "/cpus");
	uint32_t v;
	CHECK_EQ(fdt_read_u32(&fdt, cpus, "timebase-frequency", &v), -EINVAL);
	CHECK_EQ(fdt_read_u32(&fdt, cpus, "missing", &v), -ENOENT);
	CHECK_EQ(fdt_first_child(&fdt, fdt_path_offset(&fdt, "/cpus/cpu-map")), -ENOENT);
	CHECK_EQ(fdt_next_sibling(&fdt, fdt_path_offset(&fdt, "/soc")), -ENOENT);
	free(blob);
}

/* ------------------------------------------------------------ corrupt */

static int parse(const uint8_t *blob, uint32_t size)
{
	static struct fdt_info info;

	return fdt_parse_info(blob, size, &info);
}

/* Copy of blob with the header word at index idx replaced. */
static int parse_with_header(const uint8_t *blob, uint32_t size, int idx, uint32_t value)
{
	uint8_t *copy = malloc(size);
	int r;

	memcpy(copy, blob, size);
	wr32(copy + 4 * idx, value);
	r = parse(copy, size);
	free(copy);
	return r;
}

TEST(fdt_rejects_bad_headers)
{
	uint32_t size;
	uint8_t *blob = build_board(&size);
	uint32_t off_st = rd32(blob + 8), size_st = rd32(blob + 36);

	CHECK_EQ(parse(blob, size), 0);
	CHECK_EQ(parse(NULL, size), -EINVAL);
	CHECK_EQ(parse(blob, 39), -EINVAL);
	CHECK_EQ(parse(blob, size - 1), -EINVAL); /* totalsize beyond the buffer */
	CHECK_EQ(parse_with_header(blob, size, 0, 0xd00dfeee), -EINVAL); /* magic */
	CHECK_EQ(parse_with_header(blob, size, 1, 39), -EINVAL);         /* totalsize */
	CHECK_EQ(parse_with_header(blob, size, 1, 0xffffffff), -EINVAL);
	CHECK_EQ(parse_with_header(blob, size, 2, size + 4), -EINVAL); /* off_dt_struct */
	CHECK_EQ(parse_with_header(blob, size, 2, 0xfffffff0), -EINVAL);
	CHECK_EQ(parse_with_header(blob, size, 3, size), -EINVAL);        /* off_dt_strings */
	CHECK_EQ(parse_with_header(blob, size, 4, size - 8), -EINVAL);    /* off_mem_rsvmap */
	CHECK_EQ(parse_with_header(blob, size, 5, 15), -EINVAL);          /* version */
	CHECK_EQ(parse_with_header(blob, size, 6, 18), -EINVAL);          /* last_comp_version */
	CHECK_EQ(parse_with_header(blob, size, 8, 0xffffff00), -EINVAL);  /* size_dt_strings */
	CHECK_EQ(parse_with_header(blob, size, 9, size), -EINVAL);        /* size_dt_struct */
	CHECK_EQ(parse_with_header(blob, size, 9, size_st - 4), -EINVAL); /* no FDT_END */
	CHECK_EQ(parse_with_header(blob, size, 2, off_st + 2), -EINVAL);  /* misaligned */
	CHECK_EQ(parse_with_header(blob, size, 8, 3), -EINVAL); /* names outside strings */
	free(blob);
}

static int parse_built(struct fdtb *b, int end_tag)
{
	uint32_t size;
	uint8_t *blob = b_finish(b, end_tag, &size);
	int r = parse(blob, size);

	free(blob);
	return r;
}

TEST(fdt_rejects_bad_structure)
{
	static struct fdtb b;

	memset(&b, 0, sizeof(b)); /* node never closed */
	b_begin(&b, "");
	b_begin(&b, "child");
	b_end(&b);
	CHECK_EQ(parse_built(&b, 1), -EINVAL);

	memset(&b, 0, sizeof(b)); /* two roots */
	b_begin(&b, "");
	b_end(&b);
	b_begin(&b, "");
	b_end(&b);
	CHECK_EQ(parse_built(&b, 1), -EINVAL);

	memset(&b, 0, sizeof(b)); /* property outside any node */
	B_CELLS(&b, "x", 1);
	b_begin(&b, "");
	b_end(&b);
	CHECK_EQ(parse_built(&b, 1), -EINVAL);

	memset(&b, 0, sizeof(b)); /* unknown token */
	b_begin(&b, "");
	b_put32(&b, 7);
	b_end(&b);
	CHECK_EQ(parse_built(&b, 1), -EINVAL);

	memset(&b, 0, sizeof(b)); /* extra END_NODE */
	b_begin(&b, "");
	b_end(&b);
	b_end(&b);
	CHECK_EQ(parse_built(&b, 1), -EINVAL);

	memset(&b, 0, sizeof(b)); /* no FDT_END */
	b_begin(&b, "");
	b_end(&b);
	CHECK_EQ(parse_built(&b, 0), -EINVAL);

	memset(&b, 0, sizeof(b)); /* empty structure block */
	CHECK_EQ(parse_built(&b, 1), -EINVAL);

	memset(&b, 0, sizeof(b)); /* property length beyond the block */
	b_begin(&b, "");
	b_put32(&b, 3);
	b_put32(&b, 0x7ffffff0);
	b_put32(&b, b_stroff(&b, "x"));
	b_end(&b);
	CHECK_EQ(parse_built(&b, 1), -EINVAL);

	memset(&b, 0, sizeof(b)); /* property name offset beyond the strings */
	b_begin(&b, "");
	b_put32(&b, 3);
	b_put32(&b, 0);
	b_put32(&b, 1000);
	b_end(&b);
	CHECK_EQ(parse_built(&b, 1), -EINVAL);

	memset(&b, 0, sizeof(b)); /* node name running off the block */
	b_put32(&b, 1);
	memcpy(b.st + b.slen, "abcd", 4);
	b.slen += 4;
	CHECK_EQ(parse_built(&b, 0), -EINVAL);

	memset(&b, 0, sizeof(b)); /* minimal valid tree */
	b_begin(&b, "");
	b_end(&b);
	CHECK_EQ(parse_built(&b, 1), 0);
}

TEST(fdt_truncated_blobs_never_crash)
{
	uint32_t size;
	uint8_t *blob = build_board(&size);

	for (uint32_t len = 0; len < size; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, blob, len);
		CHECK_EQ(parse(copy, len), -EINVAL);
		if (len >= 40) {
			wr32(copy + 4, len); /* header agrees with the truncation */
			int r = parse(copy, len);
			CHECK(r == -EINVAL || r == 0);
		}
		free(copy);
	}
	free(blob);
}

TEST(fdt_random_corruption_never_crashes)
{
	uint32_t size;
	uint8_t *orig = load_qemu_dtb("virt-smp2-512M.dtb", &size);
	int accepted = 0, rejected = 0;

	if (!orig)
		return;
	for (int iter = 0; iter < 3000; iter++) {
		uint8_t *copy = malloc(size);
		memcpy(copy, orig, size);
		int flips = 1 + (int)(test_rand() % 8);
		for (int i = 0; i < flips; i++) {
			uint32_t at = (uint32_t)(test_rand() % size);
			if (iter & 1)
				at = at % 64; /* hit the header and the first tokens more often */
			copy[at] ^= (uint8_t)(1 + test_rand() % 255);
		}
		int r = parse(copy, size);
		CHECK(r == 0 || r == -EINVAL);
		if (r == 0)
			accepted++;
		else
			rejected++;
		free(copy);
	}
	CHECK(accepted > 0 && rejected > 0);
	free(orig);
}

TEST(fdt_api_with_random_offsets_never_crashes)
{
	struct fdt fdt;
	uint32_t size, len, v;
	uint64_t a, s;
	const char *name;
	const void *val;
	uint8_t *blob = load_qemu_dtb("virt-smp1-128M.dtb", &size);

	if (!blob)
		return;
	CHECK_EQ(fdt_init(&fdt, blob, size), 0);
	for (int iter = 0; iter < 20000; iter++) {
		int off = (int)(test_rand() % (size + 64)) - 32;
		int depth = 0;
		if (iter % 3 == 0)
			off &= ~3;
		fdt_next_node(&fdt, off, &depth);
		fdt_first_child(&fdt, off);
		fdt_next_sibling(&fdt, off);
		fdt_parent(&fdt, off);
		fdt_node_name(&fdt, off);
		fdt_first_prop(&fdt, off);
		fdt_next_prop(&fdt, off);
		fdt_prop_at(&fdt, off, &name, &val, &len);
		fdt_read_u32(&fdt, off, "reg", &v);
		fdt_read_reg(&fdt, off, 0, &a, &s);
		fdt_read_irq(&fdt, off, 0, &v);
		fdt_rsvmap_entry(&fdt, off, &a, &s);
	}
	CHECK_EQ(fdt_node_by_compatible(&fdt, 2, "ns16550a"), -EINVAL);
	free(blob);
}
