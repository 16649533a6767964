"""The transparent executor: detection of native, xv6 and glibc binaries
without hints, abi-run overriding it, '#!' scripts, runtime delegation
through /data/config/runtimes, and pipelines crossing three ABIs."""
import re

from machine import Machine, check

GLIBC_HELLO = "/system/linux-riscv64/tests/hello"
XV6 = "/system/xv6-riscv64"


def shell():
    m = Machine(timeout=60)
    m.boot_to_shell()
    return m


def test_detection_picks_each_abi_without_hints():
    m = shell()
    try:
        m.run("echo '#!/system/scarlet/bin/sh' > /tmp/s; chmod 755 /tmp/s")
        out = m.run("abi-detect /bin/hello %s/cat %s /tmp/s" % (XV6, GLIBC_HELLO))
        check("/bin/hello: scarlet" in out, out)
        check("%s/cat: xv6-riscv64" % XV6 in out, out)
        check("%s: linux-riscv64" % GLIBC_HELLO in out, out)
        check("/tmp/s: script" in out, out)
    finally:
        m.close()


def test_abi_run_overrides_detection():
    m = shell()
    try:
        prog = "/system/scarlet/tests/xv6-echo-relocated"
        out = m.run("abi-detect " + prog)
        # no note, linked at 0x10000: nothing says xv6, and an ELF without
        # the Scarlet note is never native, so detection calls it Linux
        check(out.strip() == prog + ": linux-riscv64", "an unmarked binary is Linux: %r" % out)
        out = m.run("abi-run xv6-riscv64 %s overridden ok" % prog)
        check(out.strip() == "overridden ok", "xv6 echo under abi-run: %r" % out)
        out = m.run("abi-run no-such-abi /bin/hello")
        check("no such ABI" in out and m.status() == 127, out)
    finally:
        m.close()


def test_glibc_static_program_runs_with_arguments_and_status():
    m = shell()
    try:
        out = m.run(GLIBC_HELLO + " first second")
        check(re.search(r"Hello from glibc: argc=3 argv\[1\]=first pid=\d+", out), out)
        check(m.status() == 7, "exit status of the glibc program")
    finally:
        m.close()


def test_pipeline_across_three_abis():
    m = shell()
    try:
        # glibc (Linux ABI) | xv6 cat | native wc
        out = m.run("%s piped | %s/cat | wc -l" % (GLIBC_HELLO, XV6))
        check(out.strip() == "1", "three-ABI pipeline: %r" % out)
        out = m.run("%s piped | %s/cat" % (GLIBC_HELLO, XV6))
        check("argv[1]=piped" in out, out)
    finally:
        m.close()


def test_script_runs_its_interpreter_across_abis():
    m = shell()
    try:
        # a native-shell script, and one whose interpreter is xv6's sh
        m.run("echo '#!/system/scarlet/bin/sh' > /tmp/n.sh; echo 'echo native $1' >> /tmp/n.sh")
        m.run("echo '#!%s/sh' > /tmp/x.sh; echo 'echo from xv6 sh' >> /tmp/x.sh" % XV6)
        m.run("chmod 755 /tmp/n.sh /tmp/x.sh")
        check(m.run("/tmp/n.sh arg").strip() == "native arg", "native #! script")
        check(m.run("/tmp/x.sh").strip() == "from xv6 sh", "xv6 #! script")
        out = m.run("echo '#!/nonexistent' > /tmp/bad; chmod 755 /tmp/bad; /tmp/bad; echo $?")
        check(out.strip().endswith("127"), "missing interpreter: %r" % out)
    finally:
        m.close()


def test_runtime_registry_delegates_by_extension_and_magic():
    m = shell()
    try:
        m.run("mkdir -p /data/config")
        m.run("echo 'tst ext:.tst /system/scarlet/bin/testrt scarlet --fast' > /data/config/runtimes")
        m.run("echo 'mgc magic:234d4743 /system/scarlet/bin/testrt - --magic' >> "
              "/data/config/runtimes")
        m.run("echo 'print 42' > /tmp/prog.tst; chmod 755 /tmp/prog.tst")
        out = m.run("/tmp/prog.tst a b")
        check("testrt: argc=5 [--fast] [/tmp/prog.tst] [a] [b]" in out, out)
        check("starts with: print 42" in out, out)
        # magic bytes "#MGC" at offset 0, whatever the file is called
        m.run("echo '#MGC payload' > /tmp/data.bin; chmod 755 /tmp/data.bin")
        out = m.run("/tmp/data.bin x")
        check("testrt: argc=4 [--magic] [/tmp/data.bin] [x]" in out, out)
        out = m.run("abi-detect /tmp/data.bin")
        check("runtime /system/scarlet/bin/testrt" in out, out)
        # without a matching entry the same kind of file is no program
        m.run("echo '#XYZ payload' > /tmp/other.bin; chmod 755 /tmp/other.bin")
        out = m.run("abi-detect /tmp/other.bin")
        check("Exec format error" in out, "an unmatched non-ELF file is no program: %r" % out)
    finally:
        m.close()


def test_program_finds_itself_when_started_from_another_abi():
    """A Linux program started by a path of the caller's environment (the
    native /system/linux-riscv64/..., the xv6 shell's /scarlet/...) gets
    argv[0], AT_EXECFN and /proc/self/exe as its own environment names it,
    so it can re-exec itself; a script outside the shared directories gets
    its own path in the interpreter's terms."""
    m = shell()
    try:
        out = m.run("/system/linux-riscv64/tests/selfexec 2")
        want = "/scarlet/system/linux-riscv64/tests/selfexec"
        check(out.split("\n")[:3] == ["selfexec %d: ok %s" % (n, want) for n in (2, 1, 0)],
              "from the native shell: %r" % out)
        check(m.status() == 0, "selfexec status")
        m.run("echo '#!/system/linux-riscv64/bin/busybox sh' > /etc/where.sh; "
              "echo 'echo \"$0\"; [ -f \"$0\" ] && echo found' >> /etc/where.sh; "
              "chmod 755 /etc/where.sh")
        out = m.run("/etc/where.sh")
        check(out.split() == ["/scarlet/etc/where.sh", "found"], "script path: %r" % out)
        m.send("xv6\r")
        m.wait_prompt()
        out = m.run("/scarlet/system/linux-riscv64/tests/selfexec 1")
        check(out.split("\n")[:2] == ["selfexec %d: ok %s" % (n, want) for n in (1, 0)],
              "from the xv6 shell: %r" % out)
        m.send("exit\r")
        m.wait_prompt()
        m.send("linux\r")
        m.expect(r"root@scarlet:/# ")
        m.send("/scarlet/system/scarlet/bin/sh -c 'echo $0'\r")
        m.expect(r"\n(\S+)\nroot@scarlet:/# ")
        tail = m.out[m.out.rindex("echo $0'"):]
        check(tail.split("\n")[1] == "/system/scarlet/bin/sh", "Linux to native: %r" % tail)
    finally:
        m.close()
