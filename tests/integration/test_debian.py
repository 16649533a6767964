"""The Debian 13 riscv64 root (tools/debian-root.sh, docs/debian-root.md):
booted with build/debian-root.img attached read-only, init mounts it on
/system/linux-riscv64 (found by its label), and `linux` at the native
shell enters Debian's bash as a login shell.  Unmodified Debian programs
run there: coreutils, procps, perl, python3; and a pipeline crosses three
ABIs with Debian's grep in the middle.  Skipped (passes with a note) when
the image has not been built (`make debian-root`)."""
import os
import re

from machine import BUILD, Machine, check
from test_data_disk import disk_args, make_data_disk

IMAGE = os.path.join(BUILD, "debian-root.img")
# PS1 of Debian's /etc/bash.bashrc, for root; bash turns bracketed paste
# on before the prompt and off after the line is read
BASH_PROMPT = r"^(?:\x1b\[\?2004[hl])*root@scarlet:([^\n]*)# $"
KERNEL_LOG = re.compile(r"^(linux|abi): .*\n", re.M)
PASTE_MODE = re.compile(r"\x1b\[\?2004[hl]")


def debian_args(data_img):
    """The Debian image first: QEMU names the first -device last, so the
    data disk stays vda."""
    return ["-drive", "file=%s,format=raw,if=none,id=debian,readonly=on" % IMAGE,
            "-device", "virtio-blk-device,drive=debian", *disk_args(data_img)]


def bash_run(m, command, timeout=30):
    """Types command at bash's prompt; returns what it printed, without
    the kernel's log lines of missing system calls."""
    m.send(command + "\r")
    m.expect(re.escape(command) + "\n", timeout)
    start = m.pos
    m.expect(BASH_PROMPT, timeout)
    text = PASTE_MODE.sub("", m.out[start:m.pos])
    text = text[:text.rindex("root@scarlet:")]
    return KERNEL_LOG.sub("", text)


def test_debian_root_bash_and_programs():
    if not os.path.exists(IMAGE):
        print("     (skipped: no %s; `make debian-root` builds it)" % IMAGE)
        return
    img = make_data_disk("debian")
    m = Machine(timeout=240, extra_args=debian_args(img))
    try:
        m.boot_to_shell()
        mounts = m.run("cat /proc/mounts")
        check(re.search(r"^/dev/vd. /system/linux-riscv64 ext2 ro", mounts, re.M),
              "the Debian image is not on /system/linux-riscv64: %r" % mounts)
        # a native pipeline naming a Debian program by its global path
        out = m.run("cat /etc/passwd | /system/linux-riscv64/usr/bin/grep -c root"
                    " | /system/xv6-riscv64/wc")
        check(KERNEL_LOG.sub("", out).split() == ["1", "1", "2"],
              "native cat | Debian grep | xv6 wc: %r" % out)
        out = m.run("/system/xv6-riscv64/cat /scarlet/etc/fstab | /system/linux-riscv64/usr/bin/sort")
        lines = [l for l in KERNEL_LOG.sub("", out).split("\n") if l]
        check(len(lines) >= 4 and lines == sorted(lines, key=lambda l: l.encode()),
              "xv6 cat | Debian sort: %r" % out)

        m.send("linux\r")
        m.expect(r"linux\n")
        m.expect(BASH_PROMPT, 60)
        check(bash_run(m, "echo $BASH_VERSION").startswith("5."), "Debian's bash")
        check(bash_run(m, "shopt -q login_shell && echo login").strip() == "login",
              "a login shell")
        check(bash_run(m, "echo $HOME $USER $LANG").split() == ["/root", "root", "C.UTF-8"],
              "HOME, USER, LANG")
        path = bash_run(m, "echo $PATH").strip()
        check("/usr/bin" in path and "/usr/sbin" in path, "PATH from /etc/profile: %r" % path)
        bash_run(m, "cd")
        check(bash_run(m, "pwd").strip() == "/root", "cd goes to HOME")
        osr = bash_run(m, "cat /etc/os-release")
        check('VERSION_ID="13"' in osr and "ID=debian" in osr, "os-release: %r" % osr)
        names = bash_run(m, "ls -la / | cat")
        for n in ("bin -> usr/bin", " usr", " etc", " scarlet", " root", " proc"):
            check(n in names, "ls -la / lacks %r: %r" % (n, names))
        check(bash_run(m, "id").strip() == "uid=0(root) gid=0(root) groups=0(root)", "id")
        uname = bash_run(m, "uname -a")
        check(uname.startswith("Linux scarlet ") and "riscv64" in uname, "uname -a: %r" % uname)
        ps = bash_run(m, "ps aux")
        check(ps.startswith("USER ") and re.search(r"^root +\d+ .* ps aux$", ps, re.M),
              "ps aux: %r" % ps)
        check(bash_run(m, "perl -e 'print 1+1, qq(\\n)'").strip() == "2", "perl -e")
        check(bash_run(m, "python3 -c 'print(2**10)'").strip() == "1024", "python3 -c")
        out = bash_run(m, "printf 'b\\na\\nc\\n' | sort | tr -d '\\n'; echo")
        check(out.strip() == "abc", "sort | tr: %r" % out)
        out = bash_run(m, "echo hello | gawk '{ print toupper($0) }' | sed s/L/l/")
        check(out.strip() == "HElLO", "gawk | sed: %r" % out)
        # written through the overlay to the data disk, seen natively
        bash_run(m, "echo from-debian > /etc/scarlet-test")
        m.send("exit\r")
        m.expect(r"exit\n")
        m.wait_prompt()
        out = m.run("cat /data/config/linux-riscv64/etc/scarlet-test")
        check(out.strip() == "from-debian", "the overlay upper on the data disk: %r" % out)
    finally:
        m.close()
        os.unlink(img)


