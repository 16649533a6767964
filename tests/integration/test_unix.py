"""Local sockets beyond t_unix itself (test_linux.py): the kernel gets
its memory back when sockets close, whatever was queued on them
(data, passed descriptors, connections never accepted, cycles of
sockets sent over themselves); and path names on ext2, where bind makes
a socket inode that e2fsck must accept."""
import os
import re

from machine import Machine, check
from test_ext2 import drive, fsck, make_image
from test_linux import SUMMARY, TESTS

# What a few runs may leave behind without a leak (slab pages kept
# half-used, the shell's own allocations): a leak of t_unix's sockets
# and pipes would be hundreds of KiB per run.
TOLERANCE_KB = 48


def run_t_unix(m, where):
    out = m.run("mkdir -p %s && cd %s && %s/t_unix > out.txt; echo exit=$?; grep ltest out.txt"
                % (where, where, TESTS), timeout=150)
    res = re.search(SUMMARY, out)
    check(res and int(res.group(2)) == 0 and "exit=0" in out,
          "t_unix in %s failed:\n%s" % (where, out[-3000:]))


def used_kb(m):
    out = m.run("free -d")
    res = re.search(r"Mem:\s+\d+\s+(\d+)", out)
    check(res, "free -d: " + out)
    return int(res.group(1))


def test_unix_sockets_give_their_memory_back():
    m = Machine(timeout=300)
    try:
        m.boot_to_shell()
        run_t_unix(m, "/tmp/u0")  # first-use allocations (slabs, the shell's)
        before = used_kb(m)
        for i in range(3):
            run_t_unix(m, "/tmp/u%d" % (i + 1))
        after = used_kb(m)
        print("t_unix x3: used %d -> %d KiB" % (before, after))
        check(after - before <= TOLERANCE_KB,
              "three t_unix runs kept %d KiB (%d -> %d)" % (after - before, before, after))
    finally:
        m.close()


def test_unix_socket_names_on_ext2():
    img = make_image()
    try:
        m = Machine(timeout=300, extra_args=drive(img))
        try:
            m.boot_to_shell()
            run_t_unix(m, "/home/unix")  # /home is on the disk
            # t_unix leaves a socket inode behind, for e2fsck to see
            out = m.run("ls -l /home/unix")
            check(re.search(r"^s\S+ .*left\.sock", out, re.M), "no socket left.sock:\n" + out)
            m.run("cd /; umount /home; umount /data")
            m.send("poweroff\r")
            m.wait_exit(60)
        finally:
            m.close()
        code, report = fsck(img)
        check(code == 0, "e2fsck -fn: %s" % report[-2000:])
    finally:
        os.remove(img)
