"""Memory the kernel's caches keep comes back when a program needs it
(docs/memory.md, "Reclaim").

memcount (user-xv6/bin/memcount.c) counts the pages a program can get
the way upstream xv6's usertests does: an eager sbrk of one page at a
time until it fails.  cachefill (user/bin/cachefill.c) fills the block
cache (files written and read on the ext2 data disk), the page cache
(files mapped shared, on the disk and on tmpfs, where the cache of a
file outlives its mappings) and the slabs (1000 small files created and
removed in each place)."""
import os
import re

from machine import Machine, check
from test_data_disk import disk_args, make_data_disk

MEMCOUNT = "/system/xv6-riscv64/memcount"

# Pages the count may lose across a fill.  What legitimately stays: one
# page-cache structure per tmpfs file mapped (24 files, each living as
# long as its file) and slabs left partly used by objects the fill
# created; measured: 2 pages.  A cache that kept its memory would lose
# thousands: the block cache alone holds up to 1/16 of RAM (8192 pages of
# 512 MiB), and the fill maps 24 MiB of tmpfs files (6144 pages).
TOLERANCE = 16


def memcount(m):
    out = m.run(MEMCOUNT, timeout=240)
    res = re.search(r"memcount: (\d+) pages", out)
    check(res, "memcount: " + out[-1500:])
    return int(res.group(1))


def meminfo_kb(m, field):
    out = m.run("cat /proc/meminfo")
    res = re.search(r"^%s:\s+(\d+) kB" % field, out, re.M)
    check(res, "/proc/meminfo has no %s:\n%s" % (field, out))
    return int(res.group(1))


def make_tmpfs_files(m):
    """The files fill_caches maps on tmpfs: memory themselves, so made
    before the first count."""
    out = m.run("cachefill /tmp 24 w", timeout=120)
    check("cachefill: done" in out, "cachefill /tmp: " + out[-1500:])


def fill_caches(m):
    """Fills the block cache, the page cache and the slabs; checks that
    memory went into them (the block cache to its budget, 32 MiB)."""
    free = meminfo_kb(m, "MemFree")
    out = m.run("mkdir -p /data/fill && cachefill /data/fill 40", timeout=240)
    check("cachefill: done" in out, "cachefill on ext2: " + out[-1500:])
    out = m.run("cachefill /tmp 24 rms", timeout=240)
    check("cachefill: done" in out, "cachefill on tmpfs: " + out[-1500:])
    buffers, used = meminfo_kb(m, "Buffers"), free - meminfo_kb(m, "MemFree")
    check(buffers >= 16 * 1024, "the block cache holds only %d kB" % buffers)
    check(used >= buffers + 16 * 1024, "the fill took only %d kB" % used)


def test_memory_count_is_the_same_after_filling_the_caches():
    img = make_data_disk("reclaim")
    try:
        m = Machine(timeout=900, extra_args=disk_args(img))
        try:
            m.boot_to_shell()
            make_tmpfs_files(m)
            before = memcount(m)
            fill_caches(m)
            after = memcount(m)
            check(after >= before - TOLERANCE,
                  "memcount: %d pages before filling the caches, %d after" % (before, after))
            check(meminfo_kb(m, "Buffers") < 1024, "the block cache was not emptied")
            check("cachefill: done" in m.run("cachefill /data/fill 40 r", timeout=120),
                  "the files on the disk read back after the reclaim")
        finally:
            m.close()
    finally:
        os.remove(img)


def test_drop_caches_and_free_d():
    img = make_data_disk("dropcaches")
    try:
        m = Machine(timeout=600, extra_args=disk_args(img))
        try:
            m.boot_to_shell()
            make_tmpfs_files(m)
            base = int(re.search(r"Mem:\s+\d+\s+\d+\s+(\d+)", m.run("free -d -p")).group(1))
            fill_caches(m)
            check(meminfo_kb(m, "Cached") >= 16 * 1024, "the page cache is not in Cached")
            check(m.run("echo 1 > /proc/sys/vm/drop_caches; echo $?").strip() == "0",
                  "writing 1 to drop_caches")
            check(m.run("cat /proc/sys/vm/drop_caches").strip() == "1", "drop_caches reads 1")
            check(meminfo_kb(m, "Buffers") < 1024, "Buffers after drop_caches")
            check(meminfo_kb(m, "Cached") < 1024, "Cached after drop_caches")
            out = m.run("free -d -p")
            res = re.search(r"Mem:\s+\d+\s+\d+\s+(\d+)", out)
            check(res and int(res.group(1)) >= base - TOLERANCE,
                  "free -d -p: %s (%d free before the fill)" % (out, base))
            check(m.run("echo 0 > /proc/sys/vm/drop_caches; echo $?").strip() != "0",
                  "0 is refused")
        finally:
            m.close()
    finally:
        os.remove(img)


def test_out_of_memory_fault_kills_only_that_process():
    m = Machine(timeout=300)
    try:
        m.boot_to_shell()
        before = memcount(m)
        out = m.run(MEMCOUNT + " -k", timeout=240)
        check(re.search(r"memcount: \d+ pages, child killed", out), "memcount -k: " + out[-1500:])
        check(re.search(r"pid \d+ \(memcount\): out of memory at 0x[0-9a-f]+ \(pc 0x[0-9a-f]+\), "
                        r"killed", out), "no log line for the kill: " + out[-1500:])
        check(m.run("echo still here").strip() == "still here", "the shell goes on")
        after = memcount(m)
        check(after >= before - TOLERANCE, "memcount %d before the kill, %d after" % (before, after))
    finally:
        m.close()
