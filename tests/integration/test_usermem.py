"""User buffers that are pages of a file mapping not yet read from the
disk: t_usermem (tests/linux/t_usermem.c) on files of an ext2 image made
on the host, so the first touch of each page is the kernel's own copy
(a pipe write or read, a wait status, an epoll array, a futex word, a
file read or write...), which must wait for the disk with no spinlock
held and no lock the page's read needs.  One hart: with two, the disk's
completion interrupt could be taken by the other one, and a copy made
under a spinlock would then go unnoticed by chance."""
import os
import re
import shutil
import subprocess

from machine import BUILD, Machine, check
from test_ext2 import drive, e2fs_tool, fsck
from test_linux import SUMMARY, TESTS

PAGE = 4096
FILE_SIZE = 12 * 256 * 1024  # t_usermem's NREGIONS * REGION
OTHER_SIZE = 64 * 1024


def pattern_bytes(size):
    """t_usermem's pattern(): byte i is (i/4096)*31 + (i%4096)*7 + 1."""
    base = bytes(((j * 7) + 1) & 0xff for j in range(PAGE))
    pages = []
    for p in range(size // PAGE):
        shift = (p * 31) & 0xff
        table = bytes((x + shift) & 0xff for x in range(256))
        pages.append(base.translate(table))
    return b"".join(pages)


def make_image():
    disks = os.path.join(BUILD, "test-disks")
    os.makedirs(disks, exist_ok=True)
    src = os.path.join(disks, "usermem-src-%d" % os.getpid())
    img = os.path.join(disks, "usermem-%d.img" % os.getpid())
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(os.path.join(src, "home"))
    # /home is /data/home, and what a Linux program sees of the disk
    with open(os.path.join(src, "home", "usermem.bin"), "wb") as f:
        f.write(pattern_bytes(FILE_SIZE))
    for suffix in (".other", ".self"):
        with open(os.path.join(src, "home", "usermem.bin" + suffix), "wb") as f:
            f.write(pattern_bytes(OTHER_SIZE))
    if os.path.exists(img):
        os.remove(img)
    subprocess.run([e2fs_tool("mke2fs"), "-q", "-F", "-t", "ext2", "-b", "4096", "-d", src,
                    img, "32M"], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(src, ignore_errors=True)
    return img


def test_kernel_copies_fault_in_cold_file_pages_from_disk():
    img = make_image()
    try:
        m = Machine(smp=1, timeout=120, extra_args=drive(img))
        try:
            m.boot_to_shell()
            out = m.run("cd /tmp && %s/t_usermem /home/usermem.bin; echo exit=$?" % TESTS,
                        timeout=90)
            res = re.search(SUMMARY, out)
            check(res and int(res.group(2)) == 0 and int(res.group(1)) > 0
                  and "exit=0" in out, "t_usermem on a cold ext2 disk failed:\n%s"
                  % out[-3000:])
            m.send("cd /\rpoweroff\r")
            check(m.wait_exit() == 0, "poweroff status")
        finally:
            m.close()
        code, report = fsck(img)
        check(code == 0, "e2fsck -fn: %s" % report[-2000:])
    finally:
        os.remove(img)
