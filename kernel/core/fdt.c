/*
 * Flattened device tree reader (see core/fdt.h).
 *
 * fdt_init checks the header and then walks the whole structure block once
 * (tokens well formed, names and property values inside the block, property
 * names inside the strings block, nodes balanced), so that a malformed blob
 * is refused up front.  The accessors still bounds-check every offset they
 * are given, since callers may pass any integer.
 */
#include "core/fdt.h"
#include "core/kernel.h"

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

#define FDT_HEADER_SIZE 40
#define FDT_MAX_DEPTH   64
#define FDT_PATH_MAX    256

/* Header fields, as indexes of big-endian 32-bit words. */
enum {
	H_MAGIC,
	H_TOTALSIZE,
	H_OFF_STRUCT,
	H_OFF_STRINGS,
	H_OFF_RSVMAP,
	H_VERSION,
	H_LAST_COMP,
	H_BOOT_CPU,
	H_SIZE_STRINGS,
	H_SIZE_STRUCT,
};

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

static uint64_t read_cells(const uint8_t *p, uint32_t ncells)
{
	return ncells == 2 ? be64(p) : ncells == 1 ? be32(p) : 0;
}

static const uint8_t *sblock(const struct fdt *f, int off)
{
	return f->blob + f->off_struct + off;
}

/* ------------------------------------------------------------ tokens */

/* The NUL-terminated string at off in the strings block, or NULL. */
static const char *string_at(const struct fdt *f, uint32_t off)
{
	const char *s = (const char *)f->blob + f->off_strings;

	if (off >= f->size_strings || !memchr(s + off, '\0', f->size_strings - off))
		return NULL;
	return s + off;
}

/*
 * Decodes the token at off: sets *tag and *next (offset of the following
 * token).  Returns 0 or -EINVAL if anything lies outside the block.
 */
