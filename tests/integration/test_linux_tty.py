"""The terminal seen by a Linux program on the console, typed at like a
person would: raw mode byte by byte, canonical editing and its echo,
Ctrl-Z stopping the foreground job and fg continuing it, Ctrl-\\
quitting, a background reader stopped by SIGTTIN.  tests/linux/t_tty.c
covers what a program can check on its own terminal; this covers keys,
the screen and job control.  The program is tests/linux/ttyprobe.c."""
import re
import time

from machine import Machine, check

PROBE = "/system/linux-riscv64/tests/ttyprobe"


def session():
    m = Machine(timeout=60)
    m.boot_to_shell()
    return m


def start(m, mode):
    m.send("%s %s\r" % (PROBE, mode))
    m.expect(r"ready\n")


def test_linux_raw_mode_reads_each_byte():
    m = session()
    try:
        start(m, "raw")
        m.send("a\x03\r\x1a\x7f")
        out = m.expect(r"((?:got [0-9a-f]{2}\n){5})").group(1)
        check(out.split() == ["got", "61", "got", "03", "got", "0d", "got", "1a", "got", "7f"],
              "raw bytes: %r" % out)
        m.send("q")
        m.expect(r"got 71\nrestored\n")
        m.wait_prompt()
        check(m.status() == 0, "ttyprobe raw failed")
        check(m.run("echo back").strip() == "back", "cooked mode not restored")
    finally:
        m.close()


def test_linux_canonical_editing_and_echo():
    m = session()
    try:
        start(m, "line")
        # word erase, erase, a control character (not Ctrl-A: QEMU's
        # escape key), Enter as CR
        m.send("hello wor\x17\x7fX\x02\r")
        echo = m.expect(r"hello wor(.*?)\n").group(1)
        check(echo == "\b \b" * 4 + "X^B", "echo of the editing: %r" % echo)
        line = m.expect(r"line=(.*)\n").group(1)
        check(line == "helloX<02><0a>", "line read: %r" % line)
        m.wait_prompt()
    finally:
        m.close()


def test_ctrl_z_stops_linux_job_and_fg_continues_it():
    m = session()
    try:
        start(m, "keys")
        m.send("a")
        m.expect(r"got 61\n")
        m.send("\x1a")
        pid = m.expect(r"\[(\d+)\] Stopped\n").group(1)
        m.wait_prompt()
        check(m.status() == 128 + 20, "status of a stopped job is not 148")
        ps = m.run("ps")
        check(re.search(r"^\s*%s\s+\d+\s+T\s" % pid, ps, re.M), "not stopped in ps:\n" + ps)
        m.send("fg\r")
        time.sleep(0.3)
        m.send("b")
        m.expect(r"got 62\n")
        m.send("q")
        m.expect(r"got 71\nrestored\n")
        m.wait_prompt()
        check(m.status() == 0, "ttyprobe keys failed after fg")
    finally:
        m.close()


def test_ctrl_backslash_quits_linux_program():
    m = session()
    try:
        start(m, "keys")
        m.send("\x1c")
        m.wait_prompt()
        check(m.status() == 128 + 3, "Ctrl-\\ did not end the program with SIGQUIT")
        check(m.run("echo alive").strip() == "alive", "shell did not survive Ctrl-\\")
    finally:
        m.close()


def test_background_reader_is_stopped_by_sigttin():
    m = session()
    try:
        m.send("%s bgread &\r" % PROBE)
        m.wait_prompt()
        time.sleep(0.5)
        ps = m.run("ps")
        found = re.search(r"^\s*(\d+)\s+\d+\s+(\S)\s+linux\S*\s+\S+\s+ttyprobe", ps, re.M)
        check(found, "no ttyprobe in ps:\n" + ps)
        check(found.group(2) == "T", "background reader not stopped:\n" + ps)
        # the shell still reads its own input
        check(m.run("echo still here").strip() == "still here", "shell lost the terminal")
        m.run("kill -9 %s" % found.group(1))
        m.run("wait")
    finally:
        m.close()
