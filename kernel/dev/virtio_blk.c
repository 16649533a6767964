/*
 * virtio-blk: the block driver behind /dev/vda, /dev/vdb, ... (see
 * blkdev.h for the interface it implements).
 *
 * One request is three parts: a header (type IN/OUT/FLUSH and the first
 * sector) the device reads, the data, and a status byte the device
 * writes.  Header and status live in a struct vblk_req on the caller's
 * kernel stack.  Several tasks may have requests in flight; a task whose
 * request does not fit in the free descriptors sleeps until completions
 * free some.  The interrupt handler collects completed requests and wakes
 * their tasks; it never sleeps.
 *
 * Data buffers are kernel addresses in the direct map, which maps
 * physical memory linearly: a buffer contiguous in virtual memory is
 * contiguous in physical memory, so it needs only as many descriptors as
 * the device's size_max asks for.  A transfer is cut into requests of at
 * most 64 KiB, up to VBLK_PIPELINE of them in flight at once.
 */
#include "arch/riscv64/memlayout.h"
#include "arch/riscv64/plic.h"
#include "core/kernel.h"
#include "dev/blkdev.h"
#include "dev/virtio_mmio.h"
#include "mm/kmalloc.h"
#include "proc/wait.h"

/* Feature bits */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX  2
#define VIRTIO_BLK_F_RO       5
#define VIRTIO_BLK_F_FLUSH    9

/* Configuration space offsets */
#define VIRTIO_BLK_CFG_CAPACITY 0 /* le64, 512-byte sectors */
#define VIRTIO_BLK_CFG_SIZE_MAX 8 /* le32, bytes per segment */
#define VIRTIO_BLK_CFG_SEG_MAX  12

/* Request types and status values */
#define VIRTIO_BLK_T_IN    0
#define VIRTIO_BLK_T_OUT   1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK    0

#define VBLK_QUEUE_SIZE  128
#define VBLK_REQ_BYTES   (64 * 1024)
#define VBLK_PIPELINE    8
#define VBLK_MAX_DATASEG 16 /* data descriptors per request */

struct vblk {
	struct blkdev blk;
	struct virtio_dev *dev;
	struct virtq *vq;
	struct waitqueue space_wq; /* tasks waiting for free descriptors */
	uint32_t seg_bytes;        /* bytes per data descriptor */
	uint32_t req_sectors;      /* sectors per request */
};

struct vblk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
} __attribute__((aligned(16))); /* never crosses a page */

struct vblk_req {
	struct vblk_hdr hdr;
	uint8_t status; /* written by the device */
	bool done;      /* set by the interrupt handler, under vq->lock */
	struct waitqueue wq;
};

static struct vblk *to_vblk(struct blkdev *d)
{
	return container_of(d, struct vblk, blk);
}

/* ------------------------------------------------------------ interrupt */

static void vblk_intr(void *arg)
{
	struct vblk *vb = arg;
	struct virtq *vq = vb->vq;
	struct vblk_req *r;
	bool freed = false;

	spin_lock(&vq->lock);
	virtio_ack_intr(vb->dev);
	while ((r = virtq_pop(vq, NULL)) != NULL) {
		r->done = true;
		wq_wake_all(&r->wq);
		freed = true;
	}
	if (freed)
		wq_wake_all(&vb->space_wq);
	spin_unlock(&vq->lock);
}

/* ------------------------------------------------------------ requests */

/* Fills segs for a request: header, data cut into seg_bytes pieces,
 * status.  Returns the number of segments. */
static unsigned build_chain(struct vblk *vb, struct vblk_req *r, char *buf, uint32_t bytes,
                            bool device_writes, struct virtq_seg *segs)
{
	unsigned n = 0;

	segs[n++] = (struct virtq_seg){VA_TO_PA(&r->hdr), sizeof(r->hdr), false};
	while (bytes > 0) {
		uint32_t len = MIN(bytes, vb->seg_bytes);
		segs[n++] = (struct virtq_seg){VA_TO_PA(buf), len, device_writes};
		buf += len;
		bytes -= len;
	}
	segs[n++] = (struct virtq_seg){VA_TO_PA(&r->status), 1, true};
	return n;
}

/* Queues request r (type, sector, n sectors of buf); sleeps while the
 * ring is too full for it. */
static void submit(struct vblk *vb, struct vblk_req *r, uint32_t type, uint64_t sector, char *buf,
                   uint32_t n)
{
	struct virtq_seg segs[VBLK_MAX_DATASEG + 2];
	struct virtq *vq = vb->vq;
	unsigned nseg;

	r->hdr = (struct vblk_hdr){.type = type, .sector = sector};
	r->status = 0xff;
	r->done = false;
	wq_init(&r->wq, "vblk-req");
	nseg = build_chain(vb, r, buf, n * SECTOR_SIZE, type == VIRTIO_BLK_T_IN, segs);
	spin_lock(&vq->lock);
	while (virtq_nfree(vq) < nseg)
		wq_sleep_uninterruptible(&vb->space_wq, &vq->lock);
	virtq_add(vq, segs, nseg, r);
	spin_unlock(&vq->lock);
	virtq_kick(vq);
}

/* Waits for r to complete; 0 or -EIO. */
static int wait_done(struct vblk *vb, struct vblk_req *r)
{
	struct virtq *vq = vb->vq;

	spin_lock(&vq->lock);
	while (!r->done)
		wq_sleep_uninterruptible(&r->wq, &vq->lock);
	spin_unlock(&vq->lock);
	return r->status == VIRTIO_BLK_S_OK ? 0 : -EIO;
}