static int tag_next(const struct fdt *f, int off, uint32_t *tag, int *next)
{
	uint32_t size = f->size_struct;
	uint32_t len;

	if (off < 0 || (off & 3) || (uint32_t)off + 4 > size)
		return -EINVAL;
	*tag = be32(sblock(f, off));
	switch (*tag) {
	case FDT_BEGIN_NODE: {
		const uint8_t *name = sblock(f, off + 4);
		const uint8_t *nul = memchr(name, '\0', size - (uint32_t)off - 4);
		if (!nul)
			return -EINVAL;
		*next = (int)ALIGN_UP((uint32_t)(nul - f->blob - f->off_struct) + 1, 4u);
		return 0;
	}
	case FDT_PROP:
		if ((uint32_t)off + 12 > size)
			return -EINVAL;
		len = be32(sblock(f, off + 4));
		if (len > size - (uint32_t)off - 12 || !string_at(f, be32(sblock(f, off + 8))))
			return -EINVAL;
		*next = (int)ALIGN_UP((uint32_t)off + 12 + len, 4u);
		return 0;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		*next = off + 4;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Walks the whole structure block once; 0 if it is well formed. */
static int check_struct(const struct fdt *f)
{
	int off = 0, next, depth = 0;
	bool seen_root = false;
	uint32_t tag;

	for (;; off = next) {
		if (tag_next(f, off, &tag, &next) < 0)
			return -EINVAL;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if ((depth == 0 && seen_root) || ++depth > FDT_MAX_DEPTH)
				return -EINVAL;
			seen_root = true;
			break;
		case FDT_END_NODE:
			if (depth-- == 0)
				return -EINVAL;
			break;
		case FDT_PROP:
			if (depth == 0)
				return -EINVAL;
			break;
		case FDT_END:
			return depth == 0 && seen_root ? 0 : -EINVAL;
		}
	}
}

/* ------------------------------------------------------------ header */

static int check_header(struct fdt *f, const uint8_t *b, size_t max_size)
{
	uint32_t total = be32(b + 4 * H_TOTALSIZE);
	uint32_t version = be32(b + 4 * H_VERSION);

	if (be32(b) != FDT_MAGIC || total < FDT_HEADER_SIZE || total > max_size ||
	    total > 0x7fffffffU)
		return -EINVAL;
	if (version < 16 || be32(b + 4 * H_LAST_COMP) > 17)
		return -EINVAL;
	f->blob = b;
	f->total_size = total;
	f->off_struct = be32(b + 4 * H_OFF_STRUCT);
	f->off_strings = be32(b + 4 * H_OFF_STRINGS);
	f->off_rsvmap = be32(b + 4 * H_OFF_RSVMAP);
	f->size_strings = be32(b + 4 * H_SIZE_STRINGS);
	if (f->off_struct > total || (f->off_struct & 3))
		return -EINVAL;
	f->size_struct = version >= 17 ? be32(b + 4 * H_SIZE_STRUCT) : total - f->off_struct;
	if ((uint64_t)f->off_struct + f->size_struct > total ||
	    (uint64_t)f->off_strings + f->size_strings > total ||
	    (uint64_t)f->off_rsvmap + 16 > total)
		return -EINVAL;
	return 0;
}

int fdt_init(struct fdt *fdt, const void *blob, size_t max_size)
{
	int r;

	if (!blob || max_size < FDT_HEADER_SIZE)
		return -EINVAL;
	r = check_header(fdt, blob, max_size);
	if (r == 0)
		r = check_struct(fdt);
	return r;
}

int fdt_rsvmap_entry(const struct fdt *fdt, int i, uint64_t *addr, uint64_t *size)
{
	uint64_t off = (uint64_t)fdt->off_rsvmap + 16 * (uint64_t)i;

	if (i < 0 || off + 16 > fdt->total_size)
		return -EINVAL;
	*addr = be64(fdt->blob + off);
	*size = be64(fdt->blob + off + 8);
	return *addr == 0 && *size == 0 ? -ENOENT : 0;
}

/* ------------------------------------------------------------ nodes */

int fdt_root(const struct fdt *fdt)
{
	int off = 0, next;
	uint32_t tag;

	for (;; off = next) {
		if (tag_next(fdt, off, &tag, &next) < 0)
			return -EINVAL;
		if (tag == FDT_BEGIN_NODE)
			return off;
		if (tag != FDT_NOP)
			return -EINVAL;
	}
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
	int off, next;
	uint32_t tag;

	if (tag_next(fdt, node, &tag, &off) < 0 || tag != FDT_BEGIN_NODE)
		return -EINVAL;
	for (;; off = next) {
		if (tag_next(fdt, off, &tag, &next) < 0)
			return -EINVAL;
		if (tag == FDT_BEGIN_NODE) {
			if (depth)
				++*depth;
			return off;
		}
		if (tag == FDT_END_NODE && depth)
			--*depth;
		if (tag == FDT_END)
			return -ENOENT;
	}
}

int fdt_first_child(const struct fdt *fdt, int node)
{
	int depth = 0;
	int off = fdt_next_node(fdt, node, &depth);

	if (off < 0)
		return off;
	return depth == 1 ? off : -ENOENT;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
	int depth = 0;

	for (;;) {
		node = fdt_next_node(fdt, node, &depth);
		if (node < 0)
			return node;
		if (depth == 0)
			return node;
		if (depth < 0)
			return -ENOENT;
	}
}

int fdt_parent(const struct fdt *fdt, int node)
{
	int stack[FDT_MAX_DEPTH + 1];
	int depth = 0, cur = fdt_root(fdt);

	if (cur < 0 || cur == node)
		return cur < 0 ? cur : -ENOENT;
	stack[0] = cur;
	for (;;) {
		cur = fdt_next_node(fdt, cur, &depth);
		if (cur < 0)
			return cur;
		if (depth <= 0 || depth > FDT_MAX_DEPTH)
			return depth <= 0 ? -ENOENT : -EINVAL;
		stack[depth] = cur;
		if (cur == node)
			return stack[depth - 1];
	}
}

const char *fdt_node_name(const struct fdt *fdt, int node)
{
	uint32_t tag;
	int next;

	if (tag_next(fdt, node, &tag, &next) < 0 || tag != FDT_BEGIN_NODE)
		return NULL;
	return (const char *)sblock(fdt, node + 4);
}

/* Path component comp[0..len) names node `name`; "memory" matches
 * "memory@80000000" unless the component has its own unit address. */
static bool name_matches(const char *name, const char *comp, size_t len)
{
	if (strncmp(name, comp, len) != 0)
		return false;
	return name[len] == '\0' || (name[len] == '@' && !memchr(comp, '@', len));
}

static int find_child(const struct fdt *fdt, int node, const char *comp, size_t len)
{
	int child;

	for (child = fdt_first_child(fdt, node); child >= 0; child = fdt_next_sibling(fdt, child)) {
		const char *name = fdt_node_name(fdt, child);
		if (name && name_matches(name, comp, len))
			return child;
	}
	return child;
}

int fdt_path_offset(const struct fdt *fdt, const char *path)
{
	int node = fdt_root(fdt);

	if (path[0] != '/')
		return -EINVAL;
	while (node >= 0) {
		while (*path == '/')
			path++;
		size_t len = strcspn(path, "/");
		if (len == 0)
			break;
		node = find_child(fdt, node, path, len);
		path += len;
	}
	return node;
}

int fdt_node_by_compatible(const struct fdt *fdt, int from, const char *compat)
{
	int node = from < 0 ? fdt_root(fdt) : fdt_next_node(fdt, from, NULL);

	for (; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		if (fdt_is_compatible(fdt, node, compat))
			return node;
	}
	return node;
}

int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle)
{
	int node = fdt_root(fdt);
	uint32_t v;

	for (; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		if (fdt_read_u32(fdt, node, "phandle", &v) == 0 && v == phandle)
			return node;
		if (fdt_read_u32(fdt, node, "linux,phandle", &v) == 0 && v == phandle)
			return node;
	}
	return node;
}

