/*
 * Host unit tests of the xv6 ABI module's pure translations
 * (kernel/abi/xv6/translate.c): xv6's struct layouts, open flags, stat
 * types, directory records, DIRSIZ name cutting, exit statuses, device
 * numbers and ticks.  Run by tools/host-xv6-tests.sh; prints "ok NAME" /
 * "FAIL NAME" per test and "xv6: N passed, M failed".
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <scarlet/abi.h>

#include "abi/xv6/xv6.h"
#include "fs/vfs.h"

#include "tests/host/check.h"

static void run(const char *name, void (*fn)(void))
{
	cur_fail = 0;
	fn();
	printf("%s %s\n", cur_fail ? "FAIL" : "ok", name);
	if (cur_fail)
		nfail++;
	else
		npass++;
}

static void struct_layouts_match_xv6(void)
{
	CHECK_EQ(sizeof(struct xv6_stat), 24);
	CHECK_EQ(offsetof(struct xv6_stat, dev), 0);
	CHECK_EQ(offsetof(struct xv6_stat, ino), 4);
	CHECK_EQ(offsetof(struct xv6_stat, type), 8);
	CHECK_EQ(offsetof(struct xv6_stat, nlink), 10);
	CHECK_EQ(offsetof(struct xv6_stat, size), 16);
	CHECK_EQ(sizeof(struct xv6_dirent), 16);
	CHECK_EQ(offsetof(struct xv6_dirent, name), 2);
}

static void open_flags_translate(void)
{
	CHECK_EQ(xv6_open_flags(XV6_O_RDONLY), O_RDONLY);
	CHECK_EQ(xv6_open_flags(XV6_O_WRONLY), O_WRONLY);
	CHECK_EQ(xv6_open_flags(XV6_O_RDWR), O_RDWR);
	CHECK_EQ(xv6_open_flags(XV6_O_CREATE | XV6_O_WRONLY), O_CREAT | O_WRONLY);
	CHECK_EQ(xv6_open_flags(XV6_O_TRUNC | XV6_O_RDWR), O_TRUNC | O_RDWR);
	CHECK_EQ(xv6_open_flags(XV6_O_CREATE | XV6_O_TRUNC | XV6_O_RDWR),
	         O_CREAT | O_TRUNC | O_RDWR);
	/* xv6's O_CREATE is the kernel's O_TRUNC and must not leak through */
	CHECK(!(xv6_open_flags(XV6_O_CREATE) & O_TRUNC));
	CHECK(!(xv6_open_flags(XV6_O_TRUNC) & O_APPEND));
}

static struct vattr attr(uint32_t mode, uint64_t ino, uint32_t nlink, uint64_t size)
{
	struct vattr va;
	memset(&va, 0, sizeof(va));
	va.dev = 7;
	va.mode = mode;
	va.ino = ino;
	va.nlink = nlink;
	va.size = size;
	return va;
}

static void stat_types_and_fields(void)
{
	struct xv6_stat st;
	struct vattr va = attr(S_IFDIR | 0755, 12, 3, 4096);
	CHECK_EQ(xv6_stat_from_vattr(&st, &va), 0);
	CHECK_EQ(st.type, XV6_T_DIR);
	CHECK_EQ(st.dev, 7);
	CHECK_EQ(st.ino, 12);
	CHECK_EQ(st.nlink, 3);
	CHECK_EQ(st.size, 4096);
	va = attr(S_IFREG | 0644, 0x100000005ULL, 1, 5000000000ULL);
	CHECK_EQ(xv6_stat_from_vattr(&st, &va), 0);
	CHECK_EQ(st.type, XV6_T_FILE);
	CHECK_EQ(st.ino, 5);
	CHECK_EQ(st.size, 5000000000ULL);
	va = attr(S_IFCHR | 0620, 3, 1, 0);
	CHECK_EQ(xv6_stat_from_vattr(&st, &va), 0);
	CHECK_EQ(st.type, XV6_T_DEVICE);
	va = attr(S_IFBLK | 0600, 3, 1, 0);
	CHECK_EQ(xv6_stat_from_vattr(&st, &va), 0);
	CHECK_EQ(st.type, XV6_T_DEVICE);
	va = attr(S_IFIFO | 0600, 3, 1, 0);
	CHECK_EQ(xv6_stat_from_vattr(&st, &va), -1);
	va = attr(S_IFREG | 0600, 3, 100000, 0);
	CHECK_EQ(xv6_stat_from_vattr(&st, &va), 0);
	CHECK_EQ(st.nlink, 0x7fff);
}

