"""Whole-system tests: boot configurations, kernel self-tests, panics,
SMP, faults, and the native conformance program run as init."""
import re

from machine import Machine, check


def run_as_init(command, timeout=120, **kw):
    """Boots with init running command then powering off; returns
    (QEMU exit status, console output)."""
    m = Machine(append="-- " + command, timeout=timeout, **kw)
    try:
        status = m.wait_exit(timeout)
        return status, m.out
    finally:
        m.close()


def test_kernel_unit_tests_pass():
    m = Machine(append="ktest", timeout=60)
    try:
        status = m.wait_exit(60)
        check(re.search(r"ktest: \d+ passed, 0 failed", m.out), "ktest summary: " + m.out[-2000:])
        check(status == 0, "ktest exit status %d" % status)
    finally:
        m.close()


def test_native_conformance_program():
    status, out = run_as_init("/system/scarlet/bin/sctest", timeout=180)
    check(re.search(r"sctest: \d+ passed, 0 failed", out), "sctest: " + out[-3000:])
    check(status == 0, "sctest exit status %d" % status)


def test_panic_prints_symbolized_backtrace():
    m = Machine(append="panic-test", timeout=30)
    try:
        status = m.wait_exit(30)
        check("kernel panic" in m.out and "backtrace:" in m.out, "no panic report: " + m.out[-1500:])
        check(re.search(r"kmain\+0x[0-9a-f]+", m.out), "backtrace not symbolized: " + m.out[-1500:])
        check(status != 0, "a panic must make QEMU fail")
    finally:
        m.close()


def panic_report(kind):
    """Boots with panic-test=kind (kernel/arch/riscv64/panic_test.c) and a
    2 s watchdog; returns the console output once QEMU has exited."""
    m = Machine(append="watchdog=2 panic-test=" + kind, timeout=40)
    try:
        status = m.wait_exit(40)
        check(status != 0, "a panic must make QEMU fail: " + m.out[-1500:])
        return m.out
    finally:
        m.close()


def test_trap_vector_faults_are_reported():
    # a fault inside the trap vector (here its frame store) used to trap
    # again forever without a word
    out = panic_report("trap-nested")
    check("exception inside the trap vector" in out, "nested trap: " + out[-1500:])
    check(re.search(r"cause f \(store page fault\) sepc [0-9a-f]+ \(trap_vector\+0x[0-9a-f]+\)"
                    r" stval ffffffd0", out), "cause/sepc/stval: " + out[-1500:])
    check(re.search(r"satp 8[0-9a-f]{15} sp ffffffd0", out), "satp/sp: " + out[-1500:])
    out = panic_report("trap-stack")
    check("no room for its frame (stack overflow or bad sp)" in out, "bad sp: " + out[-1500:])
    check(re.search(r"cause 3 \(breakpoint\) sepc [0-9a-f]+ \(panic_test_run\+", out),
          "cause/sepc: " + out[-1500:])
    # an ordinary kernel fault gives the same report
    out = panic_report("kernel-fault")
    check("unexpected exception in kernel mode" in out, "kernel fault: " + out[-1500:])
    check(re.search(r"cause d \(load page fault\) sepc [0-9a-f]+ \(panic_test_run\+0x[0-9a-f]+\)"
                    r" stval ffffffd000000000", out), "cause/sepc/stval: " + out[-1500:])
    check(re.search(r"satp 8[0-9a-f]{15} sp ffffffc0", out), "satp/sp: " + out[-1500:])


def test_watchdog_reports_a_hart_in_a_trap_loop():
    # hart 1 switches to an empty page table, as on a freed one: it cannot
    # fetch even the trap vector, so hart 0 must tell
    out = panic_report("stuck-hart")
    check(re.search(r"watchdog: cpu 1 took no timer interrupt for \d+ ms", out),
          "no watchdog report: " + out[-1500:])
    check(re.search(r"cpu 1 \(hart \d+\): NOT RESPONDING, .* satp 8[0-9a-f]{15}, "
                    r"task \d+ \(stuck-hart\)", out), "stuck hart's state: " + out[-1500:])


def test_watchdog_reports_a_spinlock_lockup():
    out = panic_report("lockup")
    check(re.search(r"watchdog: spinlock 'panic-test' held by cpu 1 for \d+ ms", out),
          "no lockup report: " + out[-1500:])
    check(re.search(r"cpu 1 \(hart \d+\): stopped for the report", out),
          "the other hart was not stopped: " + out[-1500:])
    check(re.search(r"spin_lock\+0x[0-9a-f]+\n.*panic_test_run\+", out),
          "backtrace of the waiting hart: " + out[-1500:])


