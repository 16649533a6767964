"""BusyBox ash at the console, entered with the native `linux` command:
its prompt from the Linux tree's /etc/profile, commands, `exit` back to
the native shell, vi in raw mode, and ash's job control (Ctrl-Z, jobs,
bg, fg, kill %1).  The key sequences and the replies expected here are
those of the same BusyBox on a Linux terminal."""
import re
import time

from machine import Machine, check

# PS1='\u@\h:\w\$ ' from /system/linux-riscv64/etc/profile, as root
ASH_PROMPT = r"root@scarlet:([^\n]*)# $"
# the kernel's log of a missing system call, on the same console
KERNEL_LOG = re.compile(r"^linux: unimplemented syscall .*\n", re.M)


def clean(out):
    """out without the kernel's lines: a program that copes with a
    missing call is judged on what it printed."""
    return KERNEL_LOG.sub("", out)


def enter_ash(m):
    """From the native shell into ash with `linux`."""
    m.boot_to_shell()
    m.send("linux\r")
    m.expect(r"linux\n")
    m.expect(ASH_PROMPT)


def ash_run(m, command, timeout=20):
    """Types command at ash's prompt; returns what it printed.  Commands
    stay short: ash redraws lines longer than the terminal."""
    m.send(command + "\r")
    m.expect(re.escape(command) + "\n", timeout)
    start = m.pos
    m.expect(ASH_PROMPT, timeout)
    return clean(m.out[start:m.out.rindex("root@scarlet:", start, m.pos)])


def leave_ash(m):
    m.send("exit\r")
    m.expect(r"exit\n")
    m.wait_prompt()
    check(m.run("echo native $?").strip() == "native 0", "back in the native shell")


def test_linux_command_enters_ash_and_exit_returns():
    m = Machine(timeout=90)
    try:
        enter_ash(m)
        check(ash_run(m, "echo $((6 * 7))").strip() == "42", "arithmetic in ash")
        check(ash_run(m, "echo $PATH").strip() == "/usr/sbin:/usr/bin:/sbin:/bin", "PATH from /etc/profile")
        m.send("cd /tmp\r")
        check(m.expect(ASH_PROMPT).group(1) == "/tmp", "the prompt follows cd")
        check(ash_run(m, "pwd").strip() == "/tmp", "pwd")
        names = ash_run(m, "ls / | cat").split()  # a terminal would get colours
        check("bin" in names and "scarlet" in names and "etc" in names, "the Linux root: %r" % names)
        check(ash_run(m, "cat /etc/hostname").strip() == "scarlet", "the Linux tree's /etc")
        out = ash_run(m, "echo a b c | wc -w")
        check(out.strip() == "3", "a pipeline of applets: %r" % out)
        # foreground pipelines, each handed the terminal by ash after its
        # first process may have exited (its group must still exist)
        ash_run(m, "f() { echo a b c | wc -w; }")
        out = ash_run(m, "for i in $(seq 100); do f; done >/tmp/o")
        check("process group" not in out, "ash lost the terminal: %r" % out)
        check(ash_run(m, "uniq -c /tmp/o").split() == ["100", "3"], "100 pipelines")
        check(ash_run(m, "id -un").strip() == "root", "uid 0 is root in /etc/passwd")
        ash_run(m, "echo from-ash > /tmp/ash-made")
        leave_ash(m)
        check(m.run("cat /tmp/ash-made").strip() == "from-ash", "the native shell sees /tmp from ash")
    finally:
        m.close()


def test_linux_command_runs_a_command_line():
    m = Machine(timeout=90)
    try:
        m.boot_to_shell()
        check(clean(m.run("linux echo one two")).strip() == "one two", "linux echo")
        out = clean(m.run("linux 'echo $((2 + 3)) | sed s/5/five/'"))
        check(out.strip() == "five", "a quoted pipeline goes to sh -c: %r" % out)
        m.run("linux exit 3")
        check(m.status() == 3, "the command's exit status comes back")
        out = clean(m.run("linux cat /etc/shells"))
        check("/bin/sh" in out.split(), "linux cat /etc/shells: %r" % out)
        check(m.run("echo still native").strip() == "still native", "the native shell goes on")
    finally:
        m.close()


def test_vi_in_raw_mode_writes_a_file():
    m = Machine(timeout=120)
    try:
        enter_ash(m)
        m.send("vi /tmp/f\r")
        m.expect(r"vi /tmp/f\n")
        m.expect(r"/tmp/f")  # vi's status line: it is up and in raw mode
        m.send("ihello")
        m.expect(r"hello")
        # Esc alone, then a pause: vi reads Esc followed at once by more
        # bytes as an escape sequence
        m.send("\x1b")
        m.expect(r"\[Modified\]")
        m.send(":wq\r")
        m.expect(r"'/tmp/f' 1L, 6C")
        m.expect(ASH_PROMPT)
        check(ash_run(m, "cat /tmp/f") == "hello\n", "the file holds hello")
        check(ash_run(m, "wc -c < /tmp/f").strip() == "6", "6 bytes")
        leave_ash(m)
    finally:
        m.close()


def test_ash_job_control_stop_bg_fg_kill():
    m = Machine(timeout=120)
    try:
        enter_ash(m)
        m.send("sleep 100\r")
        m.expect(r"sleep 100\n")
        # nothing shows when ash has made sleep the terminal's foreground
        # group; a Ctrl-Z before that would go to ash, which ignores it
        time.sleep(1)
        m.send("\x1a")  # Ctrl-Z: the terminal stops the foreground job
        m.expect(r"\[1\]\+\s+Stopped\s+sleep 100\n")
        m.expect(ASH_PROMPT)
        check(re.search(r"\[1\]\+\s+Stopped\s+sleep 100", ash_run(m, "jobs")), "jobs: stopped")
        check(ash_run(m, "bg").strip() == "[1] sleep 100", "bg")
        check(re.search(r"\[1\]\+\s+Running\s+sleep 100", ash_run(m, "jobs")), "jobs: running")
        m.send("fg\r")
        m.expect(r"fg\nsleep 100\n")
        time.sleep(1)
        m.send("\x1a")
        m.expect(r"\[1\]\+\s+Stopped\s+sleep 100\n")
        m.expect(ASH_PROMPT)
        # ash's kill sends SIGTERM only; a stopped job would keep it
        # pending, so the job runs again first
        ash_run(m, "bg")
        ash_run(m, "kill %1")
        out = ash_run(m, "sleep 0.2; jobs")
        check(re.search(r"\[1\]\+\s+Terminated\s+sleep 100", out), "kill %%1 ends it: %r" % out)
        check(ash_run(m, "jobs").strip() == "", "no jobs left")
        leave_ash(m)
    finally:
        m.close()
