/*
 * The virtio-mmio transport and split virtqueues (see virtio_mmio.h).
 *
 * Both register interfaces are supported: the legacy one (Version 1:
 * the queue is one physically contiguous area given by QueuePFN in units
 * of GuestPageSize, used ring aligned to QueueAlign) and the modern one
 * (Version 2: the three ring addresses are given separately, QueueReady,
 * 64-bit features with VIRTIO_F_VERSION_1, FEATURES_OK).  The rings are
 * laid out the legacy way in both cases, so one layout serves both.
 */
#include "dev/virtio_mmio.h"

#include "arch/riscv64/memlayout.h"
#include "core/boot.h"
#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "mm/page.h"

/* Register offsets */
#define VIRTIO_MMIO_MAGIC          0x000
#define VIRTIO_MMIO_VERSION        0x004
#define VIRTIO_MMIO_DEVICE_ID      0x008
#define VIRTIO_MMIO_DEV_FEATURES   0x010
#define VIRTIO_MMIO_DEV_FEAT_SEL   0x014
#define VIRTIO_MMIO_DRV_FEATURES   0x020
#define VIRTIO_MMIO_DRV_FEAT_SEL   0x024
#define VIRTIO_MMIO_GUEST_PAGESZ   0x028 /* legacy */
#define VIRTIO_MMIO_QUEUE_SEL      0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX  0x034
#define VIRTIO_MMIO_QUEUE_NUM      0x038
#define VIRTIO_MMIO_QUEUE_ALIGN    0x03c /* legacy */
#define VIRTIO_MMIO_QUEUE_PFN      0x040 /* legacy */
#define VIRTIO_MMIO_QUEUE_READY    0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY   0x050
#define VIRTIO_MMIO_INT_STATUS     0x060
#define VIRTIO_MMIO_INT_ACK        0x064
#define VIRTIO_MMIO_STATUS         0x070
#define VIRTIO_MMIO_QUEUE_DESC_LO  0x080
#define VIRTIO_MMIO_QUEUE_DESC_HI  0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LO 0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HI 0x094
#define VIRTIO_MMIO_QUEUE_USED_LO  0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HI  0x0a4
#define VIRTIO_MMIO_CONFIG_GEN     0x0fc
#define VIRTIO_MMIO_CONFIG         0x100

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976 /* "virt" */

/* Device status bits */
#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER      2
#define STATUS_DRIVER_OK   4
#define STATUS_FEATURES_OK 8
#define STATUS_FAILED      128

/* Descriptor flags */
#define VIRTQ_DESC_F_NEXT  1
#define VIRTQ_DESC_F_WRITE 2

/* used->flags: the device does not need notifications */
#define VIRTQ_USED_F_NO_NOTIFY 1

#define LEGACY_ALIGN 4096 /* QueueAlign, and GuestPageSize */

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[]; /* num entries, then used_event */
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[]; /* num entries, then avail_event */
};

/* ------------------------------------------------------------ registers */

static uint32_t rd(struct virtio_dev *d, unsigned off)
{
	return *(volatile uint32_t *)(d->regs + off);
}

static void wr(struct virtio_dev *d, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(d->regs + off) = v;
}

/* Orders every earlier memory access before later ones, device I/O
 * included: ring writes before the notify register write. */
static inline void io_fence(void)
{
	__asm__ volatile("fence iorw, iorw" ::: "memory");
}

static void set_status(struct virtio_dev *d, uint32_t bits)
{
	wr(d, VIRTIO_MMIO_STATUS, rd(d, VIRTIO_MMIO_STATUS) | bits);
}

void virtio_fail(struct virtio_dev *d)
{
	set_status(d, STATUS_FAILED);
}

void virtio_driver_ok(struct virtio_dev *d)
{
	io_fence();
	set_status(d, STATUS_DRIVER_OK);
}

bool virtio_has(const struct virtio_dev *d, unsigned bit)
{
	return (d->features >> bit) & 1;
}

uint32_t virtio_ack_intr(struct virtio_dev *d)
{
	uint32_t st = rd(d, VIRTIO_MMIO_INT_STATUS);
	if (st)
		wr(d, VIRTIO_MMIO_INT_ACK, st);
	return st;
}

uint32_t virtio_config_read32(struct virtio_dev *d, unsigned off)
{
	return rd(d, VIRTIO_MMIO_CONFIG + off);
}

/* Two 32-bit halves; a modern device's ConfigGeneration tells whether the
 * value changed in between. */
uint64_t virtio_config_read64(struct virtio_dev *d, unsigned off)
{
	uint32_t gen, lo, hi;
	do {
		gen = d->version >= 2 ? rd(d, VIRTIO_MMIO_CONFIG_GEN) : 0;
		lo = rd(d, VIRTIO_MMIO_CONFIG + off);
		hi = rd(d, VIRTIO_MMIO_CONFIG + off + 4);
	} while (d->version >= 2 && gen != rd(d, VIRTIO_MMIO_CONFIG_GEN));
	return (uint64_t)hi << 32 | lo;
}

