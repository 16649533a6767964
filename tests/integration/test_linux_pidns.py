"""PID namespaces with BusyBox's own unshare: `unshare -p -f --mount-proc`
runs a shell as pid 1 of a new namespace with a procfs of its own (mounted
nosuid,nodev,noexec), where ps sees only the namespace's processes; when
that init ends, what it left running in the namespace is killed with it.
The commands run in the Linux tree's BusyBox sh, started from the native
shell (t_pidns covers the system calls themselves)."""
import re

from machine import Machine, check

LINUX_SH = "/system/linux-riscv64/bin/sh -c 'export PATH=/bin:/usr/bin:/sbin:/usr/sbin; %s'"


def linux(m, command, timeout=30):
    return m.run(LINUX_SH % command, timeout=timeout).replace("\r", "")


def pids_listed(ps_output):
    """The PID column of ps's lines (the header left out)."""
    return [int(l.split()[0]) for l in ps_output.splitlines()
            if re.match(r"^\s*\d+\s", l)]


def test_linux_pidns_unshare_mount_proc_ps():
    m = Machine(timeout=120)
    try:
        m.boot_to_shell()
        # the whole system's ps lists init, the native shell, ps...
        everyone = pids_listed(linux(m, "ps"))
        check(len(everyone) >= 3, "outer ps lists: %s" % everyone)
        out = linux(m, 'unshare -p -f --mount-proc sh -c "echo pid=\\$\\$; ps"; echo rc=$?')
        check("pid=1\n" in out, "the shell is not pid 1:\n" + out)
        check("rc=0" in out, "unshare failed:\n" + out)
        # sh runs its last command in its own place: ps is pid 1, alone
        check(pids_listed(out) == [1], "ps in the namespace lists:\n" + out)
        out = linux(m, 'unshare -p -f --mount-proc sh -c '
                    '"sleep 60 & sleep 61 & ps -o pid,ppid,comm; grep -c . /proc/self/status; '
                    'grep nosuid,nodev,noexec /proc/mounts"')
        check(pids_listed(out)[:3] == [1, 2, 3], "ps -o pid,ppid,comm:\n" + out)
        check(re.search(r"^\s*2\s+1\s+sleep$", out, re.M), "sleep's parent is not 1:\n" + out)
        check("proc /proc proc rw,nosuid,nodev,noexec" in out, "/proc's flags:\n" + out)
        # the init (ps) ended: its namespace went with it, sleeps and all
        left = linux(m, "ps -o pid,args | grep -c \"[s]leep 6[01]\"")
        check(left.strip() == "0", "sleeps outlived their namespace's init:\n" + left)
        # and the outer shell's namespace is the initial one still
        out = linux(m, "readlink /proc/self/ns/pid")
        check("pid:[4026531836]" in out, "outer pid namespace: " + out)
    finally:
        m.close()
