"""virtio-blk tests: disks attached to QEMU's virtio-mmio slots, reached
raw through /dev/vdX from the native shell, over both the legacy and the
modern virtio-mmio interface.  The test images live in build/test-disks/
and are checked on the host after the machine powers off.

QEMU puts the first -device on the highest slot, and the kernel names
disks in slot order, so the tests find which image is which disk by size
from the boot log."""
import os
import re

from machine import BUILD, Machine, check

DISKS = os.path.join(BUILD, "test-disks")
MIB = 1024 * 1024


def pattern(seed, off, length):
    """Bytes of user/bin/blktest.c's pattern: (x*131 + (x>>12) + s*17) & 0xff."""
    row = bytes((i * 131) & 0xff for i in range(4096))
    out = bytearray()
    x = off - off % 4096
    while x < off + length:
        add = ((x >> 12) + seed * 17) & 0xff
        out += row.translate(bytes((v + add) & 0xff for v in range(256)))
        x += 4096
    skip = off % 4096
    return bytes(out[skip:skip + length])


def make_image(name, size, seed):
    os.makedirs(DISKS, exist_ok=True)
    path = os.path.join(DISKS, name)
    data = pattern(seed, 0, size)
    with open(path, "wb") as f:
        f.write(data)
    return path, bytearray(data)


def drive_args(paths, readonly=False, modern=False):
    args = []
    for i, p in enumerate(paths):
        ro = ",readonly=on" if readonly else ""
        args += ["-drive", "file=%s,format=raw,if=none,id=d%d%s" % (p, i, ro),
                 "-device", "virtio-blk-device,drive=d%d" % i]
    if modern:
        args += ["-global", "virtio-mmio.force-legacy=false"]
    return args


def disk_names(m, sizes):
    """Maps each disk size to its name, from the 'blk: vdX: N sectors' lines."""
    names = {}
    for _ in sizes:
        mt = m.expect(r"blk: (vd[a-z]): (\d+) sectors", 20)
        names[int(mt.group(2)) * 512] = mt.group(1)
    check(sorted(names) == sorted(sizes), "disks found: %r" % names)
    return names


def apply(img, seed, off, length):
    img[off:off + length] = pattern(seed, off, length)


def expect_after_check(img):
    """What blktest check leaves on a disk (see cmd_check)."""
    size = len(img)
    apply(img, 1, 0, 4096)
    apply(img, 2, 1000, 3000)
    apply(img, 3, 5000, 10)
    apply(img, 4, 65536 + 123, 200000)
    apply(img, 5, 512 * 1024, 131072)
    apply(img, 9, size - 100, 100)


def check_image(path, want, what):
    with open(path, "rb") as f:
        got = f.read()
    check(len(got) == len(want), "%s: image size changed" % what)
    if got != want:
        first = next(i for i in range(len(got)) if got[i] != want[i])
        raise AssertionError("%s: image differs from the expected contents at offset %d"
                             % (what, first))


def raw_io_over(modern):
    kind = "modern" if modern else "legacy"
    small, small_img = make_image(kind + "-small.img", 4 * MIB, 21)
    big, big_img = make_image(kind + "-big.img", 8 * MIB, 22)
    m = Machine(timeout=90, extra_args=drive_args([small, big], modern=modern))
    try:
        m.expect(r"virtio: slot \d+ .* block device vd[a-z], %s interface" % kind, 20)
        names = disk_names(m, [4 * MIB, 8 * MIB])
        vsmall, vbig = "/dev/" + names[4 * MIB], "/dev/" + names[8 * MIB]
        m.boot_to_shell()
        for dev, size in ((vsmall, 4 * MIB), (vbig, 8 * MIB)):
            out = m.run("cat %s | wc -c" % dev, 30).strip()
            check(out == str(size), "cat %s | wc -c gave %r" % (dev, out))
        out = m.run("blktest check " + vsmall, 60)
        check("blktest: ok" in out, "blktest check: " + out)
        m.run("echo hello > " + vbig)
        check(m.status() == 0, "echo > %s failed" % vbig)
        m.send("poweroff\r")
        m.wait_exit(30)
    finally:
        m.close()
    expect_after_check(small_img)
    check_image(small, small_img, "%s disk after blktest check" % kind)
    big_img[0:6] = b"hello\n"
    check_image(big, big_img, "%s disk after echo" % kind)


def test_virtio_blk_raw_io_legacy_transport():
    raw_io_over(modern=False)


def test_virtio_blk_raw_io_modern_transport():
    raw_io_over(modern=True)


def test_virtio_blk_concurrent_io_on_two_disks():
    a, a_img = make_image("conc-a.img", 6 * MIB, 41)
    b, b_img = make_image("conc-b.img", 8 * MIB, 42)
    m = Machine(smp=2, timeout=120, extra_args=drive_args([a, b]))
    try:
        names = disk_names(m, [6 * MIB, 8 * MIB])
        va, vb = "/dev/" + names[6 * MIB], "/dev/" + names[8 * MIB]
        m.boot_to_shell()
        cmd = ("blktest fill %s 51 0 3145728 & blktest fill %s 52 3145728 3145728 & "
               "blktest fill %s 53 0 4194304 & blktest fill %s 54 4194304 4194304; wait"
               % (va, va, vb, vb))
        out = m.run(cmd, 90)
        check(out.count("blktest: ok") == 4 and "FAIL" not in out, "concurrent fills: " + out)
        out = m.run("blktest verify %s 51 0 3145728; blktest verify %s 54 4194304 4194304"
                    % (va, vb), 60)
        check(out.count("blktest: ok") == 2, "verify: " + out)
        m.send("poweroff\r")
        m.wait_exit(30)
    finally:
        m.close()
    apply(a_img, 51, 0, 3 * MIB)
    apply(a_img, 52, 3 * MIB, 3 * MIB)
    check_image(a, a_img, "disk a after concurrent fills")
    apply(b_img, 53, 0, 4 * MIB)
    apply(b_img, 54, 4 * MIB, 4 * MIB)
    check_image(b, b_img, "disk b after concurrent fills")


def test_virtio_blk_readonly_disk_refuses_writes():
    path, img = make_image("ro.img", 2 * MIB, 61)
    m = Machine(timeout=60, extra_args=drive_args([path], readonly=True, modern=True))
    try:
        m.expect(r"blk: vda: 4096 sectors \(2 MiB\), read-only", 20)
        m.boot_to_shell()
        out = m.run("blktest ro /dev/vda", 30)
        check("blktest: ok" in out, "blktest ro: " + out)
        out = m.run("echo x > /dev/vda")
        check(re.search(r"[Rr]ead-only", out), "echo to a read-only disk: " + out)
        check(m.status() != 0, "echo to a read-only disk succeeded")
        m.send("poweroff\r")
        m.wait_exit(30)
    finally:
        m.close()
    check_image(path, img, "read-only disk")
