"""File mappings on a real disk: the Linux memory test (t_mem) run on ext2
(/home is /data/home on the data disk), then, after a poweroff, the
stores it made through shared mappings must be in the image, which
e2fsck must find clean."""
import os
import re
import subprocess

from machine import Machine, check
from test_data_disk import disk_args, make_data_disk
from test_linux import SUMMARY, TESTS


def test_linux_file_mappings_on_ext2_reach_the_disk():
    img = make_data_disk("mem")
    try:
        m = Machine(timeout=180, extra_args=disk_args(img))
        try:
            m.boot_to_shell()
            out = m.run("mkdir -p /home/tmem && cd /home/tmem && %s/t_mem; echo exit=$?"
                        % TESTS, timeout=150)
            res = re.search(SUMMARY, out)
            check(res and int(res.group(2)) == 0 and "exit=0" in out,
                  "t_mem on ext2 failed:\n%s" % out[-3000:])
            m.send("cd /\rpoweroff\r")
            check(m.wait_exit() == 0, "poweroff status")
        finally:
            m.close()
        fsck = subprocess.run(["/sbin/e2fsck", "-fn", img], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
        check(fsck.returncode == 0, "e2fsck -fn: %s" % fsck.stdout.decode()[-2000:])
        data = subprocess.run(["/sbin/debugfs", "-R", "cat /home/tmem/shared", img],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        check(len(data) == 2 * 4096 + 100, "shared file has %d bytes" % len(data))
        # t_mem stored 'S' at 3 and 'C' at 4 through a shared mapping,
        # 'q' at 4097 through a second one, 'T' at the last byte
        check(data[3:5] == b"SC" and data[4097:4098] == b"q" and data[-1:] == b"T",
              "stores through shared mappings are not on the disk: %r %r %r"
              % (data[:8], data[4096:4100], data[-4:]))
    finally:
        os.remove(img)


def mem_free_kib(m):
    out = m.run("linux 'sync; echo 3 > /proc/sys/vm/drop_caches; grep MemFree /proc/meminfo'",
                timeout=30)
    found = re.search(r"MemFree:\s+(\d+) kB", out)
    check(found, "MemFree: " + out)
    return int(found.group(1))


def test_unmounting_a_tmpfs_frees_the_page_cache_of_its_mapped_files():
    # t_mapumount maps 2 MiB files of tmpfs mounts and unmounts them, 8
    # rounds a run.  The unmount freed the vnodes but not their page
    # caches (4 MiB lost a round), and the next drop_caches walked the
    # freed vnodes: a kernel panic under trinity.
    m = Machine(timeout=180)
    try:
        m.boot_to_shell()
        run = "%s/t_mapumount | grep ltest" % TESTS
        check(" 0 failed" in m.run(run, timeout=60), "first run")
        before = mem_free_kib(m)
        for _ in range(3):
            out = m.run(run, timeout=60)
            check(re.search(r"ltest mapumount: [1-9]\d* passed, 0 failed", out), out)
        lost = before - mem_free_kib(m)
        # 24 rounds would keep 48 MiB; a few pages move with other caches
        check(lost < 1024, "%d KiB not given back after 24 mapped tmpfs unmounts" % lost)
    finally:
        m.close()
