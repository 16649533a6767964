/*
 * /proc/config.gz: what this kernel implements, as the Linux
 * configuration options a program may look for (CONFIG_IKCONFIG_PROC's
 * format: "CONFIG_X=y", "# CONFIG_X is not set"), gzip-compressed.
 *
 * An option is "y" only when the Linux ABI offers what it stands for,
 * and "not set" for families that are missing (see docs/linux-abi.md);
 * the list must follow the kernel as features come.  The gzip stream is
 * made of stored (uncompressed) deflate blocks, which every gunzip
 * reads: the text is a few kilobytes.
 */
#include "fs/procfs/procfs_impl.h"

static const char config_text[] =
    "#\n"
    "# Automatically generated file; DO NOT EDIT.\n"
    "# Linux/riscv " PROC_OSRELEASE " Kernel Configuration (Scarlet)\n"
    "#\n"
    "CONFIG_64BIT=y\n"
    "CONFIG_RISCV=y\n"
    "CONFIG_MMU=y\n"
    "CONFIG_ARCH_RV64I=y\n"
    "CONFIG_SMP=y\n"
    "CONFIG_NR_CPUS=8\n"
    "CONFIG_HZ_100=y\n"
    "CONFIG_HZ=100\n"
    "CONFIG_FPU=y\n"
    "\n"
    "#\n"
    "# General setup\n"
    "#\n"
    "CONFIG_IKCONFIG=y\n"
    "CONFIG_IKCONFIG_PROC=y\n"
    "CONFIG_MULTIUSER=y\n"
    "CONFIG_POSIX_TIMERS=y\n"
    "CONFIG_FUTEX=y\n"
    "CONFIG_EPOLL=y\n"
    "CONFIG_SIGNALFD=y\n"
    "CONFIG_TIMERFD=y\n"
    "CONFIG_EVENTFD=y\n"
    "CONFIG_BLK_DEV_INITRD=y\n"
    "CONFIG_BINFMT_ELF=y\n"
    "CONFIG_BINFMT_SCRIPT=y\n"
    "# CONFIG_BINFMT_MISC is not set\n"
    "# CONFIG_MODULES is not set\n"
    "# CONFIG_SWAP is not set\n"
    "CONFIG_SYSVIPC=y\n"
    "CONFIG_POSIX_MQUEUE=y\n"
    "# CONFIG_CGROUPS is not set\n"
    "# CONFIG_BPF_SYSCALL is not set\n"
    "CONFIG_SECCOMP=y\n"
    "# CONFIG_SECCOMP_FILTER is not set\n"
    "# CONFIG_AIO is not set\n"
    "# CONFIG_IO_URING is not set\n"
    "# CONFIG_USERFAULTFD is not set\n"
    "# CONFIG_KALLSYMS is not set\n"
    "# CONFIG_PROFILING is not set\n"
    "CONFIG_COREDUMP=y\n"
    "# CONFIG_TRANSPARENT_HUGEPAGE is not set\n"
    "# CONFIG_HUGETLBFS is not set\n"
    "# CONFIG_KSM is not set\n"
    "# CONFIG_MEM_SOFT_DIRTY is not set\n"
    "CONFIG_NAMESPACES=y\n"
    "# CONFIG_UTS_NS is not set\n"
    "# CONFIG_IPC_NS is not set\n"
    "# CONFIG_USER_NS is not set\n"
    "# CONFIG_PID_NS is not set\n"
    "# CONFIG_NET_NS is not set\n"
    "\n"
    "#\n"
    "# Networking\n"
    "#\n"
    "CONFIG_NET=y\n"
    "CONFIG_UNIX=y\n"
    "# CONFIG_INET is not set\n"
    "\n"
    "#\n"
    "# Devices\n"
    "#\n"
    "CONFIG_VIRTIO_MENU=y\n"
    "CONFIG_VIRTIO_MMIO=y\n"
    "CONFIG_VIRTIO_BLK=y\n"
    "CONFIG_SERIAL_8250=y\n"
    "CONFIG_SERIAL_8250_CONSOLE=y\n"
    "CONFIG_TTY=y\n"
    "# CONFIG_UNIX98_PTYS is not set\n"
    "# CONFIG_BLK_DEV_LOOP is not set\n"
    "# CONFIG_DEVMEM is not set\n"
    "\n"
    "#\n"
    "# File systems\n"
    "#\n"
    "CONFIG_EXT2_FS=y\n"
    "# CONFIG_EXT2_FS_XATTR is not set\n"
    "# CONFIG_EXT3_FS is not set\n"
    "# CONFIG_EXT4_FS is not set\n"
    "CONFIG_FAT_FS=y\n"
    "CONFIG_MSDOS_FS=y\n"
    "CONFIG_VFAT_FS=y\n"
    "CONFIG_OVERLAY_FS=y\n"
    "CONFIG_PROC_FS=y\n"
    "CONFIG_PROC_SYSCTL=y\n"
    "CONFIG_PROC_PAGE_MONITOR=y\n"
    "CONFIG_SYSFS=y\n"
    "CONFIG_TMPFS=y\n"
    "CONFIG_DEVTMPFS=y\n"
    "CONFIG_FILE_LOCKING=y\n"
    "# CONFIG_FSNOTIFY is not set\n"
    "# CONFIG_INOTIFY_USER is not set\n"
    "# CONFIG_FANOTIFY is not set\n"
    "# CONFIG_QUOTA is not set\n"
    "# CONFIG_FUSE_FS is not set\n";

/* CRC-32 as gzip uses it (reflected, polynomial 0xedb88320), bit by bit:
 * the text is small. */
static uint32_t crc32(const void *data, size_t n)
{
	const uint8_t *p = data;
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

static void put_le32(struct textbuf *out, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

	tb_put(out, b, 4);
}

/* A gzip member (RFC 1952) of stored deflate blocks (RFC 1951, 3.2.4). */
static void gzip_stored(struct textbuf *out, const char *data, size_t n)
{
	static const uint8_t header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 /* Unix */};
	size_t off = 0;

	tb_put(out, header, sizeof(header));
	do {
		size_t len = MIN(n - off, (size_t)0xffff);
		uint8_t block[5] = {off + len == n ? 1 : 0, (uint8_t)len, (uint8_t)(len >> 8),
		                    (uint8_t)~len, (uint8_t)(~len >> 8)};
		tb_put(out, block, sizeof(block));
		tb_put(out, data + off, len);
		off += len;
	} while (off < n);
	put_le32(out, crc32(data, n));
	put_le32(out, (uint32_t)n);
}

int proc_gen_config_gz(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	gzip_stored(out, config_text, sizeof(config_text) - 1);
	return 0;
}