/* ------------------------------------------------------------ handshake */

static uint64_t device_features(struct virtio_dev *d)
{
	uint64_t f;
	wr(d, VIRTIO_MMIO_DEV_FEAT_SEL, 0);
	f = rd(d, VIRTIO_MMIO_DEV_FEATURES);
	if (d->version >= 2) {
		wr(d, VIRTIO_MMIO_DEV_FEAT_SEL, 1);
		f |= (uint64_t)rd(d, VIRTIO_MMIO_DEV_FEATURES) << 32;
	}
	return f;
}

static void driver_features(struct virtio_dev *d, uint64_t f)
{
	wr(d, VIRTIO_MMIO_DRV_FEAT_SEL, 0);
	wr(d, VIRTIO_MMIO_DRV_FEATURES, (uint32_t)f);
	if (d->version >= 2) {
		wr(d, VIRTIO_MMIO_DRV_FEAT_SEL, 1);
		wr(d, VIRTIO_MMIO_DRV_FEATURES, (uint32_t)(f >> 32));
	}
}

int virtio_begin(struct virtio_dev *d, uint64_t wanted)
{
	uint64_t offered;

	wr(d, VIRTIO_MMIO_STATUS, 0); /* reset */
	set_status(d, STATUS_ACKNOWLEDGE);
	set_status(d, STATUS_DRIVER);
	offered = device_features(d);
	if (d->version >= 2) {
		if (!((offered >> VIRTIO_F_VERSION_1) & 1))
			goto fail;
		wanted |= 1ULL << VIRTIO_F_VERSION_1;
	} else {
		wanted &= 0xffffffffULL;
		wr(d, VIRTIO_MMIO_GUEST_PAGESZ, PAGE_SIZE);
	}
	d->features = offered & wanted;
	driver_features(d, d->features);
	if (d->version >= 2) {
		set_status(d, STATUS_FEATURES_OK);
		if (!(rd(d, VIRTIO_MMIO_STATUS) & STATUS_FEATURES_OK))
			goto fail;
	}
	return 0;
fail:
	virtio_fail(d);
	return -EIO;
}

/* ------------------------------------------------------------ virtqueues */

static size_t used_offset(unsigned num)
{
	size_t avail_end = 16 * num + 2 * (3 + num);
	return ALIGN_UP(avail_end, (size_t)LEGACY_ALIGN);
}

static size_t ring_bytes(unsigned num)
{
	return used_offset(num) + 2 * 3 + 8 * num;
}

static unsigned order_for(size_t bytes)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/* Queue size: max_size capped by the device, rounded down to a power of
 * two; 0 if the queue is absent. */
static unsigned pick_size(struct virtio_dev *d, unsigned max_size)
{
	unsigned dev_max = rd(d, VIRTIO_MMIO_QUEUE_NUM_MAX);
	unsigned num = MIN(dev_max, max_size);
	while (num & (num - 1))
		num &= num - 1;
	return num;
}

static void free_all_descs(struct virtq *q)
{
	for (unsigned i = 0; i < q->num; i++)
		q->desc[i].next = (uint16_t)(i + 1);
	q->free_head = 0;
	q->nfree = q->num;
}

static void hand_to_device(struct virtq *q)
{
	struct virtio_dev *d = q->dev;
	uint64_t desc = VA_TO_PA(q->desc), avail = VA_TO_PA(q->avail), used = VA_TO_PA(q->used);

	wr(d, VIRTIO_MMIO_QUEUE_NUM, q->num);
	if (d->version < 2) {
		wr(d, VIRTIO_MMIO_QUEUE_ALIGN, LEGACY_ALIGN);
		wr(d, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)(desc / PAGE_SIZE));
		return;
	}
	wr(d, VIRTIO_MMIO_QUEUE_DESC_LO, (uint32_t)desc);
	wr(d, VIRTIO_MMIO_QUEUE_DESC_HI, (uint32_t)(desc >> 32));
	wr(d, VIRTIO_MMIO_QUEUE_AVAIL_LO, (uint32_t)avail);
	wr(d, VIRTIO_MMIO_QUEUE_AVAIL_HI, (uint32_t)(avail >> 32));
	wr(d, VIRTIO_MMIO_QUEUE_USED_LO, (uint32_t)used);
	wr(d, VIRTIO_MMIO_QUEUE_USED_HI, (uint32_t)(used >> 32));
	io_fence();
	wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
}

static bool queue_in_use(struct virtio_dev *d)
{
	if (d->version >= 2)
		return rd(d, VIRTIO_MMIO_QUEUE_READY) != 0;
	return rd(d, VIRTIO_MMIO_QUEUE_PFN) != 0;
}

struct virtq *virtq_create(struct virtio_dev *d, unsigned index, unsigned max_size)
{
	struct virtq *q;
	unsigned num;