static void dirent_names_cut_and_padded(void)
{
	struct xv6_dirent de;
	memset(&de, 'z', sizeof(de));
	xv6_dirent_fill(&de, "ls", 2, 21);
	CHECK_EQ(de.inum, 21);
	CHECK(memcmp(de.name, "ls\0\0\0\0\0\0\0\0\0\0\0\0", XV6_DIRSIZ) == 0);
	xv6_dirent_fill(&de, "abcdefghijklmn", 14, 2);
	CHECK(memcmp(de.name, "abcdefghijklmn", XV6_DIRSIZ) == 0);
	xv6_dirent_fill(&de, "abcdefghijklmnopqrstuvwxyz", 26, 3);
	CHECK(memcmp(de.name, "abcdefghijklmn", XV6_DIRSIZ) == 0);
	/* the name need not be terminated: only len counts */
	xv6_dirent_fill(&de, "..xyz", 2, 1);
	CHECK(memcmp(de.name, "..\0\0", 4) == 0);
	/* inum 0 marks a free slot for xv6 programs: never produce it */
	xv6_dirent_fill(&de, "a", 1, 0x10000);
	CHECK(de.inum != 0);
	xv6_dirent_fill(&de, "a", 1, 0x10007);
	CHECK_EQ(de.inum, 7);
}

static void check_cut(const char *in, const char *want, bool changed)
{
	char buf[XV6_MAXPATH];
	snprintf(buf, sizeof(buf), "%s", in);
	bool c = xv6_path_truncate(buf);
	if (strcmp(buf, want) != 0 || c != changed) {
		printf("  cut(\"%s\") = \"%s\" (%d), expected \"%s\" (%d)\n", in, buf, c, want,
		       changed);
		cur_fail = 1;
	}
}

static void path_components_cut_to_dirsiz(void)
{
	check_cut("abcdefghijklmnopq", "abcdefghijklmn", true);
	check_cut("abcdefghijklmn", "abcdefghijklmn", false);
	check_cut("/a/bcdefghijklmnopqrs/c", "/a/bcdefghijklmno/c", true);
	check_cut("short/path", "short/path", false);
	check_cut("", "", false);
	check_cut("/", "/", false);
	check_cut("//x//", "//x//", false);
	check_cut("../ffffffffffffffffffff/", "../ffffffffffffff/", true);
	check_cut("123456789012345/123456789012345", "12345678901234/12345678901234", true);
}

static void exit_status_round_trips(void)
{
	int vals[] = {0, 1, 2, -1, 747, 255, 256, -1000, (1 << 23) - 1, -(1 << 23)};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		CHECK_EQ(xv6_wait_status(xv6_exit_status(vals[i])), vals[i]);
	/* what a native parent decodes: the low 8 bits, "exited normally" */
	int st = xv6_exit_status(-1);
	CHECK_EQ(st & 0x7f, 0);
	CHECK_EQ((st >> 8) & 0xff, 255);
	CHECK_EQ((xv6_exit_status(747) >> 8) & 0xff, 747 & 0xff);
	/* a native child's statuses, as an xv6 parent reads them */
	CHECK_EQ(xv6_wait_status(W_EXITCODE(3, 0)), 3);
	CHECK_EQ(xv6_wait_status(W_EXITCODE(0, SIGKILL)), -1);
	CHECK_EQ(xv6_wait_status(W_EXITCODE(0, 11)), -1);
}

static void console_major_is_the_terminal(void)
{
	CHECK_EQ(xv6_rdev(XV6_CONSOLE, 0), MKDEV(5, 1));
	CHECK_EQ(xv6_rdev(XV6_CONSOLE, 3), MKDEV(5, 1));
	uint64_t other = xv6_rdev(2, 0);
	CHECK(MAJOR(other) != 5 && MAJOR(other) != 1 && MAJOR(other) != 0);
	CHECK(xv6_rdev(2, 0) != xv6_rdev(3, 0));
	CHECK(xv6_rdev(2, 0) != xv6_rdev(2, 1));
}

static void ticks_are_tenths_of_seconds(void)
{
	CHECK_EQ(xv6_ticks(0), 0);
	CHECK_EQ(xv6_ticks(99999999), 0);
	CHECK_EQ(xv6_ticks(100000000), 1);
	CHECK_EQ(xv6_ticks(1500000000ULL), 15);
	CHECK_EQ(xv6_ticks(3600ULL * 1000000000ULL), 36000);
}

static void limits_match_xv6(void)
{
	CHECK_EQ(XV6_NOFILE, 16);
	CHECK_EQ(XV6_NPROC, 64);
	CHECK_EQ(XV6_MAXARG, 32);
	CHECK_EQ(XV6_MAXPATH, 128);
	CHECK_EQ(XV6_MAXFILE, 268);
	CHECK_EQ(XV6_MAXBYTES, 268 * 1024);
	CHECK_EQ(XV6_TRAPFRAME, 0x3fffffe000ULL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run("struct_layouts_match_xv6", struct_layouts_match_xv6);
	run("open_flags_translate", open_flags_translate);
	run("stat_types_and_fields", stat_types_and_fields);
	run("dirent_names_cut_and_padded", dirent_names_cut_and_padded);
	run("path_components_cut_to_dirsiz", path_components_cut_to_dirsiz);
	run("exit_status_round_trips", exit_status_round_trips);
	run("console_major_is_the_terminal", console_major_is_the_terminal);
	run("ticks_are_tenths_of_seconds", ticks_are_tenths_of_seconds);
	run("limits_match_xv6", limits_match_xv6);
	printf("xv6: %d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
