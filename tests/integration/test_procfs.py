"""/proc from the native and xv6 sides: init mounts procfs on /proc, the
native shell's tools read it, `mount -t proc` makes another instance, and
the xv6 environment has its own /proc.  The Linux side is
tests/linux/t_procfs.c (test_linux.py)."""
import re

from machine import Machine, check
from test_xv6 import xv6_shell, leave_xv6_shell


def test_procfs_from_the_native_shell():
    m = Machine(timeout=90)
    try:
        m.boot_to_shell()
        names = m.run("ls /proc").split()
        for want in ("1", "self", "meminfo", "uptime", "cpuinfo", "mounts", "stat", "sys"):
            check(want in names, "ls /proc lacks %s: %r" % (want, names))

        info = m.run("cat /proc/meminfo")
        total = re.search(r"^MemTotal: +(\d+) kB$", info, re.M)
        free = re.search(r"^MemFree: +(\d+) kB$", info, re.M)
        check(total and free, "meminfo: " + info)
        # -m 512M, less the firmware and the kernel
        check(400000 < int(total.group(1)) <= 524288, "MemTotal: " + total.group(0))
        check(int(free.group(1)) < int(total.group(1)), "MemFree: " + free.group(0))

        status = m.run("cat /proc/1/status")
        check(re.search(r"^Name:\tinit$", status, re.M), "init's status: " + status)
        check(re.search(r"^PPid:\t0$", status, re.M), "init's parent: " + status)
        stat = m.run("cat /proc/1/stat")
        check(re.match(r"1 \(init\) [RS] 0 ", stat.strip()), "init's stat: " + stat)
        check(len(stat.split()) == 52, "stat has 52 fields: " + stat)

        # cat's own view: itself, its file descriptors, its program
        check(re.search(r"^Name:\tcat$", m.run("cat /proc/self/status"), re.M), "self")
        out = m.run("cat /proc/self/maps")
        check(re.search(r"r-xp .*/system/scarlet/bin/cat$", out, re.M), "maps: " + out)
        check(re.search(r"rw-p .*\[stack\]$", out, re.M), "maps stack: " + out)
        out = m.run("ls -l /proc/self/fd < /etc/motd")
        check("0 -> /etc/motd" in out and "1 -> /dev/console" in out, "fd links: " + out)
        check("exe -> /system/scarlet/bin/ls" in m.run("ls -l /proc/self/exe"), "exe")
        m.run("cd /tmp")
        check("cwd -> /tmp" in m.run("ls -l /proc/self/cwd"), "cwd")

        check("proc /proc proc rw 0 0" in m.run("cat /proc/mounts"), "/proc in mounts")
        up = m.run("cat /proc/uptime")
        check(re.match(r"^\d+\.\d\d \d+\.\d\d$", up.strip()), "uptime: " + up)
        cpus = m.run("cat /proc/cpuinfo")
        check(len(re.findall(r"^processor\t: \d+$", cpus, re.M)) == 2, "2 harts: " + cpus)
        check(re.search(r"^isa\t\t: rv64i", cpus, re.M), "isa: " + cpus)

        # another instance, by type name
        m.run("mkdir /tmp/p")
        m.run("mount -t proc proc /tmp/p")
        check(m.status() == 0, "mount -t proc failed")
        check("Name:\tcat" in m.run("cat /tmp/p/self/status"), "second procfs")
        m.run("umount /tmp/p")
        check(m.status() == 0, "umount of procfs failed")
        out = m.run("cat /tmp/p/meminfo")
        check("MemTotal" not in out, "still mounted: " + out)
    finally:
        m.close()


def test_procfs_in_the_xv6_environment():
    m = Machine(timeout=90)
    try:
        xv6_shell(m)
        out = m.run("cat /proc/self/status")
        check(re.search(r"^Name:\tcat$", out, re.M), "xv6 cat's status: " + out)
        check(re.search(r"^Scarlet-ABI:\txv6-riscv64$", out, re.M), "ABI: " + out)
        check("proc /proc proc" in m.run("cat /proc/mounts"), "xv6 /proc mount")
        leave_xv6_shell(m)
    finally:
        m.close()


def test_sysrq_trigger_dumps_tasks_with_their_kernel_frames():
    m = Machine(timeout=90)
    try:
        m.boot_to_shell()
        m.run("sleep 30 &")
        out = m.run("echo t > /proc/sysrq-trigger", timeout=15)
        check("sysrq: all tasks" in out, "no dump: " + out)
        # the sleeper waits in nanosleep, below the switch it is parked in
        sleeper = re.search(r"^task \d+ \(sleep\) tgid \d+ parent \d+: sleeping, signals pending 0 "
                            r"blocked 0, timed: wakes in (\d+) ms\n((?:  \S+ \S+\n)+)", out, re.M)
        check(sleeper, "sleep's entry: " + out)
        check(0 < int(sleeper.group(1)) <= 30000, "sleep's deadline: " + sleeper.group(0))
        frames = sleeper.group(2)
        check("sched_switch+" in frames and "sys_nanosleep+" in frames, "frames: " + frames)
        check(re.search(r"^task \d+ \(echo\) tgid \d+ parent \d+: running, .* on cpu \d$", out, re.M),
              "echo: " + out)
        out = m.run("echo w > /proc/sysrq-trigger", timeout=15)
        check("sysrq: tasks in uninterruptible sleep" in out, "w: " + out)
        check("(sleep)" not in out, "an interruptible sleep listed by w: " + out)
        out = m.run("cat /proc/sysrq-trigger")
        check("Invalid argument" in out, "read of a write-only file: " + out)
    finally:
        m.close()