/* ------------------------------------------------------------ properties */

/* First FDT_PROP token at or after off (skipping NOPs), or -ENOENT. */
static int scan_prop(const struct fdt *fdt, int off)
{
	uint32_t tag;
	int next;

	for (;; off = next) {
		if (tag_next(fdt, off, &tag, &next) < 0)
			return -EINVAL;
		if (tag == FDT_PROP)
			return off;
		if (tag != FDT_NOP)
			return -ENOENT;
	}
}

int fdt_first_prop(const struct fdt *fdt, int node)
{
	uint32_t tag;
	int next;

	if (tag_next(fdt, node, &tag, &next) < 0 || tag != FDT_BEGIN_NODE)
		return -EINVAL;
	return scan_prop(fdt, next);
}

int fdt_next_prop(const struct fdt *fdt, int prop)
{
	uint32_t tag;
	int next;

	if (tag_next(fdt, prop, &tag, &next) < 0 || tag != FDT_PROP)
		return -EINVAL;
	return scan_prop(fdt, next);
}

int fdt_prop_at(const struct fdt *fdt, int prop, const char **name, const void **val, uint32_t *len)
{
	uint32_t tag;
	int next;

	if (tag_next(fdt, prop, &tag, &next) < 0 || tag != FDT_PROP)
		return -EINVAL;
	*len = be32(sblock(fdt, prop + 4));
	*name = string_at(fdt, be32(sblock(fdt, prop + 8)));
	*val = sblock(fdt, prop + 12);
	return 0;
}

const void *fdt_getprop(const struct fdt *fdt, int node, const char *name, uint32_t *len)
{
	const char *pname;
	const void *val;
	uint32_t plen;
	int prop;

	for (prop = fdt_first_prop(fdt, node); prop >= 0; prop = fdt_next_prop(fdt, prop)) {
		if (fdt_prop_at(fdt, prop, &pname, &val, &plen) == 0 && strcmp(pname, name) == 0) {
			if (len)
				*len = plen;
			return val;
		}
	}
	return NULL;
}

int fdt_read_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out)
{
	uint32_t len;
	const void *v = fdt_getprop(fdt, node, name, &len);

	if (!v)
		return -ENOENT;
	if (len != 4)
		return -EINVAL;
	*out = be32(v);
	return 0;
}

int fdt_read_u64(const struct fdt *fdt, int node, const char *name, uint64_t *out)
{
	uint32_t len;
	const void *v = fdt_getprop(fdt, node, name, &len);

	if (!v)
		return -ENOENT;
	if (len != 4 && len != 8)
		return -EINVAL;
	*out = read_cells(v, len / 4);
	return 0;
}

const char *fdt_read_string(const struct fdt *fdt, int node, const char *name)
{
	uint32_t len;
	const char *v = fdt_getprop(fdt, node, name, &len);

	if (!v || len == 0 || !memchr(v, '\0', len))
		return NULL;
	return v;
}

