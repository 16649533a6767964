"""FAT32 on a virtio disk: an image made on the host by mkfs.fat and filled
by mcopy is mounted from the native shell (mount -t vfat), read (long
names, nested directories, case-insensitive lookup), changed (new files
with long names, directories, append, copy, rename, delete, 200 files in
one directory), and after umount and poweroff checked on the host by
fsck.fat -n and mtools; a second boot finds the changes."""
import os
import shutil
import subprocess

from machine import BUILD, Machine, check

DISKS = os.path.join(BUILD, "test-disks")
ENV = dict(os.environ, LC_ALL="C.UTF-8", MTOOLS_SKIP_CHECK="1")
DATA = bytes((i * 7 + (i >> 9)) & 0xff for i in range(300000))
NFILES = 200


def tool(name):
    for d in ("/sbin", "/usr/sbin", "/usr/bin"):
        if os.path.exists(os.path.join(d, name)):
            return os.path.join(d, name)
    return name


def make_image():
    os.makedirs(DISKS, exist_ok=True)
    src = os.path.join(DISKS, "fat-src")
    img = os.path.join(DISKS, "fat.img")
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(os.path.join(src, "Sub Dir", "deeper"))
    with open(os.path.join(src, "hello.txt"), "w") as f:
        f.write("hello from the host\n")
    with open(os.path.join(src, "Long File Name.txt"), "w") as f:
        f.write("a long name made by mcopy\n")
    with open(os.path.join(src, "Sub Dir", "deeper", "nested file.txt"), "w") as f:
        f.write("nested\n")
    with open(os.path.join(src, "data.bin"), "wb") as f:
        f.write(DATA)
    if os.path.exists(img):
        os.remove(img)
    subprocess.run([tool("mkfs.fat"), "-F", "32", "-C", img, "65536"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([tool("mcopy"), "-s", "-i", img] +
                   [os.path.join(src, n) for n in sorted(os.listdir(src))] + ["::/"],
                   check=True, env=ENV)
    return img


def drive(img):
    return ["-drive", "file=%s,format=raw,if=none,id=d0" % img,
            "-device", "virtio-blk-device,drive=d0"]


def mtools(*args):
    r = subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV)
    return r.returncode, r.stdout


def mount_mnt(m):
    m.run("mkdir -p /mnt")
    out = m.run("mount -t vfat /dev/vda /mnt")
    check(m.status() == 0, "mount -t vfat failed: " + out)


def unmount_and_poweroff(m):
    m.run("cd /")
    out = m.run("umount /mnt")
    check(m.status() == 0, "umount /mnt failed: " + out)
    m.send("poweroff\r")
    m.wait_exit(60)


def read_checks(m):
    check("hello from the host" in m.run("cat /mnt/hello.txt"), "file made by mcopy")
    check("a long name made by mcopy" in m.run('cat "/mnt/Long File Name.txt"'), "long name")
    check("a long name made by mcopy" in m.run('cat "/mnt/LONG FILE NAME.TXT"'),
          "case-insensitive lookup")
    check("nested" in m.run('cat "/mnt/Sub Dir/deeper/nested file.txt"'), "nested dirs")
    check("300000" in m.run("wc -c /mnt/data.bin"), "size of data.bin")
    out = m.run("ls /mnt")
    check("Long File Name.txt" in out and "Sub Dir" in out, "ls shows long names: " + out)


def write_checks(m):
    m.run('echo written by scarlet > "/mnt/A new file with a long name.txt"')
    m.run('echo more >> "/mnt/A new file with a long name.txt"')
    m.run('mkdir "/mnt/New Directory"')
    m.run('cp /mnt/data.bin "/mnt/New Directory/copy of data.bin"')
    m.run('mv /mnt/hello.txt "/mnt/New Directory/hello moved.txt"')
    m.run('rm "/mnt/Sub Dir/deeper/nested file.txt"')
    m.run("mkdir /mnt/many")
    for first in range(0, NFILES, 25):  # short lines for the terminal
        nums = " ".join(str(i) for i in range(first, min(first + 25, NFILES)))
        m.run('for i in %s; do echo file $i > "/mnt/many/file number $i.txt"; done' % nums,
              timeout=120)
    out = m.run('cat "/mnt/A new file with a long name.txt"')
    check("written by scarlet\nmore" in out, "new file: " + out)
    out = m.run("ls /mnt/many")
    check("file number %d.txt" % (NFILES - 1) in out, "200 files: " + out[-500:])


def host_checks(img):
    status, log = mtools(tool("fsck.fat"), "-n", img)
    check(status == 0, "fsck.fat -n: status %d\n%s" % (status, log.decode()[-3000:]))
    status, out = mtools("mtype", "-i", img, "::/A new file with a long name.txt")
    check(out == b"written by scarlet\nmore\n", "mtype of the new file: %r" % out[:200])
    status, out = mtools("mtype", "-i", img, "::/New Directory/copy of data.bin")
    check(out == DATA, "mtype of the copy: %d bytes" % len(out))
    status, out = mtools("mtype", "-i", img, "::/New Directory/hello moved.txt")
    check(out == b"hello from the host\n", "renamed file: %r" % out[:200])
    status, out = mtools("mdir", "-b", "-i", img, "::/many")
    check(out.count(b"file number") == NFILES, "mdir ::/many: %r" % out[-500:])
    status, out = mtools("mdir", "-b", "-i", img, "::/Sub Dir/deeper")
    check(b"nested" not in out, "deleted file still listed: %r" % out)
    status, out = mtools("mtype", "-i", img, "::/many/file number 123.txt")
    check(out == b"file 123\n", "file 123: %r" % out)


def test_fat_mcopy_image_read_write_then_fsck_and_mtools():
    img = make_image()
    m = Machine(timeout=300, mem="512M", extra_args=drive(img))
    try:
        m.boot_to_shell()
        mount_mnt(m)
        read_checks(m)
        write_checks(m)
        unmount_and_poweroff(m)
    finally:
        m.close()
    host_checks(img)
    m = Machine(timeout=120, mem="512M", extra_args=drive(img))
    try:
        m.boot_to_shell()
        mount_mnt(m)
        out = m.run('cat "/mnt/a new file with a LONG name.txt"')
        check("written by scarlet\nmore" in out, "after reboot: " + out)
        out = m.run('wc -c "/mnt/New Directory/copy of data.bin"')
        check("300000" in out, "copy after reboot: " + out)
        unmount_and_poweroff(m)
    finally:
        m.close()
    status, log = mtools(tool("fsck.fat"), "-n", img)
    check(status == 0, "fsck.fat -n after the second boot: %s" % log.decode()[-3000:])


def test_fat_fsstress_then_fsck_then_persistence():
    """The stress program on FAT32 (no hard links there: -L), including a
    70 MiB file; fsck.fat -n clean; a second boot verifies every file."""
    os.makedirs(DISKS, exist_ok=True)
    img = os.path.join(DISKS, "fat-stress-%d.img" % os.getpid())
    if os.path.exists(img):
        os.remove(img)
    subprocess.run([tool("mkfs.fat"), "-F", "32", "-C", img, str(256 * 1024)], check=True,
                   stdout=subprocess.DEVNULL)
    try:
        m = Machine(timeout=600, mem="512M", extra_args=drive(img))
        try:
            m.boot_to_shell()
            mount_mnt(m)
            out = m.run("fsstress -L -n 2000 /mnt/stress", timeout=500)
            check("fsstress: ok" in out, "fsstress on FAT32: " + out[-2000:])
            unmount_and_poweroff(m)
        finally:
            m.close()
        status, log = mtools(tool("fsck.fat"), "-n", img)
        check(status == 0, "fsck.fat -n after fsstress: %s" % log.decode()[-3000:])
        m = Machine(timeout=300, mem="512M", extra_args=drive(img))
        try:
            m.boot_to_shell()
            mount_mnt(m)
            out = m.run("fsstress -v -L -n 2000 /mnt/stress", timeout=200)
            check("fsstress: ok" in out, "verify after reboot: " + out[-2000:])
            unmount_and_poweroff(m)
        finally:
            m.close()
    finally:
        if os.path.exists(img):
            os.remove(img)