THREADS_C = r"""#include <pthread.h>
#include <stdio.h>
static void *twice(void *a) { return (void *)(2 * (long)a); }
int main(void)
{
	pthread_t t[4];
	long sum = 0;
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, twice, (void *)(i + 1));
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	printf("threads %ld\n", sum);
	return 0;
}
"""


def test_debian_root_gcc_make_git():
    """Debian's gcc 14 compiles and links a threaded C program inside
    Scarlet, make builds a small project, git commits in /home."""
    if not os.path.exists(IMAGE):
        print("     (skipped: no %s; `make debian-root` builds it)" % IMAGE)
        return
    img = make_data_disk("debiandev")
    m = Machine(timeout=240, extra_args=debian_args(img))
    try:
        m.boot_to_shell()
        # the source goes in from the native shell (bash's line editing
        # would meet the tabs and braces)
        m.run("mkdir /home/proj")
        for i, line in enumerate(THREADS_C.splitlines()):
            m.run("echo '%s' >%s /home/proj/threads.c" % (line, ">" if i else ""))
        m.send("linux\r")
        m.expect(r"linux\n")
        m.expect(BASH_PROMPT, 60)
        bash_run(m, "cd /home/proj")
        out = bash_run(m, "gcc -O2 -pthread -o threads threads.c && ./threads", timeout=120)
        check(out.strip() == "threads 20", "gcc, threads: %r" % out)
        bash_run(m, "printf 'all: hello\\nhello: hello.c\\n\\tgcc -o hello hello.c\\n' > Makefile")
        bash_run(m, "echo 'int main(void) { return 3; }' > hello.c")
        out = bash_run(m, "make && ./hello; echo status=$?", timeout=120)
        check("gcc -o hello hello.c" in out and "status=3" in out, "make: %r" % out)
        bash_run(m, "git init -q . && git add hello.c Makefile")
        bash_run(m, "git -c user.name=S -c user.email=s@scarlet commit -qm first")
        out = bash_run(m, "git --no-pager log --format=%s; git status --short Makefile hello.c | wc -l")
        check(out.split() == ["first", "0"], "git log, status: %r" % out)
    finally:
        m.close()
        os.unlink(img)


def test_debian_root_dpkg_configure():
    """The packages are unpacked on the host with a dpkg database that
    says "install ok unpacked"; inside Scarlet `dpkg --configure -a`
    runs every maintainer script (debconf, update-alternatives, shadow's
    pwconv/grpconv, python's byte-compiling, ldconfig) and leaves every
    package installed: `dpkg --audit` is empty.  (About 2 minutes.)"""
    if not os.path.exists(IMAGE):
        print("     (skipped: no %s; `make debian-root` builds it)" % IMAGE)
        return
    img = make_data_disk("dpkgcfg")
    m = Machine(timeout=600, extra_args=debian_args(img))
    try:
        m.boot_to_shell()
        m.send("linux\r")
        m.expect(r"linux\n")
        m.expect(BASH_PROMPT, 60)
        total = bash_run(m, "grep -c ^Package: /var/lib/dpkg/status").strip()
        check(total.isdigit() and int(total) > 100, "packages in the status: %r" % total)
        out = bash_run(m, "DEBIAN_FRONTEND=noninteractive dpkg --configure -a >/tmp/cfg.log 2>&1;"
                       " echo CONFIGURE=$?", timeout=540)
        log = bash_run(m, "tail -20 /tmp/cfg.log")
        check("CONFIGURE=0" in out, "dpkg --configure -a failed: %r\n%s" % (out, log))
        check(bash_run(m, "dpkg --audit").strip() == "", "dpkg --audit not empty")
        check(bash_run(m, "dpkg -l | grep -c ^ii").strip() == total,
              "not all %s packages installed" % total)
        # what maintainer scripts made: shadow passwords, alternatives
        check(bash_run(m, "ls /etc/shadow /etc/alternatives/vi").split()
              == ["/etc/alternatives/vi", "/etc/shadow"], "postinst results")
        out = bash_run(m, "readlink -f /usr/bin/vi /usr/bin/awk").split()
        check(out == ["/usr/bin/vim.tiny", "/usr/bin/gawk"], "alternatives: %r" % out)
    finally:
        m.close()
        os.unlink(img)