bool fdt_prop_has_string(const struct fdt *fdt, int node, const char *name, const char *str)
{
	uint32_t len, pos = 0;
	const char *v = fdt_getprop(fdt, node, name, &len);

	while (v && pos < len) {
		size_t slen = strnlen(v + pos, len - pos);
		if (slen == len - pos)
			return false; /* unterminated */
		if (strcmp(v + pos, str) == 0)
			return true;
		pos += (uint32_t)slen + 1;
	}
	return false;
}

bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
	return fdt_prop_has_string(fdt, node, "compatible", compat);
}

/* ------------------------------------------------------------ reg, irq */

uint32_t fdt_address_cells(const struct fdt *fdt, int node)
{
	uint32_t v;

	return fdt_read_u32(fdt, node, "#address-cells", &v) == 0 ? v : 2;
}

uint32_t fdt_size_cells(const struct fdt *fdt, int node)
{
	uint32_t v;

	return fdt_read_u32(fdt, node, "#size-cells", &v) == 0 ? v : 1;
}

int fdt_read_reg(const struct fdt *fdt, int node, int index, uint64_t *base, uint64_t *size)
{
	int parent = fdt_parent(fdt, node);
	uint32_t ac = 2, sc = 1, len, entry;
	const uint8_t *reg;

	if (parent >= 0) {
		ac = fdt_address_cells(fdt, parent);
		sc = fdt_size_cells(fdt, parent);
	} else if (parent != -ENOENT) {
		return parent;
	}
	if (ac < 1 || ac > 2 || sc > 2 || index < 0)
		return -EINVAL;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return -ENOENT;
	entry = 4 * (ac + sc);
	if (len % entry)
		return -EINVAL;
	if ((uint32_t)index >= len / entry)
		return -ENOENT;
	reg += entry * (uint32_t)index;
	*base = read_cells(reg, ac);
	*size = read_cells(reg + 4 * ac, sc);
	return 0;
}

/* #interrupt-cells of node's interrupt parent (1 when there is none). */
static int interrupt_cells(const struct fdt *fdt, int node)
{
	uint32_t phandle, cells;
	int depth;

	for (depth = 0; node >= 0 && depth <= FDT_MAX_DEPTH; depth++) {
		if (fdt_read_u32(fdt, node, "interrupt-parent", &phandle) == 0) {
			int ip = fdt_node_by_phandle(fdt, phandle);
			if (ip < 0)
				return -EINVAL;
			if (fdt_read_u32(fdt, ip, "#interrupt-cells", &cells) < 0)
				return 1;
			return cells >= 1 && cells <= 4 ? (int)cells : -EINVAL;
		}
		node = fdt_parent(fdt, node);
	}
	return 1;
}

int fdt_read_irq(const struct fdt *fdt, int node, int index, uint32_t *irq)
{
	int cells = interrupt_cells(fdt, node);
	const uint8_t *v;
	uint32_t len, entry;

	if (cells < 0 || index < 0)
		return -EINVAL;
	v = fdt_getprop(fdt, node, "interrupts", &len);
	if (!v)
		return -ENOENT;
	entry = 4 * (uint32_t)cells;
	if (len % entry)
		return -EINVAL;
	if ((uint32_t)index >= len / entry)
		return -ENOENT;
	*irq = be32(v + entry * (uint32_t)index);
	return 0;
}

/* ------------------------------------------------------------ summary */

static bool node_enabled(const struct fdt *fdt, int node)
{
	const char *status = fdt_read_string(fdt, node, "status");

	return !status || strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0;
}

static void add_range(struct fdt_range *arr, int *n, int max, uint64_t base, uint64_t size)
{
	if (size == 0 || *n >= max)
		return;
	arr[*n].base = base;
	arr[*n].size = size;
	++*n;
}

static void add_regs(const struct fdt *fdt, int node, struct fdt_range *arr, int *n, int max)
{
	uint64_t base, size;

	for (int i = 0; fdt_read_reg(fdt, node, i, &base, &size) == 0; i++)
		add_range(arr, n, max, base, size);
}

