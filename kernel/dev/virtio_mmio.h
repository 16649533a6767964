/*
 * virtio over MMIO (virtio 1.x specification, "Virtio Over MMIO", with
 * the legacy interface of version 1): probing the slots the device tree
 * lists, the status handshake and feature negotiation, and split
 * virtqueues (descriptor table, available ring, used ring).
 *
 * A device driver (virtio_blk.c) calls virtio_begin, sets up its queues
 * with virtq_create, then virtio_driver_ok.  It moves requests with
 * virtq_add + virtq_kick and collects them from its interrupt handler
 * with virtio_ack_intr + virtq_pop.  Addresses given to the device are
 * physical.
 */
#ifndef DEV_VIRTIO_MMIO_H
#define DEV_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "core/spinlock.h"

/* Device ids (DeviceID register) */
#define VIRTIO_ID_BLOCK 2

/* Transport feature bits */
#define VIRTIO_F_VERSION_1 32

/* InterruptStatus bits */
#define VIRTIO_INT_USED   0x1
#define VIRTIO_INT_CONFIG 0x2

struct virtio_dev {
	volatile uint8_t *regs;
	int slot;           /* index in boot.fdt.virtio */
	uint32_t version;   /* 1 = legacy, 2 = modern */
	uint32_t device_id; /* VIRTIO_ID_* */
	uint32_t irq;       /* PLIC source, 0 if none */
	uint64_t features;  /* negotiated feature bits */
};

/* One segment of a descriptor chain: physical address, length, and
 * whether the device writes it (otherwise it reads it). */
struct virtq_seg {
	uint64_t pa;
	uint32_t len;
	bool device_writes;
};

struct virtq {
	/* Held by callers of virtq_add/virtq_pop/virtq_nfree; spin_lock
	 * turns interrupts off, so the interrupt handler may take it. */
	struct spinlock lock;
	struct virtio_dev *dev;
	unsigned index; /* queue number on the device */
	unsigned num;   /* queue size (power of two) */
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	uint16_t free_head; /* free descriptors, linked through next */
	unsigned nfree;
	uint16_t last_used; /* next used ring entry to collect */
	void **cookie;      /* per head descriptor: what virtq_add was given */
	void *mem;          /* the rings' pages */
	unsigned mem_order;
};

/* Probes every virtio-mmio slot of the device tree and starts the drivers
 * of known devices (block devices: vda, vdb, ... in slot order).  Empty
 * slots and unknown devices are skipped.  Called once at boot, after the
 * PLIC is set up. */
void virtio_init(void);

/* Resets the device, acknowledges it and negotiates features: the result
 * is device features & wanted (plus VIRTIO_F_VERSION_1 on a modern
 * device), stored in d->features.  0, or -EIO if the device refuses
 * (the device is marked FAILED). */
int virtio_begin(struct virtio_dev *d, uint64_t wanted);
/* Tells the device the driver is ready (DRIVER_OK). */
void virtio_driver_ok(struct virtio_dev *d);
/* Marks the device FAILED (after a set-up error). */
void virtio_fail(struct virtio_dev *d);
/* Whether the negotiated features include bit. */
bool virtio_has(const struct virtio_dev *d, unsigned bit);
/* Reads the device-specific configuration space at byte offset off. */
uint32_t virtio_config_read32(struct virtio_dev *d, unsigned off);
uint64_t virtio_config_read64(struct virtio_dev *d, unsigned off);
/* Reads and acknowledges the interrupt status (VIRTIO_INT_* bits).  For
 * interrupt handlers. */
uint32_t virtio_ack_intr(struct virtio_dev *d);

/* Creates queue number index with at most max_size entries (fewer when
 * the device allows fewer) and hands it to the device.  NULL if the
 * queue does not exist or memory runs out. */
struct virtq *virtq_create(struct virtio_dev *d, unsigned index, unsigned max_size);
/* Free descriptors.  q->lock held. */
unsigned virtq_nfree(const struct virtq *q);
/* Puts a chain of n segments (device-read ones first) in the available
 * ring; cookie comes back from virtq_pop when the device is done.
 * q->lock held.  0, or -ENOSPC when fewer than n descriptors are free. */
int virtq_add(struct virtq *q, const struct virtq_seg *segs, unsigned n, void *cookie);
/* Notifies the device of new available entries (lock not needed). */
void virtq_kick(struct virtq *q);
/* Next completed chain: frees its descriptors, returns its cookie and
 * sets *len to the bytes the device wrote; NULL when none.  q->lock held. */
void *virtq_pop(struct virtq *q, uint32_t *len);

/* Block driver entry (virtio_blk.c): takes a reset device with
 * device_id VIRTIO_ID_BLOCK; name is "vda", "vdb"... */
int virtio_blk_probe(struct virtio_dev *d, const char *name);

#endif
