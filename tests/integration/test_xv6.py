"""The xv6-riscv64 ABI: our xv6 userland (user-xv6/) on Scarlet.  The
conformance program xv6test as init, the xv6 shell driven from the native
one, and pipelines that cross between native and xv6 programs."""
import os
import re

from machine import Machine, check
from test_data_disk import disk_args, make_data_disk
from test_system import run_as_init

XV6 = "/system/xv6-riscv64"


def test_xv6_conformance_program():
    status, out = run_as_init(XV6 + "/xv6test", timeout=240)
    fails = "\n".join(re.findall(r"^FAIL .*$", out, re.M))
    check(re.search(r"xv6test: \d+ passed, 0 failed", out), "xv6test:\n" + (fails or out[-3000:]))
    check(status == 0, "xv6test exit status %d" % status)


def test_xv6_create_race_on_a_data_disk():
    # Upstream grind's "create c failed": two processes unlinking and
    # creating one name in the root, an overlay on ext2 here.  The overlay
    # looked the new name up after releasing its lock, so the other
    # process could remove it first and open(O_CREATE) failed (4 runs of
    # 5 before the fix).
    img = make_data_disk("xv6race")
    try:
        status, out = run_as_init(XV6 + "/xv6test create_race", timeout=120,
                                  extra_args=disk_args(img))
        check("ok create_race" in out, "create_race: " + out[-1500:])
        check(status == 0, "xv6test exit status %d" % status)
    finally:
        os.remove(img)


def test_xv6_program_as_init_gets_its_arguments():
    status, out = run_as_init(XV6 + "/echo one two three", timeout=60)
    check("one two three\n" in out, "echo's arguments: " + out[-800:])
    check(status == 0, "echo exit status %d" % status)


def test_xv6_init_runs_and_respawns_the_shell():
    m = Machine(append="-- " + XV6 + "/init", timeout=60)
    try:
        m.expect(r"init: starting sh")
        m.wait_prompt()
        check(m.run("echo hi | wc").split() == ["1", "1", "3"], "a pipeline under xv6 init")
        check(re.search(r"^console\s+3\s", m.run("ls /"), re.M), "init made /console")
        m.send("exit\r")
        m.expect(r"init: starting sh")
        m.wait_prompt()
        check(m.run("echo again").strip() == "again", "the respawned shell works")
    finally:
        m.close()


def xv6_shell(m):
    """Enters the xv6 shell with the native `xv6` command; waits for its
    prompt."""
    m.boot_to_shell()
    m.send("xv6\r")
    m.expect(r"xv6\n")
    m.wait_prompt()


def leave_xv6_shell(m):
    m.send("exit\r")
    m.expect(r"exit\n")
    m.wait_prompt()
    check(m.run("echo native $?").strip() == "native 0", "back in the native shell")


def test_xv6_shell_pipes_and_redirections():
    m = Machine(timeout=90)
    try:
        xv6_shell(m)
        m.run("echo hello xv6 world > /tmp/x6")
        check(m.run("cat < /tmp/x6 | wc").split()[:3] == ["1", "3", "16"], "cat < f | wc")
        check(m.run("grep xv6 /tmp/x6").strip() == "hello xv6 world", "grep file")
        check(m.run("(echo a; echo b) | wc").split()[:3] == ["2", "2", "4"], "( ; ) | wc")
        m.run("echo more >> /tmp/x6")
        check(m.run("cat /tmp/x6 | grep '^m.*e$'").strip() == "more", "regex grep, >>")
        m.run("mkdir /tmp/x6d; echo in > /tmp/x6d/f; cd /tmp/x6d")
        check(re.search(r"^f\s+2\s+\d+\s+3$", m.run("ls"), re.M), "ls in a directory")
        check("no-such-cmd" in m.run("no-such-cmd"), "an unknown command is reported")
        check(m.run("echo still here").strip() == "still here", "the shell goes on")
        leave_xv6_shell(m)
    finally:
        m.close()


def test_xv6_shell_runs_a_script():
    m = Machine(timeout=90)
    try:
        m.boot_to_shell()
        m.run("echo 'echo one > /tmp/s6; echo two >> /tmp/s6' > /tmp/script6")
        m.run("echo 'cat /tmp/s6 | wc' >> /tmp/script6")
        out = m.run(XV6 + "/sh /tmp/script6")
        check(out.split()[:3] == ["2", "2", "8"], "script output: %r" % out)
        check("$ " not in out, "no prompt when running a script: %r" % out)
        out = m.run("echo 'echo piped in | cat' | " + XV6 + "/sh")
        check(out.strip() == "piped in", "commands on a pipe: %r" % out)
    finally:
        m.close()


def test_cross_abi_pipelines_from_the_native_shell():
    m = Machine(timeout=90)
    try:
        m.boot_to_shell()
        out = m.run("hello | " + XV6 + "/cat")
        check("Hello, world!" in out, "native | xv6 cat: %r" % out)
        out = m.run(XV6 + "/echo hi | wc -c")
        check(out.strip() == "3", "xv6 echo | native wc: %r" % out)
        out = m.run(XV6 + "/echo abc def | " + XV6 + "/grep d.f")
        check(out.strip() == "abc def", "xv6 | xv6 from native: %r" % out)
    finally:
        m.close()


def test_cross_abi_pipeline_from_the_xv6_shell():
    m = Machine(timeout=90)
    try:
        xv6_shell(m)
        # the xv6 environment: its own tree at /, the global one at /scarlet
        names = m.run("ls /").split()
        check("cat" in names and "scarlet" in names and "xv6test" in names, "xv6 root: %r" % names)
        out = m.run("/scarlet/system/scarlet/bin/hello | cat")
        check("Hello, world!" in out, "native hello | xv6 cat: %r" % out)
        check(re.search(r"PID = \d+", out) and re.search(r"PPID = \d+", out), "pids: %r" % out)
        out = m.run("echo a b c | /scarlet/system/scarlet/bin/wc -w")
        check(out.strip() == "3", "xv6 echo | native wc: %r" % out)
        leave_xv6_shell(m)
    finally:
        m.close()


def test_failed_cross_abi_exec_leaves_the_caller_intact():
    m = Machine(timeout=90)
    try:
        xv6_shell(m)
        out = m.run("/scarlet/system/scarlet/bin/no-such-program; echo after")
        check("after" in out, "the xv6 shell goes on: %r" % out)
        leave_xv6_shell(m)
        # More arguments than xv6's MAXARG: the xv6 side refuses the exec.
        m.run(XV6 + "/echo " + " ".join(["x"] * 40))
        check(m.status() != 0, "exec of xv6 echo with 40 arguments fails")
        check(m.run("echo ok").strip() == "ok", "the native shell goes on")
    finally:
        m.close()