/* Moves n sectors at sector to or from buf, in requests of at most
 * req_sectors, VBLK_PIPELINE at a time. */
static int transfer(struct vblk *vb, uint32_t type, uint64_t sector, char *buf, uint32_t n)
{
	struct vblk_req reqs[VBLK_PIPELINE];
	int err = 0;

	KASSERT((uintptr_t)buf >= DIRECT_MAP_BASE);
	if (sector > vb->blk.nsectors || n > vb->blk.nsectors - sector)
		return -EIO;
	while (n > 0 && err == 0) {
		unsigned k = 0;
		for (; k < VBLK_PIPELINE && n > 0; k++) {
			uint32_t cnt = MIN(n, vb->req_sectors);
			submit(vb, &reqs[k], type, sector, buf, cnt);
			sector += cnt;
			buf += (size_t)cnt * SECTOR_SIZE;
			n -= cnt;
		}
		for (unsigned i = 0; i < k; i++)
			if (wait_done(vb, &reqs[i]) < 0)
				err = -EIO;
	}
	return err;
}

static int vblk_read(struct blkdev *d, uint64_t sector, void *buf, uint32_t n)
{
	return transfer(to_vblk(d), VIRTIO_BLK_T_IN, sector, buf, n);
}

static int vblk_write(struct blkdev *d, uint64_t sector, const void *buf, uint32_t n)
{
	if (d->readonly)
		return -EROFS;
	return transfer(to_vblk(d), VIRTIO_BLK_T_OUT, sector, (char *)buf, n);
}

static int vblk_flush(struct blkdev *d)
{
	struct vblk *vb = to_vblk(d);
	struct vblk_req r;

	if (!virtio_has(vb->dev, VIRTIO_BLK_F_FLUSH))
		return 0;
	submit(vb, &r, VIRTIO_BLK_T_FLUSH, 0, NULL, 0);
	return wait_done(vb, &r);
}

static const struct blkdev_ops vblk_ops = {
    .read = vblk_read,
    .write = vblk_write,
    .flush = vblk_flush,
};

/* ------------------------------------------------------------ set-up */

/* Request geometry from size_max and seg_max (when offered). */
static void set_limits(struct vblk *vb)
{
	struct virtio_dev *d = vb->dev;
	uint32_t seg_bytes = VBLK_REQ_BYTES, segs = VBLK_MAX_DATASEG;

	if (virtio_has(d, VIRTIO_BLK_F_SIZE_MAX)) {
		uint32_t size_max = virtio_config_read32(d, VIRTIO_BLK_CFG_SIZE_MAX);
		if (size_max >= SECTOR_SIZE)
			seg_bytes = MIN(seg_bytes, ALIGN_DOWN(size_max, (uint32_t)SECTOR_SIZE));
	}
	if (virtio_has(d, VIRTIO_BLK_F_SEG_MAX)) {
		uint32_t seg_max = virtio_config_read32(d, VIRTIO_BLK_CFG_SEG_MAX);
		if (seg_max >= 1)
			segs = MIN(segs, seg_max);
	}
	segs = MIN(segs, vb->vq->num - 2);
	vb->seg_bytes = seg_bytes;
	vb->req_sectors = MIN((uint32_t)VBLK_REQ_BYTES, seg_bytes * segs) / SECTOR_SIZE;
}

int virtio_blk_probe(struct virtio_dev *d, const char *name)
{
	uint64_t wanted = 1ULL << VIRTIO_BLK_F_RO | 1ULL << VIRTIO_BLK_F_FLUSH |
	                  1ULL << VIRTIO_BLK_F_SIZE_MAX | 1ULL << VIRTIO_BLK_F_SEG_MAX;
	struct vblk *vb;
	int err;

	if (d->irq == 0) {
		printk("virtio-blk: slot %d has no interrupt\n", d->slot);
		return -ENODEV;
	}
	vb = kzalloc(sizeof(*vb));
	if (!vb)
		return -ENOMEM;
	vb->dev = d;
	err = virtio_begin(d, wanted);
	if (err < 0)
		goto fail;
	vb->vq = virtq_create(d, 0, VBLK_QUEUE_SIZE);
	if (!vb->vq || vb->vq->num < 3) {
		err = -EIO;
		goto fail_dev;
	}
	wq_init(&vb->space_wq, "vblk-space");
	set_limits(vb);
	strlcpy(vb->blk.name, name, sizeof(vb->blk.name));
	vb->blk.nsectors = virtio_config_read64(d, VIRTIO_BLK_CFG_CAPACITY);
	vb->blk.readonly = virtio_has(d, VIRTIO_BLK_F_RO);
	vb->blk.ops = &vblk_ops;
	vb->blk.priv = vb;
	plic_register(d->irq, vblk_intr, vb);
	virtio_driver_ok(d);
	err = blkdev_register(&vb->blk);
	if (err < 0) /* the device stays live: report, keep it */
		printk("virtio-blk: %s: not registered (%d)\n", name, err);
	return 0;
fail_dev:
	virtio_fail(d);
fail:
	kfree(vb);
	printk("virtio-blk: slot %d: set-up failed (%d)\n", d->slot, err);
	return err;
}
