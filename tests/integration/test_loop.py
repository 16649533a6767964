"""Loop devices with BusyBox's own tools (Linux binaries): on the data disk's
ext2 /home, an image file gets a loop device from `losetup -f`, BusyBox
mke2fs formats it through /dev/loopN, `mount -o loop` (LOOP_CTL_GET_FREE
and LOOP_CONFIGURE or LOOP_SET_FD) mounts it, files are written, an image
inside the mounted image is mounted from a second loop device, `losetup
-a` lists both (a third level works, a fourth is refused), umount lets
the devices go (autoclear); a FAT image made
by mkfs.vfat on a loop device takes a file too.  After poweroff the host
checks the data disk (e2fsck -fn), pulls the images out of it with
debugfs and checks them: e2fsck -fn on the ext2 ones, fsck.vfat -n on
the FAT one, and the files' contents (the FAT file's read back by the
guest)."""
import os
import re
import subprocess

from machine import Machine, check
from test_ext2 import drive, e2fs_tool, fsck
from test_files_ext2 import LINUX_BIN

BB = LINUX_BIN + "/busybox"
# What fsck.vfat -n says of any image BusyBox's mkfs.vfat makes, on the
# host too (it stores labels fsck.fat 4.2 calls invalid, and makes FAT32
# of small disks); anything else it says is a fault.
# A million lines, 6.9 MB: with the data disk's blocks under them, more
# than the block cache's budget on 128 MiB of RAM (8 MiB), so blocks of
# both disks are evicted while the image is written
NUMBERS = 1000000
MEM = "128M"
FSCK_VFAT_FINE = (r"^$|^fsck\.fat |[Ll]abel|Auto-removing|FAT32 according|clusters, less than"
                  r"|problems on some systems|Leaving filesystem unchanged|: \d+ files, ")


def make_disk():
    from test_ext2 import DISKS
    os.makedirs(DISKS, exist_ok=True)
    src = os.path.join(DISKS, "loop-src-%d" % os.getpid())
    img = os.path.join(DISKS, "loop-%d.img" % os.getpid())
    os.makedirs(os.path.join(src, "home"), exist_ok=True)
    if os.path.exists(img):
        os.remove(img)
    subprocess.run([e2fs_tool("mke2fs"), "-q", "-F", "-t", "ext2", "-b", "1024", "-d", src,
                    img, "64M"], check=True, stdout=subprocess.DEVNULL)
    os.rmdir(os.path.join(src, "home"))
    os.rmdir(src)
    return img


def sh(m, cmd, timeout=60):
    """Runs cmd under BusyBox's sh; returns its output, failing on a
    non-zero status."""
    out = m.run("%s sh -c '%s'; echo status=$?" % (BB, cmd), timeout=timeout)
    check("status=0" in out, "%s failed:\n%s" % (cmd, out[-2000:]))
    return out