def boots_with(smp, mem, expect_mib):
    m = Machine(smp=smp, mem=mem, timeout=60)
    try:
        m.expect(r"smp: %d harts" % smp, 30)
        m.boot_to_shell()
        total = int(re.search(r"Mem:\s+(\d+)", m.run("free")).group(1))
        check(abs(total / 1024 - expect_mib) < expect_mib * 0.05 + 8,
              "free shows %d KiB for -m %s" % (total, mem))
        check("Hello, world!" in m.run("hello"), "hello failed")
    finally:
        m.close()


def test_boots_with_128M_and_one_hart():
    boots_with(1, "128M", 128)


def test_boots_with_4G_and_four_harts():
    boots_with(4, "4G", 4096)


def test_boots_with_1G_and_three_harts():
    boots_with(3, "1G", 1024)


def spin_cpu_shares(m):
    """Runs two 1-second spinners at once; returns each one's time on a
    CPU as a fraction of its wall time."""
    out = m.run("spin 1 > /tmp/a & spin 1 > /tmp/b; wait; cat /tmp/a /tmp/b", timeout=15)
    got = re.findall(r"in (\d+) ms, (\d+) ms on a cpu", out)
    check(len(got) == 2, "two spin results expected: %r" % out)
    return [int(cpu) / max(int(wall), 1) for wall, cpu in got]


def test_two_cpu_bound_programs_run_in_parallel():
    # On one hart the two spinners would share it and get about half of
    # their wall time each.  Time on a CPU is the kernel's count (from the
    # guest's clock), so a host that starves a vCPU thread does not lower
    # it; a starved vCPU can still delay the balancing, so it is retried.
    m = Machine(smp=2, timeout=90)
    try:
        m.boot_to_shell()
        results = []
        for attempt in range(3):
            shares = spin_cpu_shares(m)
            results.append(shares)
            if min(shares) > 0.75:
                return
        check(False, "not parallel (cpu time / wall time of each spinner): %r" % results)
    finally:
        m.close()


def test_user_faults_are_reported_and_contained():
    m = Machine(timeout=90)
    try:
        m.boot_to_shell()
        out = m.run("crash -w")
        check(re.search(r"pid \d+ \(crash\): page fault \(write\) at 0x", out), "write to text: %r" % out)
        out = m.run("crash -i")
        check(re.search(r"pid \d+ \(crash\): illegal instruction at pc 0x", out), "illegal insn: %r" % out)
        check(m.status() == 128 + 4, "SIGILL status")
        out = m.run("crash -s", timeout=60)
        check(re.search(r"pid \d+ \(crash\): page fault \(stack overflow\)", out), "stack overflow: %r" % out)
        check("Hello, world!" in m.run("hello"), "shell died")
    finally:
        m.close()


def test_boot_time_is_reported():
    m = Machine(timeout=30)
    try:
        t = float(m.expect(r"boot: \S+ started at (\d+\.\d+) s").group(1))
        check(t < 1.0, "boot took %.3f s of emulated time" % t)
    finally:
        m.close()


def test_init_reaps_orphans():
    m = Machine(timeout=30)
    try:
        m.boot_to_shell()
        m.run("sh -c 'sleep 1 &'")
        m.run("sleep 2")
        ps = m.run("ps")
        check(" Z " not in ps, "zombie left behind: %r" % ps)
    finally:
        m.close()


def test_threads_share_memory_on_several_harts():
    for smp in (2, 4):
        m = Machine(smp=smp, timeout=60)
        try:
            m.boot_to_shell()
            out = m.run("threads 8 50000", timeout=30)
            check("threads: ok (8 threads, counter 400000)" in out, "-smp %d: %r" % (smp, out))
        finally:
            m.close()


def test_raw_mode_delivers_each_byte_without_echo():
    m = Machine(timeout=30)
    try:
        m.boot_to_shell()
        m.send("readkey 4\r")
        m.expect(r"ready\n")
        m.send("a\x03b\x7f")
        out = m.expect(r"([0-9a-f ]+)\n").group(1)
        check(out == "61 03 62 7f", "raw bytes: %r" % out)
        m.wait_prompt()
        check(m.run("echo back").strip() == "back", "cooked mode not restored")
    finally:
        m.close()