static void parse_memory(const struct fdt *fdt, struct fdt_info *info)
{
	int node;

	for (node = fdt_first_child(fdt, fdt_root(fdt)); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		const char *type = fdt_read_string(fdt, node, "device_type");
		if (type && strcmp(type, "memory") == 0 && node_enabled(fdt, node))
			add_regs(fdt, node, info->mem, &info->nmem, FDT_MAX_MEM);
	}
}

static void parse_reserved(const struct fdt *fdt, struct fdt_info *info)
{
	int rm = fdt_path_offset(fdt, "/reserved-memory");
	uint64_t addr, size;
	int node;

	for (node = rm >= 0 ? fdt_first_child(fdt, rm) : rm; node >= 0;
	     node = fdt_next_sibling(fdt, node))
		add_regs(fdt, node, info->reserved, &info->nreserved, FDT_MAX_RESERVED);
	for (int i = 0; fdt_rsvmap_entry(fdt, i, &addr, &size) == 0; i++)
		add_range(info->reserved, &info->nreserved, FDT_MAX_RESERVED, addr, size);
}

static void add_hart(const struct fdt *fdt, int node, struct fdt_info *info)
{
	struct fdt_hart *h;
	const char *isa;
	uint64_t reg, size;

	if (!node_enabled(fdt, node)) {
		info->ndisabled_harts++;
		return;
	}
	if (info->nharts >= FDT_MAX_HARTS || fdt_read_reg(fdt, node, 0, &reg, &size) < 0)
		return;
	h = &info->harts[info->nharts++];
	h->hartid = (uint32_t)reg;
	isa = fdt_read_string(fdt, node, "riscv,isa");
	strlcpy(h->isa, isa ? isa : "", sizeof(h->isa));
	if (fdt_read_u32(fdt, node, "riscv,cboz-block-size", &h->cboz_block_size) < 0)
		h->cboz_block_size = 0;
	if (!info->timebase_freq)
		fdt_read_u64(fdt, node, "timebase-frequency", &info->timebase_freq);
}

static void parse_cpus(const struct fdt *fdt, struct fdt_info *info)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node;

	if (cpus < 0)
		return;
	fdt_read_u64(fdt, cpus, "timebase-frequency", &info->timebase_freq);
	for (node = fdt_first_child(fdt, cpus); node >= 0; node = fdt_next_sibling(fdt, node)) {
		const char *type = fdt_read_string(fdt, node, "device_type");
		if (type && strcmp(type, "cpu") == 0)
			add_hart(fdt, node, info);
	}
}

static void fill_device(const struct fdt *fdt, int node, struct fdt_device *dev)
{
	uint64_t base, size;
	uint32_t irq;

	if (fdt_read_reg(fdt, node, 0, &base, &size) < 0 || base == 0)
		return;
	dev->base = base;
	dev->size = size;
	dev->irq = fdt_read_irq(fdt, node, 0, &irq) == 0 ? irq : 0;
}

/* First enabled node compatible with compat, or -ENOENT. */
static int find_enabled(const struct fdt *fdt, const char *compat)
{
	int node = -1;

	do {
		node = fdt_node_by_compatible(fdt, node, compat);
	} while (node >= 0 && !node_enabled(fdt, node));
	return node;
}

static bool is_uart(const struct fdt *fdt, int node)
{
	return fdt_is_compatible(fdt, node, "ns16550a") || fdt_is_compatible(fdt, node, "ns16550");
}

/* The node /chosen stdout-path names (options after ':' dropped, aliases
 * resolved), or a negative errno. */