def dump(img, path, out):
    subprocess.run([e2fs_tool("debugfs"), "-R", "dump %s %s" % (path, out), img],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cat(img, path):
    r = subprocess.run([e2fs_tool("debugfs"), "-R", "cat %s" % path, img],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return r.stdout.decode("utf-8", "replace")


def guest_steps(m):
    sh(m, "dd if=/dev/zero of=/home/fs.img bs=1024 count=16384 2>/dev/null", timeout=120)
    dev = sh(m, "busybox losetup -f").split()[0]
    check(dev.startswith("/dev/loop"), "losetup -f: %r" % dev)
    sh(m, "busybox losetup %s /home/fs.img && busybox mke2fs -q %s" % (dev, dev), timeout=120)
    out = sh(m, "busybox losetup -a")
    check("/home/fs.img" in out, "losetup -a after losetup: %r" % out)
    sh(m, "busybox losetup -d %s" % dev)
    out = sh(m, "busybox losetup -a")
    check("fs.img" not in out, "losetup -a after losetup -d: %r" % out)

    sh(m, "mkdir -p /tmp/mnt && mount -o loop /home/fs.img /tmp/mnt")
    out = sh(m, "grep /tmp/mnt /proc/mounts")
    check("/dev/loop" in out and "ext2" in out, "/proc/mounts: %r" % out)
    sh(m, "mkdir /tmp/mnt/dir && echo loop-hello > /tmp/mnt/dir/hello.txt"
          " && busybox seq 1 %d > /tmp/mnt/numbers" % NUMBERS, timeout=300)
    # an image inside the image, on a second loop device
    sh(m, "dd if=/dev/zero of=/tmp/mnt/inner.img bs=1024 count=2048 2>/dev/null"
          " && busybox mke2fs -q -F /tmp/mnt/inner.img && mkdir -p /tmp/inner"
          " && mount -o loop /tmp/mnt/inner.img /tmp/inner"
          " && echo inner-hello > /tmp/inner/inner.txt")
    # a third level; a fourth is refused (each level of I/O runs on the
    # caller's kernel stack)
    sh(m, "dd if=/dev/zero of=/tmp/inner/third.img bs=1024 count=512 2>/dev/null"
          " && busybox mke2fs -q -F /tmp/inner/third.img && mkdir -p /tmp/third"
          " && mount -o loop /tmp/inner/third.img /tmp/third"
          " && busybox seq 1 20000 > /tmp/third/numbers && busybox tail -1 /tmp/third/numbers"
          " && dd if=/dev/zero of=/tmp/third/fourth.img bs=1024 count=64 2>/dev/null")
    out = m.run("%s losetup -f /tmp/third/fourth.img; echo status=$?" % BB)
    check("status=0" not in out and "nvalid argument" in out,
          "a fourth stacked loop device: %r" % out)
    sh(m, "umount /tmp/third")
    out = sh(m, "busybox losetup -a")
    check("fs.img" in out and "inner.img" in out, "losetup -a with two mounted: %r" % out)
    # the outer filesystem holds the inner image open: busy
    out = m.run("umount /tmp/mnt; echo status=$?")
    check("status=0" not in out, "umount of the outer image under the inner: %r" % out)
    out = sh(m, "cat /tmp/inner/inner.txt /tmp/mnt/dir/hello.txt && busybox tail -1 /tmp/mnt/numbers")
    check("inner-hello" in out and "loop-hello" in out and str(NUMBERS) in out,
          "reading back: %r" % out)
    sh(m, "umount /tmp/inner && umount /tmp/mnt")
    out = sh(m, "busybox losetup -a; echo end")
    check("fs.img" not in out and "inner.img" not in out,
          "losetup -a after umount (autoclear): %r" % out)
    # mounted again read-only: the files are there; losetup -d while
    # mounted only marks the device autoclear, the umount detaches it
    sh(m, "mount -o loop,ro /home/fs.img /tmp/mnt && cat /tmp/mnt/dir/hello.txt")
    dev = sh(m, "busybox losetup -a").split(":")[0]
    sh(m, "busybox losetup -d %s && cat /tmp/mnt/dir/hello.txt" % dev)
    out = sh(m, "busybox losetup -a")
    check("fs.img" in out, "losetup -a after losetup -d of a mounted device: %r" % out)
    sh(m, "umount /tmp/mnt")
    out = sh(m, "busybox losetup -a; echo end")
    check("fs.img" not in out, "losetup -a after the last umount: %r" % out)

    # FAT through a loop device
    sh(m, "dd if=/dev/zero of=/home/fat.img bs=1024 count=4096 2>/dev/null")
    dev = sh(m, "busybox losetup -f").split()[0]
    sh(m, "busybox losetup %s /home/fat.img && busybox mkfs.vfat -n SCARLET %s >/dev/null && mkdir -p /tmp/fat"
          " && mount -t vfat %s /tmp/fat && echo fat-hello > /tmp/fat/hello.txt"
          " && umount /tmp/fat && busybox losetup -d %s" % (dev, dev, dev, dev))
    out = sh(m, "busybox losetup -a; echo end")
    check("fat.img" not in out, "losetup -a after the FAT: %r" % out)
    out = sh(m, "mount -o loop -t vfat /home/fat.img /tmp/fat && cat /tmp/fat/hello.txt"
                " && umount /tmp/fat")
    check("fat-hello" in out, "hello.txt of the FAT image, mounted again: %r" % out)


def leave_mounted(m):
    """A loop mount left for poweroff to sync, after the disk under it."""
    sh(m, "mount -o loop /home/fs.img /tmp/mnt && echo at-poweroff > /tmp/mnt/late.txt")


def test_loop_mkfs_mount_losetup():
    img = make_disk()
    tmp = img + ".out"
    try:
        m = Machine(timeout=300, mem=MEM, extra_args=drive(img))
        try:
            m.boot_to_shell()
            guest_steps(m)
            leave_mounted(m)
            m.send("cd /\rpoweroff\r")
            check(m.wait_exit(60) == 0, "poweroff status")
        finally:
            m.close()
        code, report = fsck(img)
        check(code == 0, "e2fsck -fn of the data disk: %s" % report[-2000:])
        dump(img, "/home/fs.img", tmp)
        code, report = fsck(tmp)
        check(code == 0, "e2fsck -fn of fs.img: %s" % report[-2000:])
        check(cat(tmp, "/dir/hello.txt") == "loop-hello\n", "hello.txt in fs.img")
        check(cat(tmp, "/late.txt") == "at-poweroff\n", "late.txt in fs.img")
        numbers = cat(tmp, "/numbers")
        check(numbers == "".join("%d\n" % i for i in range(1, NUMBERS + 1)), "numbers in fs.img")
        dump(tmp, "/inner.img", tmp + ".inner")
        code, report = fsck(tmp + ".inner")
        check(code == 0, "e2fsck -fn of inner.img: %s" % report[-2000:])
        check(cat(tmp + ".inner", "/inner.txt") == "inner-hello\n", "inner.txt")
        dump(img, "/home/fat.img", tmp + ".fat")
        r = subprocess.run(["fsck.vfat", "-n", "-l", tmp + ".fat"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        report = r.stdout.decode("utf-8", "replace")
        odd = [l for l in report.splitlines()
               if not re.search(FSCK_VFAT_FINE, l) and not l.startswith("Checking file /")]
        check(r.returncode in (0, 1) and not odd, "fsck.vfat -n of fat.img: %s" % report)
        # BusyBox makes FAT32 of too few clusters for mtools (which then
        # takes it for FAT16): fsck.vfat lists the files, the guest read
        # the contents back
        check("Checking file /hello.txt" in report, "hello.txt in fat.img: %s" % report)
    finally:
        for f in ([] if os.environ.get("LOOP_KEEP") else [img, tmp, tmp + ".inner", tmp + ".fat"]):
            if os.path.exists(f):
                os.remove(f)
