"""Long-running workloads driven through the native shell, and a watch
loop that tells a hang or a panic from progress.  Used by the SMP stress
regression test (test_smp_stress.py) and by `make stress`
(tools/stress.py).

A workload is started in the background at the shell prompt; watch()
then asks the shell to echo a token every few seconds (a hung kernel does
not answer), looks for a panic report on the console, and reads the
workload's progress counter (a workload whose counter stops moving is
stuck even if the shell still answers)."""
import re
import time

from machine import TestFailure

GRIND = "/system/xv6-riscv64/upstream/grind"
PANIC = re.compile(r"kernel panic")


class WorkloadFailure(TestFailure):
    """kind: 'hang' (no answer), 'stall' (no progress) or 'panic'."""

    def __init__(self, kind, seconds, message):
        super().__init__("%s after %.0f s: %s" % (kind, seconds, message))
        self.kind = kind
        self.seconds = seconds


_marks = [0]


def marked(m, command, timeout=30):
    """Output of command, found between two markers the shell prints.
    Written "@@"bN in the command, so the echo of the typed line does not
    match; nothing waits for the prompt or anchors on line starts, since
    under load the kernel's log lines break into the shell's lines."""
    _marks[0] += 1
    n = _marks[0]
    sep = " " if command.rstrip().endswith("&") else "; "  # "&;" is a syntax error
    m.send('echo "@@"b%d; %s%secho "@@"e%d\r' % (n, command, sep, n))
    m.expect(r"@@b%d\n" % n, timeout)
    start = m.pos
    m.expect(r"@@e%d" % n, timeout)
    return m.out[start:m.pos - len("@@e%d" % n)]


def probe(m, timeout):
    """True when the shell answers within timeout seconds."""
    try:
        marked(m, "true", timeout)
        return True
    except TestFailure:
        return False


def watch(m, seconds, progress, every=10, answer_timeout=30, stall_seconds=120):
    """Watches a running workload for seconds; progress(m, timeout)
    returns a number that grows while it works.  Raises WorkloadFailure; returns
    the number of probes answered."""
    start = time.monotonic()
    last_value, last_change = None, start
    probes = 0
    while True:
        elapsed = time.monotonic() - start
        if PANIC.search(m.out):
            raise WorkloadFailure("panic", elapsed, "console:\n" + m.out[-1500:])
        if elapsed >= seconds:
            return probes
        time.sleep(min(every, seconds - elapsed))
        elapsed = time.monotonic() - start
        if not probe(m, answer_timeout):
            kind = "panic" if PANIC.search(m.out) else "hang"
            raise WorkloadFailure(kind, elapsed, "no answer for %d s; console:\n%s"
                                  % (answer_timeout, m.out[-1500:]))
        probes += 1
        try:
            value = progress(m, answer_timeout)
        except TestFailure:
            raise WorkloadFailure("panic" if PANIC.search(m.out) else "hang", elapsed,
                                  "progress not read within %d s; console:\n%s"
                                  % (answer_timeout, m.out[-1500:]))
        if value != last_value:
            last_value, last_change = value, time.monotonic()
        elif time.monotonic() - last_change > stall_seconds:
            raise WorkloadFailure("stall", elapsed, "no progress for %d s" % stall_seconds)


def shell_output(m, command, timeout=30):
    """Output of a command (see marked)."""
    return marked(m, command, timeout)


class Grind:
    """Upstream xv6-riscv's grind (random file, pipe, fork, exec and sbrk
    churn in two processes, restarted forever).  Progress: the A and B it
    prints every 500 operations of each process, kept in a file."""
    name = "grind"

    def __init__(self, log="/tmp/grind.out"):
        self.log = log
        self.pgid = None

    def start(self, m):
        m.run("%s > %s 2>&1 &" % (GRIND, self.log))
        self.pgid = int(m.run("echo $!").strip())

    def progress(self, m, timeout=30):
        out = shell_output(m, "wc -c %s" % self.log, timeout)
        found = re.search(r"(\d+) +%s" % re.escape(self.log), out)
        return int(found.group(1)) if found else -1

    def stop(self, m):
        """Kills grind's whole process group; returns (progress marks,
        grind's complaints: its "grind: ..." lines)."""
        shell_output(m, "kill -9 -%d" % self.pgid, timeout=60)
        text = shell_output(m, "cat %s" % self.log)
        complaints = [l[l.index("grind:"):] for l in text.splitlines() if "grind:" in l]
        marks = sum(text.count(c) for c in "AB") - sum(l.count("A") + l.count("B")
                                                         for l in complaints)
        return marks, complaints


def free_pages(m):
    """Free pages once the caches are dropped (native `free -d -p`)."""
    out = shell_output(m, "free -d -p", timeout=120)
    found = re.search(r"Mem:\s+\d+\s+\d+\s+(\d+)", out)
    if not found:
        raise TestFailure("free -d -p: unexpected output: %r" % out)
    return int(found.group(1))


class StressNg:
    """Debian 13's stress-ng on the Linux ABI, in rounds of round_seconds
    (tools/in-image/stress-ng-rounds.sh, in build/tools.cpio), files on
    /home.  Progress: the round log, which grows by a few lines per round;
    stop() lets the current round end, so it takes up to a round."""
    name = "stress-ng"
    DIR = "/home/stress-ng"

    def __init__(self, round_seconds=60):
        self.round = round_seconds

    def start(self, m):
        shell_output(m, "linux /opt/stress-ng-rounds.sh %s %d >/dev/null 2>&1 &"
                     % (self.DIR, self.round))

    def progress(self, m, timeout=30):
        out = shell_output(m, "wc -c %s/log" % self.DIR, timeout)
        found = re.search(r"(\d+) +%s/log" % re.escape(self.DIR), out)
        return int(found.group(1)) if found else -1

    def stop(self, m):
        """Asks for a stop and waits for the round in progress; returns
        the round log's lines."""
        shell_output(m, "echo > %s/stop" % self.DIR)
        deadline = time.monotonic() + self.round + 180
        while True:
            text = shell_output(m, "cat %s/log" % self.DIR, timeout=60)
            if "stopped after" in text:
                break
            if time.monotonic() > deadline:
                raise TestFailure("stress-ng rounds did not stop; log:\n" + text[-1500:])
            time.sleep(10)
        shell_output(m, "rm -r %s" % self.DIR, timeout=120)
        return text.splitlines()