static int stdout_node(const struct fdt *fdt)
{
	char path[FDT_PATH_MAX];
	const char *p = fdt_read_string(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path");

	if (!p)
		return -ENOENT;
	strlcpy(path, p, sizeof(path));
	path[strcspn(path, ":")] = '\0';
	if (path[0] != '/') {
		p = fdt_read_string(fdt, fdt_path_offset(fdt, "/aliases"), path);
		if (!p)
			return -ENOENT;
		strlcpy(path, p, sizeof(path));
	}
	return fdt_path_offset(fdt, path);
}

static void parse_uart(const struct fdt *fdt, struct fdt_info *info)
{
	int node = stdout_node(fdt);

	if (node < 0 || !is_uart(fdt, node))
		node = find_enabled(fdt, "ns16550a");
	if (node < 0)
		node = find_enabled(fdt, "ns16550");
	if (node >= 0)
		fill_device(fdt, node, &info->uart);
}

static void add_virtio(const struct fdt *fdt, int node, struct fdt_info *info)
{
	struct fdt_device dev = {0, 0, 0};
	int i;

	fill_device(fdt, node, &dev);
	if (!dev.base || info->nvirtio >= FDT_MAX_VIRTIO)
		return;
	for (i = info->nvirtio; i > 0 && info->virtio[i - 1].base > dev.base; i--)
		info->virtio[i] = info->virtio[i - 1];
	info->virtio[i] = dev;
	info->nvirtio++;
}

static void parse_devices(const struct fdt *fdt, struct fdt_info *info)
{
	int node;

	parse_uart(fdt, info);
	node = find_enabled(fdt, "sifive,plic-1.0.0");
	if (node < 0)
		node = find_enabled(fdt, "riscv,plic0");
	if (node >= 0) {
		fill_device(fdt, node, &info->plic);
		fdt_read_u32(fdt, node, "riscv,ndev", &info->plic_ndev);
	}
	if ((node = find_enabled(fdt, "sifive,test0")) >= 0)
		fill_device(fdt, node, &info->test);
	if ((node = find_enabled(fdt, "google,goldfish-rtc")) >= 0)
		fill_device(fdt, node, &info->rtc);
	for (node = -1; (node = fdt_node_by_compatible(fdt, node, "virtio,mmio")) >= 0;) {
		if (node_enabled(fdt, node))
			add_virtio(fdt, node, info);
	}
}

static void parse_chosen(const struct fdt *fdt, struct fdt_info *info)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *args;

	if (chosen < 0)
		return;
	args = fdt_read_string(fdt, chosen, "bootargs");
	strlcpy(info->bootargs, args ? args : "", sizeof(info->bootargs));
	if (fdt_read_u64(fdt, chosen, "linux,initrd-start", &info->initrd_start) < 0 ||
	    fdt_read_u64(fdt, chosen, "linux,initrd-end", &info->initrd_end) < 0 ||
	    info->initrd_end < info->initrd_start) {
		info->initrd_start = 0;
		info->initrd_end = 0;
	}
}

int fdt_parse_info(const void *blob, size_t max_size, struct fdt_info *info)
{
	struct fdt fdt;
	int r;

	memset(info, 0, sizeof(*info));
	r = fdt_init(&fdt, blob, max_size);
	if (r < 0)
		return r;
	info->total_size = fdt.total_size;
	parse_memory(&fdt, info);
	parse_reserved(&fdt, info);
	parse_cpus(&fdt, info);
	parse_devices(&fdt, info);
	parse_chosen(&fdt, info);
	return 0;
}

static void print_device(const char *name, const struct fdt_device *d)
{
	if (d->base)
		printk("fdt: %-8s %#lx size %#lx irq %u\n", name, (unsigned long)d->base,
		       (unsigned long)d->size, d->irq);
}

void fdt_info_print(const struct fdt_info *info)
{
	int i;

	for (i = 0; i < info->nmem; i++)
		printk("fdt: memory   %#lx size %#lx\n", (unsigned long)info->mem[i].base,
		       (unsigned long)info->mem[i].size);
	for (i = 0; i < info->nreserved; i++)
		printk("fdt: reserved %#lx size %#lx\n", (unsigned long)info->reserved[i].base,
		       (unsigned long)info->reserved[i].size);
	for (i = 0; i < info->nharts; i++)
		printk("fdt: hart %u isa %s\n", info->harts[i].hartid, info->harts[i].isa);
	printk("fdt: timebase %lu Hz\n", (unsigned long)info->timebase_freq);
	print_device("uart", &info->uart);
	print_device("plic", &info->plic);
	print_device("test", &info->test);
	print_device("rtc", &info->rtc);
	for (i = 0; i < info->nvirtio; i++)
		print_device("virtio", &info->virtio[i]);
	if (info->initrd_end)
		printk("fdt: initrd   %#lx..%#lx\n", (unsigned long)info->initrd_start,
		       (unsigned long)info->initrd_end);
	printk("fdt: bootargs \"%s\"\n", info->bootargs);
}
