"""The interactive session of the issue's "done when": typing at the native
shell on the console."""
import re

from machine import Machine, check


def session(**kw):
    m = Machine(**kw)
    m.boot_to_shell()
    return m


def test_hello_prints_greeting_and_pids():
    m = session()
    try:
        out = m.run("hello")
        check("Hello, world!\n" in out, "no greeting: %r" % out)
        pid = re.search(r"^PID = (\d+)$", out, re.M)
        ppid = re.search(r"^PPID = (\d+)$", out, re.M)
        check(pid and ppid, "no PID/PPID lines: %r" % out)
        shell_pid = int(m.run("echo $$").strip())
        check(int(ppid.group(1)) == shell_pid, "PPID %s is not the shell %d" % (ppid.group(1), shell_pid))
        check(int(pid.group(1)) > shell_pid, "PID not after the shell's")
    finally:
        m.close()


def test_pipeline_of_three_programs():
    m = session()
    try:
        out = m.run("echo abc | cat | wc -c")
        check(out.strip() == "4", "wc -c gave %r" % out)
    finally:
        m.close()


def test_ls_long_lists_root():
    m = session()
    try:
        out = m.run("ls -l /")
        for name in ("bin", "dev", "etc", "home", "system", "tmp"):
            check(re.search(r"\s%s( ->.*)?$" % name, out, re.M), "%s missing from ls -l /: %r" % (name, out))
        check(re.search(r"^d[rwx-]{9}\s", out, re.M), "no directory mode string: %r" % out)
        check(re.search(r"^lrwxrwxrwx .* bin -> system/scarlet/bin$", out, re.M), "bin symlink: %r" % out)
    finally:
        m.close()


def test_background_job_returns_prompt_at_once():
    m = session()
    try:
        out = m.run("sleep 1 &", timeout=5)
        job = re.search(r"\[(\d+)\]", out)
        check(job, "no job pid printed: %r" % out)
        running = re.compile(r"^\s*%s\s" % job.group(1), re.M)
        check(running.search(m.run("ps")), "job not running in the background")
        m.run("wait", timeout=10)
        check(not running.search(m.run("ps")), "job still there after wait")
    finally:
        m.close()


def test_null_dereference_kills_only_that_program():
    m = session()
    try:
        out = m.run("crash")
        check(re.search(r"pid \d+ \(crash\): page fault \(read\) at 0 pc 0x", out), "no fault report: %r" % out)
        check(m.status() == 128 + 11, "status is not 139 (SIGSEGV)")
        check("Hello, world!" in m.run("hello"), "shell broken after the fault")
    finally:
        m.close()


def test_poweroff_exits_qemu_with_zero():
    m = session()
    try:
        m.send("poweroff\r")
        check(m.wait_exit() == 0, "QEMU exit status not 0")
    finally:
        m.close()


def test_ctrl_c_interrupts_foreground_program_not_shell():
    m = session()
    try:
        m.send("sleep 30\r")
        m.expect(r"sleep 30\n")
        import time
        time.sleep(0.5)
        m.send("\x03")
        m.expect(r"\^C\n")
        m.wait_prompt(timeout=5)
        check(m.status() == 130, "status after Ctrl-C is not 130")
        check("Hello, world!" in m.run("hello"), "shell did not survive Ctrl-C")
    finally:
        m.close()


def test_ctrl_d_ends_input():
    m = session()
    try:
        m.send("cat\r")
        m.expect(r"cat\n")
        m.send("line one\r")
        m.expect(r"line one\nline one\n")
        m.send("\x04")
        m.wait_prompt(timeout=5)
        check(m.status() == 0, "cat did not exit cleanly on Ctrl-D")
    finally:
        m.close()


def test_line_editing_backspace():
    m = session()
    try:
        m.send("echo abX\x7fc\r")
        m.expect(r"\nabc\n", timeout=5)
        m.wait_prompt()
    finally:
        m.close()


def test_redirections_and_conditionals():
    m = session()
    try:
        m.run("echo one > /tmp/f; echo two >> /tmp/f")
        check(m.run("cat < /tmp/f") == "one\ntwo\n", "redirection round trip")
        check(m.run("false && echo no || echo yes").strip() == "yes", "&& || chain")
        out = m.run("cat /nonexistent 2> /tmp/err; cat /tmp/err")
        check("No such file or directory" in out, "2> redirect: %r" % out)
        check(m.run("grep two /tmp/f").strip() == "two", "grep")
        check(m.run("X=42; echo $X").strip() == "42", "variables")
    finally:
        m.close()


def test_file_utilities_on_tmpfs():
    m = session()
    try:
        m.run("mkdir -p /tmp/a/b; echo data > /tmp/a/b/f; cp /tmp/a/b/f /tmp/g; mv /tmp/g /tmp/h; ln -s /tmp/h /tmp/l")
        check(m.run("cat /tmp/l").strip() == "data", "cp/mv/ln chain")
        m.run("rm -r /tmp/a")
        out = m.run("ls /tmp")
        check("a" not in out.split() and "h" in out.split(), "rm -r: %r" % out)
    finally:
        m.close()


def test_kill_terminates_background_job():
    m = session()
    try:
        out = m.run("sleep 30 &")
        pid = re.search(r"\[(\d+)\]", out).group(1)
        m.run("kill %s" % pid)
        m.run("wait", timeout=5)
        ps = m.run("ps")
        check(not re.search(r"^\s*%s\s" % pid, ps, re.M), "killed job still listed: %r" % ps)
    finally:
        m.close()