	wr(d, VIRTIO_MMIO_QUEUE_SEL, index);
	if (queue_in_use(d))
		return NULL;
	num = pick_size(d, MIN(max_size, 32768u));
	if (num == 0)
		return NULL;
	q = kzalloc(sizeof(*q));
	if (!q)
		return NULL;
	q->cookie = kzalloc(num * sizeof(void *));
	q->mem_order = order_for(ring_bytes(num));
	q->mem = page_alloc_zeroed(q->mem_order);
	if (!q->cookie || !q->mem)
		goto nomem;
	spin_init(&q->lock, "virtq");
	q->dev = d;
	q->index = index;
	q->num = num;
	q->desc = q->mem;
	q->avail = (struct virtq_avail *)((char *)q->mem + 16 * num);
	q->used = (struct virtq_used *)((char *)q->mem + used_offset(num));
	free_all_descs(q);
	hand_to_device(q);
	return q;
nomem:
	if (q->mem)
		page_free(q->mem, q->mem_order);
	kfree(q->cookie);
	kfree(q);
	return NULL;
}

unsigned virtq_nfree(const struct virtq *q)
{
	return q->nfree;
}

int virtq_add(struct virtq *q, const struct virtq_seg *segs, unsigned n, void *cookie)
{
	uint16_t head = q->free_head, i = head;

	if (n == 0 || n > q->nfree)
		return -ENOSPC;
	for (unsigned k = 0; k < n; k++) {
		struct virtq_desc *dsc = &q->desc[i];
		dsc->addr = segs[k].pa;
		dsc->len = segs[k].len;
		dsc->flags = segs[k].device_writes ? VIRTQ_DESC_F_WRITE : 0;
		if (k + 1 < n)
			dsc->flags |= VIRTQ_DESC_F_NEXT;
		else
			q->free_head = dsc->next;
		i = dsc->next;
	}
	q->nfree -= n;
	q->cookie[head] = cookie;
	uint16_t idx = q->avail->idx;
	q->avail->ring[idx & (q->num - 1)] = head;
	/* The descriptors and the ring entry before the index moves. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&q->avail->idx, (uint16_t)(idx + 1), __ATOMIC_RELAXED);
	return 0;
}

void virtq_kick(struct virtq *q)
{
	io_fence(); /* avail->idx visible before the device looks */
	if (__atomic_load_n(&q->used->flags, __ATOMIC_RELAXED) & VIRTQ_USED_F_NO_NOTIFY)
		return;
	wr(q->dev, VIRTIO_MMIO_QUEUE_NOTIFY, q->index);
}

/* Gives the chain starting at head back to the free list. */
static void free_chain(struct virtq *q, uint16_t head)
{
	uint16_t i = head;
	unsigned n = 1;

	while (q->desc[i].flags & VIRTQ_DESC_F_NEXT) {
		i = q->desc[i].next;
		n++;
	}
	q->desc[i].next = q->free_head;
	q->free_head = head;
	q->nfree += n;
}

void *virtq_pop(struct virtq *q, uint32_t *len)
{
	if (q->last_used == __atomic_load_n(&q->used->idx, __ATOMIC_RELAXED))
		return NULL;
	/* Read the entry only after seeing the index that covers it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	struct virtq_used_elem *e = &q->used->ring[q->last_used & (q->num - 1)];
	uint32_t id = e->id;
	if (len)
		*len = e->len;
	q->last_used++;
	if (id >= q->num)
		panic("virtq: device returned descriptor %u of %u", id, q->num);
	void *cookie = q->cookie[id];
	q->cookie[id] = NULL;
	free_chain(q, (uint16_t)id);
	return cookie;
}

/* ------------------------------------------------------------ probing */

static bool probe_slot(struct virtio_dev *d, int slot)
{
	const struct fdt_device *fd = &boot.fdt.virtio[slot];

	d->regs = PA_TO_VA(fd->base);
	d->slot = slot;
	d->irq = fd->irq;
	if (rd(d, VIRTIO_MMIO_MAGIC) != VIRTIO_MMIO_MAGIC_VALUE)
		return false;
	d->version = rd(d, VIRTIO_MMIO_VERSION);
	d->device_id = rd(d, VIRTIO_MMIO_DEVICE_ID);
	if (d->version != 1 && d->version != 2) {
		printk("virtio: slot %d: unknown version %u\n", slot, d->version);
		return false;
	}
	return d->device_id != 0;
}

void virtio_init(void)
{
	int nblk = 0;

	for (int i = 0; i < boot.fdt.nvirtio; i++) {
		struct virtio_dev probe;
		if (!probe_slot(&probe, i) || probe.device_id != VIRTIO_ID_BLOCK)
			continue;
		struct virtio_dev *d = kzalloc(sizeof(*d));
		if (!d)
			return;
		*d = probe;
		char name[4] = {'v', 'd', (char)('a' + nblk), 0};
		printk("virtio: slot %d at %#lx irq %u: block device %s, %s interface\n", i,
		       boot.fdt.virtio[i].base, d->irq, name,
		       d->version == 1 ? "legacy" : "modern");
		if (nblk >= 26 || virtio_blk_probe(d, name) < 0) {
			kfree(d);
			continue;
		}
		nblk++;
	}
}
