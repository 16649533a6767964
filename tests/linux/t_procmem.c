/*
 * The memory files of /proc/self as Linux writes them: maps (shared
 * mappings marked `s`), smaps (per area, Linux's field names, Rss from
 * resident pages), pagemap (64-bit entries: present bit, PFN for root
 * only), and VmLck in status after mlock.
 *
 * Under qemu-riscv64-static on the host, qemu emulates maps and smaps
 * for the guest; pagemap and status are the host's, describing the qemu
 * process, which maps the guest at the guest's own addresses (a 64-bit
 * guest on a 64-bit host), so the same checks hold there.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ltest.h"

#define BIG (256 * 1024)

static char text[BIG];

static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long len = 0, n;

	if (fd < 0)
		return -1;
	while (len < BIG - 1 && (n = read(fd, text + len, (size_t)(BIG - 1 - len))) > 0)
		len += n;
	close(fd);
	text[len] = '\0';
	return n < 0 ? -1 : len;
}

/* The line of text that starts with the range of the area at addr. */
static char *area_line(void *addr)
{
	char want[40];

	snprintf(want, sizeof(want), "%08lx-", (unsigned long)(uintptr_t)addr);
	for (char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (strncmp(l, want, strlen(want)) == 0)
			return l;
	return NULL;
}

/* The value in kB of field name in the smaps block starting at block
 * (up to the next area's line); -1 if absent. */
static long smaps_field(const char *block, const char *name)
{
	size_t n = strlen(name);

	for (const char *l = strchr(block, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
		const char *s = l + 1;
		if ((s[0] >= '0' && s[0] <= '9') || (s[0] >= 'a' && s[0] <= 'f'))
			if (strchr(s, '-') && strchr(s, '-') < strchr(s, ' '))
				return -1; /* the next area */
		if (strncmp(s, name, n) == 0 && s[n] == ':')
			return strtol(s + n + 1, NULL, 10);
	}
	return -1;
}

static void test_maps_shared(void)
{
	char *sh = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *pr = mmap(NULL, 2 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *l;

	CHECK(sh != MAP_FAILED && pr != MAP_FAILED);
	CHECK(slurp("/proc/self/maps") > 0);
	CHECK((l = area_line(sh)) != NULL && strncmp(strchr(l, ' '), " rw-s ", 6) == 0);
	CHECK((l = area_line(pr)) != NULL && strncmp(strchr(l, ' '), " r--p ", 6) == 0);
	munmap(sh, 3 * 4096);
	munmap(pr, 2 * 4096);
}

static void test_smaps(void)
{
	long pages = 8;
	char *p =
	    mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *l;

	CHECK(p != MAP_FAILED);
	for (int i = 0; i < 3; i++)
		p[i * 4096] = 1; /* three pages resident and dirty */
	CHECK(slurp("/proc/self/smaps") > 0);
	l = area_line(p);
	CHECK(l != NULL);
	if (!l)
		return;
	CHECK_EQ(smaps_field(l, "Size"), pages * 4);
	CHECK_EQ(smaps_field(l, "KernelPageSize"), 4);
	CHECK_EQ(smaps_field(l, "MMUPageSize"), 4);
	CHECK_EQ(smaps_field(l, "Rss"), 12);
	CHECK_EQ(smaps_field(l, "Pss"), 12);
	CHECK_EQ(smaps_field(l, "Private_Dirty"), 12);
	CHECK_EQ(smaps_field(l, "Shared_Clean"), 0);
	CHECK_EQ(smaps_field(l, "Anonymous"), 12);
	CHECK_EQ(smaps_field(l, "Swap"), 0);
	CHECK_EQ(smaps_field(l, "Locked"), 0);
	static const char *const names[] = {"Shared_Dirty", "Private_Clean", "Referenced",
	                                    "LazyFree",     "AnonHugePages", "SwapPss"};
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CHECK(smaps_field(l, names[i]) >= 0);
	/* the line format: "Rss:" padded to 16, then 8 wide, " kB" */
	CHECK(strstr(l, "\nRss:                  12 kB\n") != NULL);
	CHECK(strstr(l, "\nVmFlags: rd wr ") != NULL);
	munmap(p, pages * 4096);
}

static uint64_t pagemap_entry(int fd, void *addr)
{
	uint64_t e = 0;
	off_t off = (off_t)((uintptr_t)addr / 4096 * 8);

	if (pread(fd, &e, 8, off) != 8)
		return ~0ULL;
	return e;
}

static void test_pagemap(void)
{
	char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t buf[4];

	CHECK(p != MAP_FAILED && fd >= 0);
	p[0] = 1;
	p[2 * 4096] = 1;
	/* reads are whole entries at entry offsets */
	CHECK_ERR(pread(fd, buf, 7, 0), EINVAL);
	CHECK_ERR(pread(fd, buf, 8, 4), EINVAL);
	CHECK_EQ(pread(fd, buf, 0, 0), 0);
	CHECK_EQ(pread(fd, buf, sizeof(buf), (off_t)((uintptr_t)p / 4096 * 8)), 32);
	CHECK(buf[0] >> 63);
	CHECK(!(buf[1] >> 63));
	CHECK(buf[2] >> 63);
	CHECK(!(buf[3] >> 63));
	uint64_t pfn0 = buf[0] & ((1ULL << 55) - 1), pfn2 = buf[2] & ((1ULL << 55) - 1);
	if (geteuid() == 0)
		CHECK(pfn0 != 0 && pfn2 != 0 && pfn0 != pfn2);
	else
		CHECK(pfn0 == 0 && pfn2 == 0);
	CHECK(pagemap_entry(fd, p + 3 * 4096) >> 63 == 0);
	close(fd);
	munmap(p, 4 * 4096);
}

int main(void)
{
	test_maps_shared();
	test_smaps();
	test_pagemap();
	return ltest_done("procmem");
}
